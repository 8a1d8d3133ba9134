//! Runs when a user enters the password of an existing account
//! (`user:existing_password_provided`).

use kinde_workflow::events::ExistingPasswordProvided;
use kinde_workflow::{workflow, Host, Result};

/// Logs each sign-in with an existing password (never the password itself).
#[workflow(id = "myWorkflow", name = "My workflow", bindings(Console))]
pub async fn my_workflow(event: ExistingPasswordProvided, kinde: &impl Host) -> Result<()> {
    let auth = &event.context.auth;
    kinde.info(&format!(
        "sign-in by {} (already in Kinde: {})",
        auth.provided_email, auth.has_user_record_in_kinde
    ));
    Ok(())
}
