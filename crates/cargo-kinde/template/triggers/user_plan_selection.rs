//! Runs when a customer asks to change plan (`user:plan_selection`).

use kinde_workflow::events::PlanSelection;
use kinde_workflow::{workflow, Host, Result};

/// The plan customers may not move to on their own.
pub const RESTRICTED_PLAN: &str = "free";

/// Refuses downgrades to [`RESTRICTED_PLAN`] from a paid plan.
#[workflow(id = "{{id}}", name = "{{title}}", bindings(Plan, Console))]
pub async fn {{function}}(event: PlanSelection, kinde: &impl Host) -> Result<()> {
    let billing = &event.context.billing;
    let from = billing.current_plan_code.as_deref().unwrap_or("no plan");
    kinde.info(&format!("plan change from {from} to {}", billing.requested_plan_code));
    if billing.requested_plan_code == RESTRICTED_PLAN && billing.current_plan_code.is_some() {
        kinde
            .deny_plan_selection("Downgrades to the free plan go through support", None)
            .await?;
    }
    Ok(())
}
