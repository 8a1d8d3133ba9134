#[test]
fn a_first_sign_in_is_logged() {
    let event = PostAuthentication::from_json(EVENT).unwrap();
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    block_on({{function}}(event, &host)).unwrap();
    assert_eq!(
        host.logs(),
        vec![(
            LogLevel::Info,
            "first sign-in of kp_6e54d9612e8748b39557c9975bdba033".to_owned()
        )]
    );
}
