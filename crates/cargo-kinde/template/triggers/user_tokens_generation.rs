//! Runs when Kinde issues ID and access tokens to a user (`user:tokens_generation`).

use kinde_workflow::events::TokensGeneration;
use kinde_workflow::{workflow, Host, Result};

/// Adds the organization the user signed in to as the access token claim `org_code`.
#[workflow(id = "{{id}}", name = "{{title}}", bindings(AccessToken, Console))]
pub async fn {{function}}(event: TokensGeneration, kinde: &impl Host) -> Result<()> {
    let org_code = event.context.organization.and_then(|org| org.code);
    kinde.info(&format!("issuing tokens to {}", event.context.user.id));
    kinde.set_access_token_claim("org_code", &org_code).await
}
