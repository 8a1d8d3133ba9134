//! `cargo kinde run` on the repository's committed workflows and example events: the
//! Go emulator runs them, the Kinde peer starts for the event's domain, and the record
//! comes out readable or as stable JSON. The committed output must be fresh
//! (`--no-build`: tests never rewrite `kindeSrc`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn cargo_kinde_run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-kinde"))
        .current_dir(repo())
        .args(["kinde", "run", "--no-build"])
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The JSON record without its timings, which differ between runs.
fn record_without_timings(out: &Output) -> Value {
    let mut record: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", text(&out.stdout)));
    record.as_object_mut().unwrap().remove("timings");
    record
}

#[test]
fn json_record_of_a_returning_user_is_stable_and_makes_no_call() {
    let args = [
        "dripFeedMigration",
        "--event",
        "crates/drip-feed/events/returning-user.json",
        "--env",
        "crates/drip-feed/events/generic.env",
        "--json",
    ];
    let first = cargo_kinde_run(&args);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let second = cargo_kinde_run(&args);
    assert!(second.status.success(), "{}", text(&second.stderr));

    let record = record_without_timings(&first);
    assert_eq!(record, record_without_timings(&second));
    assert_eq!(record["workflowId"], "dripFeedMigration");
    assert_eq!(record["outcome"]["status"], "resolved");
    assert_eq!(
        record["outcome"]["value"],
        serde_json::json!({"outcome": "already_in_kinde"})
    );
    assert!(
        record["requests"].as_array().is_none_or(Vec::is_empty),
        "{record}"
    );
}

/// A one-shot legacy endpoint on loopback: answers every request with `body` and
/// hands back what it received.
fn legacy_endpoint(body: &'static str) -> (String, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
            head.push_str(&line);
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        let mut request_body = vec![0; length];
        reader.read_exact(&mut request_body).unwrap();
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        reader.get_mut().write_all(answer.as_bytes()).unwrap();
        head + &text(&request_body)
    });
    (url, handle)
}

#[test]
fn first_sign_in_migrates_into_the_local_kinde_peer_and_prints_calls() {
    let (url, legacy) = legacy_endpoint(r#"{"result":"verified","given_name":"Ada"}"#);
    let route = format!("legacy.example.com={url}");
    let out = cargo_kinde_run(&[
        "dripFeedMigration",
        "--event",
        "crates/drip-feed/events/first-sign-in.json",
        "--env",
        "crates/drip-feed/events/generic.env",
        "--route",
        &route,
    ]);
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");

    let received = legacy.join().unwrap();
    assert!(
        received.starts_with("POST /validate "),
        "legacy endpoint got: {received}"
    );
    assert!(received.contains("\"email\":\"ada@example.com\""));

    assert!(stdout.contains("outcome: resolved"), "{stdout}");
    assert!(stdout.contains("\"outcome\":\"migrated\""), "{stdout}");
    for call in [
        "POST https://legacy.example.com/validate -> 200",
        "POST https://acme.kinde.com/oauth2/token -> 200",
        "GET https://acme.kinde.com/api/v1/users?email=ada%40example.com -> 200",
        "POST https://acme.kinde.com/api/v1/user -> 200",
        "PUT https://acme.kinde.com/api/v1/users/",
    ] {
        assert!(stdout.contains(call), "missing `{call}` in:\n{stdout}");
    }
    assert!(
        stderr.contains("Kinde peer for https://acme.kinde.com: 1 user(s)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("ada@example.com: password set (bcrypt)"),
        "{stderr}"
    );
    assert!(!stderr.contains("spec violation"), "{stderr}");
    // The plaintext password went to the legacy endpoint only, and is nowhere in
    // what the run printed.
    assert!(!stdout.contains("correct horse"), "{stdout}");
    assert!(!stderr.contains("correct horse"), "{stderr}");
}

#[test]
fn without_go_the_error_says_how_to_install_it() {
    // A PATH with cargo and rustc (for `cargo metadata`) but no `go`.
    let bin = tempfile::tempdir().unwrap();
    for tool in ["cargo", "rustc"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .unwrap();
        let path = text(&found.stdout).trim().to_owned();
        std::os::unix::fs::symlink(path, bin.path().join(tool)).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-kinde"))
        .current_dir(repo())
        .env("PATH", bin.path())
        .args([
            "kinde",
            "run",
            "dripFeedMigration",
            "--event",
            "crates/drip-feed/events/returning-user.json",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("Go is not installed") && stderr.contains("apt-get install -y golang-go"),
        "{stderr}"
    );
}
