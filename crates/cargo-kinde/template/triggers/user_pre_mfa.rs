//! Runs before Kinde asks a user for a second factor (`user:pre_mfa`).

use kinde_workflow::events::PreMfa;
use kinde_workflow::{workflow, Host, MfaEnforcementPolicy, Result};

/// Requires MFA unless the user's role or connection is exempt from it.
#[workflow(id = "{{id}}", name = "{{title}}", bindings(Mfa, Console))]
pub async fn {{function}}(event: PreMfa, kinde: &impl Host) -> Result<()> {
    let mfa = &event.context.mfa;
    let policy = if mfa.is_user_role_exempt || mfa.is_user_connection_exempt {
        MfaEnforcementPolicy::Skip
    } else {
        MfaEnforcementPolicy::Required
    };
    kinde.info(&format!("MFA {} for {}", policy.as_str(), event.context.user.id));
    kinde.set_mfa_enforcement_policy(policy).await
}
