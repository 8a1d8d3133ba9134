#[test]
fn a_browser_may_register() {
    let event = PreRegistration::from_json(EVENT).unwrap();
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    block_on({{function}}(event, &host)).unwrap();
    assert!(host.calls().is_empty());
}

#[test]
fn a_request_without_user_agent_is_denied() {
    let mut event: serde_json::Value = serde_json::from_str(EVENT).unwrap();
    event["request"]["userAgent"] = serde_json::Value::Null;
    let event = PreRegistration::from_json(&event.to_string()).unwrap();
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    block_on({{function}}(event, &host)).unwrap();
    assert_eq!(
        host.calls(),
        vec![Call::DenyAccess("Please register from a browser".to_owned())]
    );
}
