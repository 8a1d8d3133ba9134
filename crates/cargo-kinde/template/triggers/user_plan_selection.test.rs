#[test]
fn a_downgrade_to_the_free_plan_is_refused() {
    let event = PlanSelection::from_json(EVENT).unwrap();
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    block_on({{function}}(event, &host)).unwrap();
    assert_eq!(
        host.plan_denials(),
        vec![PlanDenial::Selection {
            message: "Downgrades to the free plan go through support".to_owned(),
            details: None,
        }]
    );
}
