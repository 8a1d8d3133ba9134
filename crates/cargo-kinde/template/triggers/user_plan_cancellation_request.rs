//! Runs when a customer asks to cancel their plan (`user:plan_cancellation_request`).

use kinde_workflow::events::PlanCancellationRequest;
use kinde_workflow::{workflow, Host, Result};

/// The plan whose cancellations go through an account manager.
pub const MANAGED_PLAN: &str = "enterprise";

/// Refuses self-service cancellation of [`MANAGED_PLAN`].
#[workflow(id = "{{id}}", name = "{{title}}", bindings(Plan, Console))]
pub async fn {{function}}(event: PlanCancellationRequest, kinde: &impl Host) -> Result<()> {
    let plan = &event.context.billing.current_plan_code;
    kinde.info(&format!("cancellation requested for plan {plan}"));
    if plan == MANAGED_PLAN {
        kinde
            .deny_plan_cancellation("Contact your account manager to cancel")
            .await?;
    }
    Ok(())
}
