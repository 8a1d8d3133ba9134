use serde::Deserialize;

use super::{Domains, Event, OrganizationInfo, RequestInfo, UserInfo, WorkflowInfo};
use crate::Trigger;

/// `user:plan_selection`: a customer asked to change plan (before anything is charged).
///
/// Refuse with [`Host::deny_plan_selection`](crate::Host::deny_plan_selection).
///
/// ```
/// use kinde_workflow::events::{Event, PlanSelection};
///
/// let event = PlanSelection::from_json(r#"{
///   "request": {"userAgent": "Mozilla/5.0", "ip": "192.168.0.1"},
///   "context": {
///     "domains": {"kindeDomain": "https://example.kinde.com"},
///     "billing": {"currentPlanCode": "professional", "requestedPlanCode": "free"},
///     "user": {"id": "kp_1234566"},
///     "organization": {"code": "org_123456"},
///     "workflow": {"trigger": "user:plan_selection"}
///   }
/// }"#).unwrap();
/// assert_eq!(event.context.billing.requested_plan_code, "free");
/// assert_eq!(event.context.billing.current_plan_code.as_deref(), Some("professional"));
/// ```
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PlanSelection {
    /// The end user's request.
    #[serde(default)]
    pub request: RequestInfo,
    /// The plan change asked for.
    pub context: PlanSelectionContext,
}

/// `context` of [`PlanSelection`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PlanSelectionContext {
    /// The environment's domains.
    pub domains: Domains,
    /// The plans involved.
    pub billing: SelectionBilling,
    /// The customer, when it is a user.
    #[serde(default)]
    pub user: Option<UserInfo>,
    /// The customer, when it is an organization.
    #[serde(default)]
    pub organization: Option<OrganizationInfo>,
    /// The running workflow.
    #[serde(default)]
    pub workflow: WorkflowInfo,
}

/// `context.billing` of [`PlanSelection`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SelectionBilling {
    /// The plan the customer is on.
    #[serde(default)]
    pub current_plan_code: Option<String>,
    /// The plan the customer asks for.
    pub requested_plan_code: String,
}

impl Event for PlanSelection {
    const TRIGGER: Trigger = Trigger::PlanSelection;
}

/// `user:plan_cancellation_request`: a customer asked to cancel their plan (before the
/// cancellation is processed).
///
/// Refuse with [`Host::deny_plan_cancellation`](crate::Host::deny_plan_cancellation).
///
/// ```
/// use kinde_workflow::events::{Event, PlanCancellationRequest};
///
/// let event = PlanCancellationRequest::from_json(r#"{
///   "request": {"userAgent": "Mozilla/5.0", "ip": "192.168.0.1"},
///   "context": {
///     "domains": {"kindeDomain": "https://example.kinde.com"},
///     "billing": {"currentPlanCode": "pro",
///                 "agreementId": "agreement_01971a7c5c7bf2d05888a8d6c77d08ce"},
///     "workflow": {"trigger": "user:plan_cancellation_request"}
///   }
/// }"#).unwrap();
/// assert_eq!(event.context.billing.current_plan_code, "pro");
/// assert!(event.context.organization.is_none());
/// ```
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PlanCancellationRequest {
    /// The end user's request.
    #[serde(default)]
    pub request: RequestInfo,
    /// The plan to cancel.
    pub context: PlanCancellationContext,
}

/// `context` of [`PlanCancellationRequest`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PlanCancellationContext {
    /// The environment's domains.
    pub domains: Domains,
    /// The subscription.
    pub billing: CancellationBilling,
    /// The customer, when it is a user.
    #[serde(default)]
    pub user: Option<UserInfo>,
    /// The customer, when it is an organization.
    #[serde(default)]
    pub organization: Option<OrganizationInfo>,
    /// The running workflow.
    #[serde(default)]
    pub workflow: WorkflowInfo,
}

/// `context.billing` of [`PlanCancellationRequest`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CancellationBilling {
    /// The plan to cancel.
    pub current_plan_code: String,
    /// The subscription's id in Kinde.
    #[serde(default)]
    pub agreement_id: Option<String>,
}

impl Event for PlanCancellationRequest {
    const TRIGGER: Trigger = Trigger::PlanCancellationRequest;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn billing_fields_are_required_where_the_decision_needs_them() {
        let err = PlanSelection::from_json(
            r#"{"context":{"domains":{"kindeDomain":"https://x"},"billing":{"currentPlanCode":"a"}}}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid event at `context.billing.requestedPlanCode`: missing field"
        );
        let err = PlanCancellationRequest::from_json(
            r#"{"context":{"domains":{"kindeDomain":"https://x"},"billing":{}}}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid event at `context.billing.currentPlanCode`: missing field"
        );
    }
}
