#[test]
fn a_self_service_plan_may_be_cancelled() {
    let event = PlanCancellationRequest::from_json(EVENT).unwrap();
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    block_on({{function}}(event, &host)).unwrap();
    assert!(host.plan_denials().is_empty());
}

#[test]
fn the_managed_plan_is_not_cancelled_here() {
    let event = EVENT.replacen(r#""currentPlanCode": "pro""#, r#""currentPlanCode": "enterprise""#, 1);
    let event = PlanCancellationRequest::from_json(&event).unwrap();
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    block_on({{function}}(event, &host)).unwrap();
    assert_eq!(
        host.plan_denials(),
        vec![PlanDenial::Cancellation {
            message: "Contact your account manager to cancel".to_owned()
        }]
    );
}
