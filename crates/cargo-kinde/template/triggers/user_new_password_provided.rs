//! Runs when a user sets a new password (`user:new_password_provided`).

use kinde_workflow::events::NewPasswordProvided;
use kinde_workflow::{workflow, Host, Result};

/// The shortest password accepted, in characters.
pub const MIN_LENGTH: usize = 12;

/// Refuses passwords shorter than [`MIN_LENGTH`] and confirmations that differ.
#[workflow(id = "{{id}}", name = "{{title}}", bindings(Widget))]
pub async fn {{function}}(event: NewPasswordProvided, kinde: &impl Host) -> Result<()> {
    let auth = &event.context.auth;
    if auth.first_password.expose().chars().count() < MIN_LENGTH {
        let message = format!("Use at least {MIN_LENGTH} characters");
        kinde.invalidate_form_field("p_first_password", &message).await?;
    } else if !auth.passwords_match() {
        kinde
            .invalidate_form_field("p_second_password", "The passwords do not match")
            .await?;
    }
    Ok(())
}
