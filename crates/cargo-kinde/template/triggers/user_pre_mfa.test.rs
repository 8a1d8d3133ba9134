#[test]
fn users_who_are_not_exempt_must_complete_mfa() {
    let event = PreMfa::from_json(EVENT).unwrap();
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    block_on({{function}}(event, &host)).unwrap();
    assert_eq!(
        host.mfa_enforcement_policy(),
        Some(MfaEnforcementPolicy::Required)
    );
}
