//! Which bindings each trigger offers, as Kinde's documentation lists them
//! (`docs.kinde.com/workflows/bindings/*`: "Available in workflows").
//!
//! Where the documentation is silent the SDK allows the binding rather than guess a
//! refusal: `console` (used by every documented example), `kinde.localization` and
//! `kinde.ssoSession` (in Kinde's types, listed for no trigger), `kinde.cache` (used by
//! `createKindeAPI` wherever `kinde.fetch` is), and every sign-in form binding for
//! `user:new_username_provided`, which has no documentation page yet.

use crate::{Binding, Trigger};

/// The lists below start with what every trigger offers (see the module
/// documentation), then the network bindings of every documented trigger, then the
/// trigger's own.
macro_rules! offered {
    ($($own:ident),*) => {
        &[
            Binding::Console,
            Binding::Localization,
            Binding::SsoSession,
            Binding::Fetch,
            Binding::SecureFetch,
            Binding::Env,
            Binding::Url,
            Binding::Cache,
            $(Binding::$own,)*
        ]
    };
}

impl Trigger {
    /// The bindings a workflow on this trigger may declare.
    ///
    /// ```
    /// use kinde_workflow::{Binding, Trigger};
    ///
    /// assert!(Trigger::PreMfa.allowed_bindings().contains(&Binding::Mfa));
    /// assert!(!Trigger::ExistingPasswordProvided.offers(Binding::IdToken));
    /// ```
    pub const fn allowed_bindings(self) -> &'static [Binding] {
        match self {
            Trigger::TokensGeneration => offered!(Auth, IdToken, AccessToken),
            Trigger::PreMfa => offered!(Auth, Mfa),
            Trigger::PostAuthentication | Trigger::PreRegistration => offered!(Auth),
            Trigger::M2mTokenGeneration => offered!(M2mToken),
            Trigger::ExistingPasswordProvided
            | Trigger::NewPasswordProvided
            | Trigger::NewUsernameProvided => offered!(Auth, Widget),
            Trigger::PlanSelection | Trigger::PlanCancellationRequest => offered!(Plan),
        }
    }

    /// Whether a workflow on this trigger may use `binding`.
    pub const fn offers(self, binding: Binding) -> bool {
        let allowed = self.allowed_bindings();
        let mut i = 0;
        while i < allowed.len() {
            if allowed[i] as u8 == binding as u8 {
                return true;
            }
            i += 1;
        }
        false
    }

    /// The file-name form of the trigger: `user:pre_mfa` → `user_pre_mfa`.
    ///
    /// ```
    /// assert_eq!(kinde_workflow::Trigger::M2mTokenGeneration.file_stem(), "m2m_token_generation");
    /// ```
    pub fn file_stem(self) -> String {
        self.as_str().replace(':', "_")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_bindings_belong_to_their_token_triggers_only() {
        for trigger in Trigger::ALL {
            assert_eq!(
                trigger.offers(Binding::IdToken),
                *trigger == Trigger::TokensGeneration,
                "{trigger}"
            );
            assert_eq!(
                trigger.offers(Binding::M2mToken),
                *trigger == Trigger::M2mTokenGeneration,
                "{trigger}"
            );
            assert_eq!(
                trigger.offers(Binding::Mfa),
                *trigger == Trigger::PreMfa,
                "{trigger}"
            );
            assert!(trigger.offers(Binding::Console) && trigger.offers(Binding::Fetch));
        }
    }

    #[test]
    fn plan_and_auth_follow_the_documentation() {
        let plan: Vec<Trigger> = Trigger::ALL
            .iter()
            .copied()
            .filter(|t| t.offers(Binding::Plan))
            .collect();
        assert_eq!(
            plan,
            [Trigger::PlanSelection, Trigger::PlanCancellationRequest]
        );
        assert!(!Trigger::M2mTokenGeneration.offers(Binding::Auth));
        assert!(!Trigger::PlanSelection.offers(Binding::Auth));
        assert!(Trigger::PreRegistration.offers(Binding::Auth));
    }

    #[test]
    fn lists_have_no_duplicates() {
        for trigger in Trigger::ALL {
            let list = trigger.allowed_bindings();
            let mut sorted = list.to_vec();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), list.len(), "{trigger}");
        }
    }
}
