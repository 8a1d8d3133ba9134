//! The `kinde-secure-fetch` binary, run as a process.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
/// See `tests/vectors.rs` for how this body was made.
const BODY: &str = "ZGVmZ2hpamtsbW5v6IEGW3WddQpwBvJoknitPzM5uwsYgDq8BEA+jLslD4Ujr3Zm7kKQHcrzgGqLwtY744YypG4ouWeSgQpanjbqp3Qp64IAKCBcjpTer8/y0et44L4sqw==";

fn run(args: &[&str], key: Option<&str>, stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kinde-secure-fetch"));
    command
        .args(args)
        .env_remove("TEST_SECURE_FETCH_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(key) = key {
        command.env("TEST_SECURE_FETCH_KEY", key);
    }
    let mut child = command.spawn().expect("spawn kinde-secure-fetch");
    let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    // A run refused before it reads its input (bad usage, no key) may exit before
    // the write: its exit code and stderr are what the tests look at.
    if let Err(err) = written {
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe, "{err}");
    }
    child.wait_with_output().unwrap()
}

const ARGS: &[&str] = &["decrypt", "--key-env", "TEST_SECURE_FETCH_KEY"];

#[test]
fn decrypts_stdin_to_stdout() {
    let output = run(ARGS, Some(KEY), &format!("{BODY}\n"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        r#"{"email":"ada@example.com","password":"correct horse battery staple"}"#
    );
}

#[test]
fn failures_have_exit_codes_and_hide_the_key() {
    let tampered = BODY.replacen('Z', "Y", 1);
    let output = run(ARGS, Some(KEY), &tampered);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "kinde-secure-fetch: the body failed authentication: wrong key, or it was altered\n"
    );
    assert!(output.stdout.is_empty());

    let output = run(ARGS, None, BODY);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`TEST_SECURE_FETCH_KEY` is not set"));

    let output = run(ARGS, Some("c2hvcnQ="), BODY);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("decodes to 5 bytes") && !stderr.contains("c2hvcnQ"),
        "{stderr}"
    );

    let output = run(&["decrypt"], Some(KEY), BODY);
    assert_eq!(output.status.code(), Some(2));
}
