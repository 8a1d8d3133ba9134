#[test]
fn a_long_confirmed_password_is_accepted() {
    let event = NewPasswordProvided::from_json(EVENT).unwrap();
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    block_on({{function}}(event, &host)).unwrap();
    assert!(host.calls().is_empty());
}

#[test]
fn a_different_confirmation_is_refused() {
    let event = EVENT.replacen(
        r#""secondPassword": "correct horse battery staple""#,
        r#""secondPassword": "correct horse battery stable""#,
        1,
    );
    let event = NewPasswordProvided::from_json(&event).unwrap();
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    block_on({{function}}(event, &host)).unwrap();
    assert_eq!(
        host.calls(),
        vec![Call::InvalidateFormField {
            field: "p_second_password".to_owned(),
            message: "The passwords do not match".to_owned(),
        }]
    );
}
