#[test]
fn the_sign_in_is_logged_without_the_password() {
    let event = ExistingPasswordProvided::from_json(EVENT).unwrap();
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    block_on({{function}}(event, &host)).unwrap();
    let logs = host.logs();
    assert_eq!(
        logs,
        vec![(
            LogLevel::Info,
            "sign-in by hello@example.com (already in Kinde: false)".to_owned()
        )]
    );
    assert!(!format!("{logs:?}").contains("example-password"));
}
