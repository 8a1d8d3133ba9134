#[test]
fn the_requested_scopes_become_a_claim() {
    let event = M2mTokenGeneration::from_json(EVENT).unwrap();
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    block_on({{function}}(event, &host)).unwrap();
    assert_eq!(host.claims(Token::M2m)["granted_scopes"], "read:users");
}
