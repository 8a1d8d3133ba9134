use serde::Deserialize;

use super::{
    ApplicationInfo, ConnectionInfo, Domains, Event, KnownUser, OrganizationInfo, RequestInfo,
    WorkflowInfo,
};
use crate::Trigger;

/// `user:pre_mfa`: the user passed the first factor and Kinde is about to decide whether
/// to ask for a second one.
///
/// Use [`Host::set_mfa_enforcement_policy`](crate::Host::set_mfa_enforcement_policy) to
/// require or skip MFA for this sign-in.
///
/// ```
/// use kinde_workflow::events::{Event, MfaPolicy, PreMfa};
///
/// let event = PreMfa::from_json(r#"{
///   "request": {"ip": "192.168.0.1", "userAgent": "Mozilla/5.0"},
///   "context": {
///     "auth": {"connectionId": "conn_01945d3ccf4926118bfdeb6e1158edb5"},
///     "domains": {"kindeDomain": "https://example.kinde.com"},
///     "mfa": {"policy": "required", "context": "environment",
///             "enabledFactors": ["mfa:sms", "mfa:email"],
///             "isUserRoleExempt": false, "isUserConnectionExempt": false},
///     "user": {"id": "kp_77d28fc7b16240dd9ec12b08071fe46e"},
///     "workflow": {"trigger": "user:pre_mfa"},
///     "application": {"clientId": "cee9743fc7ee4d2e84061fe1a662051d"},
///     "organization": {"code": "org_75ad9f26d2c"}
///   }
/// }"#).unwrap();
/// assert_eq!(event.context.mfa.policy, MfaPolicy::Required);
/// assert_eq!(event.context.mfa.enabled_factors, ["mfa:sms", "mfa:email"]);
/// ```
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PreMfa {
    /// The end user's request.
    #[serde(default)]
    pub request: RequestInfo,
    /// The sign-in and its MFA settings.
    pub context: PreMfaContext,
}

/// `context` of [`PreMfa`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PreMfaContext {
    /// The environment's domains.
    pub domains: Domains,
    /// The connection the user authenticated with.
    #[serde(default)]
    pub auth: ConnectionInfo,
    /// The MFA settings that apply.
    pub mfa: MfaSettings,
    /// The user signing in.
    pub user: KnownUser,
    /// The organization the user signs in to, if any.
    #[serde(default)]
    pub organization: Option<OrganizationInfo>,
    /// The application signed in to.
    #[serde(default)]
    pub application: ApplicationInfo,
    /// The running workflow.
    #[serde(default)]
    pub workflow: WorkflowInfo,
}

/// `context.mfa` of [`PreMfa`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MfaSettings {
    /// The configured policy.
    pub policy: MfaPolicy,
    /// Where the policy is set.
    #[serde(default)]
    pub context: Option<MfaContext>,
    /// Factors enabled in that context, e.g. `mfa:sms`, `mfa:email`,
    /// `mfa:authenticator_app` (`enabled_factors` in Kinde's types is read too).
    #[serde(default, alias = "enabled_factors")]
    pub enabled_factors: Vec<String>,
    /// Whether one of the user's roles is exempt from MFA.
    #[serde(default)]
    pub is_user_role_exempt: bool,
    /// Whether the connection used is exempt from MFA.
    #[serde(default)]
    pub is_user_connection_exempt: bool,
}

/// `context.mfa.policy`: the MFA policy configured in Kinde.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MfaPolicy {
    /// Every user must complete MFA.
    Required,
    /// Users may set up MFA.
    Optional,
    /// MFA is off.
    Off,
}

/// `context.mfa.context`: where the MFA policy is configured.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MfaContext {
    /// The environment's policy.
    Environment,
    /// The organization's policy.
    Organization,
}

impl Event for PreMfa {
    const TRIGGER: Trigger = Trigger::PreMfa;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(mfa: &str) -> String {
        format!(
            r#"{{"context":{{"domains":{{"kindeDomain":"https://x"}},"user":{{"id":"kp_1"}},"mfa":{mfa}}}}}"#
        )
    }

    #[test]
    fn infrastructure_spelling_of_factors_is_read() {
        let event = PreMfa::from_json(&event(
            r#"{"policy":"off","enabled_factors":["mfa:email"]}"#,
        ))
        .unwrap();
        assert_eq!(event.context.mfa.enabled_factors, ["mfa:email"]);
        assert_eq!(event.context.mfa.policy, MfaPolicy::Off);
        assert!(!event.context.mfa.is_user_role_exempt);
    }

    #[test]
    fn an_unknown_policy_names_its_path_and_the_known_values() {
        let err = PreMfa::from_json(&event(r#"{"policy":"sometimes"}"#))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "invalid event at `context.mfa.policy`: unknown variant, expected one of `required`, `optional`, `off`"
        );
    }
}
