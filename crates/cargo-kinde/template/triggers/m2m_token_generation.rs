//! Runs when Kinde issues a machine-to-machine token (`m2m:token_generation`).

use kinde_workflow::events::M2mTokenGeneration;
use kinde_workflow::{workflow, Host, Result};

/// Adds the requested scopes as the M2M token claim `granted_scopes`.
#[workflow(id = "{{id}}", name = "{{title}}", bindings(M2mToken, Console))]
pub async fn {{function}}(event: M2mTokenGeneration, kinde: &impl Host) -> Result<()> {
    let client = &event.context.application.client_id;
    kinde.info(&format!("issuing an M2M token to {client}"));
    let scopes = event.request.auth.scope.join(" ");
    kinde.set_m2m_token_claim("granted_scopes", &scopes).await
}
