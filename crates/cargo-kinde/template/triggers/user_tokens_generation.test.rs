#[test]
fn the_organization_becomes_an_access_token_claim() {
    let event = TokensGeneration::from_json(EVENT).unwrap();
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    block_on({{function}}(event, &host)).unwrap();
    assert_eq!(host.claims(Token::Access)["org_code"], "org_123456789");
}
