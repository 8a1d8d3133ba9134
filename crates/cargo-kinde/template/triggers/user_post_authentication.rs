//! Runs after a user completes the first factor (`user:post_authentication`).

use kinde_workflow::events::PostAuthentication;
use kinde_workflow::{workflow, Host, Result};

/// Logs whether Kinde created the user's record in this sign-in.
#[workflow(id = "{{id}}", name = "{{title}}", bindings(Console))]
pub async fn {{function}}(event: PostAuthentication, kinde: &impl Host) -> Result<()> {
    let user = &event.context.user.id;
    if event.context.auth.is_new_user_record_created {
        kinde.info(&format!("first sign-in of {user}"));
    } else {
        kinde.info(&format!("returning user {user}"));
    }
    Ok(())
}
