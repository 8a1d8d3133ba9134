//! What a provider's answer means for the migration.

use serde::Serialize;

/// Names taken from the provider's ID token, for the Kinde profile.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Profile {
    /// `given_name` claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// `family_name` claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
}

/// The provider's judgement of the password, classified.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The password is right: migrate. `step` names the further step the provider
    /// asked for (an MFA challenge), which Kinde will handle from now on.
    Verified {
        /// Names for the profile, when the provider sent an ID token.
        profile: Profile,
        /// The challenge or error code of the extra step, if any.
        step: Option<String>,
    },
    /// The provider wants the password reset first: do not migrate.
    MustReset(String),
    /// Wrong password or unknown user: do not migrate.
    Rejected(String),
    /// The account is locked, blocked or unconfirmed: do not migrate.
    Locked(String),
    /// Rate limit, outage, timeout or an unreadable answer: try again next sign-in.
    Transient(String),
    /// The provider refused our configuration; the message names the variables.
    #[cfg_attr(
        not(any(feature = "auth0", feature = "cognito", feature = "azure-b2c")),
        allow(dead_code)
    )]
    Misconfigured(String),
}

impl Verdict {
    /// A verified password with no extra step.
    pub fn verified(profile: Profile) -> Self {
        Verdict::Verified {
            profile,
            step: None,
        }
    }

    /// A misconfiguration: the provider's `code`, and the `variables` to check.
    #[cfg_attr(
        not(any(feature = "auth0", feature = "cognito", feature = "azure-b2c")),
        allow(dead_code)
    )]
    pub fn misconfigured(provider: &str, code: &str, variables: &str) -> Self {
        let mut message = String::with_capacity(96);
        message.push_str(provider);
        message.push_str(" refused the workflow's configuration (");
        message.push_str(&crate::answer::code(code));
        message.push_str("): check ");
        message.push_str(variables);
        Verdict::Misconfigured(message)
    }
}
