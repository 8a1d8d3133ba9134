//! Runs before Kinde creates a new user's record (`user:pre_registration`).

use kinde_workflow::events::PreRegistration;
use kinde_workflow::{workflow, Host, Result};

/// Refuses registrations whose request carries no user agent (scripts, not browsers).
#[workflow(id = "{{id}}", name = "{{title}}", bindings(Auth, Console))]
pub async fn {{function}}(event: PreRegistration, kinde: &impl Host) -> Result<()> {
    match &event.request.user_agent {
        Some(agent) if !agent.is_empty() => {
            kinde.info("registration from a browser");
            Ok(())
        }
        _ => kinde.deny_access("Please register from a browser").await,
    }
}
