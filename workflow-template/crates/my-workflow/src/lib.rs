//! A new workflow: replace the body with yours.

use kinde_workflow::events::ExistingPasswordProvided;
use kinde_workflow::{workflow, Host, Result};

/// Logs each sign-in with an existing password.
#[workflow(id = "myWorkflow", name = "My workflow", bindings(Console))]
pub async fn my_workflow(event: ExistingPasswordProvided, kinde: &impl Host) -> Result<()> {
    kinde.info(&format!("sign-in by {}", event.context.auth.provided_email));
    Ok(())
}
