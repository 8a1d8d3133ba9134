//! Runs when a user chooses a username (`user:new_username_provided`).

use kinde_workflow::events::NewUsernameProvided;
use kinde_workflow::{workflow, Host, Result};

/// Logs the username chosen.
#[workflow(id = "{{id}}", name = "{{title}}", bindings(Console))]
pub async fn {{function}}(event: NewUsernameProvided, kinde: &impl Host) -> Result<()> {
    let username = &event.context.auth.supplied_username;
    kinde.info(&format!("username chosen: {username}"));
    Ok(())
}
