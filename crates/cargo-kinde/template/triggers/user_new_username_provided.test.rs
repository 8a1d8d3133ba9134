#[test]
fn the_username_is_logged() {
    let event = NewUsernameProvided::from_json(EVENT).unwrap();
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    block_on({{function}}(event, &host)).unwrap();
    assert_eq!(
        host.logs(),
        vec![(LogLevel::Info, "username chosen: ada_lovelace".to_owned())]
    );
}
