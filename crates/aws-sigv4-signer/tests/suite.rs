//! Runs every case of the official SigV4 test suite that signs headers.

use std::fs;
use std::path::{Path, PathBuf};

use aws_sigv4_signer::{sign, AmzDate, Credentials, Options, Request};
use serde_json::Value;

/// A parsed `request.txt`: request line, headers (continuation lines kept) and body.
struct RawRequest {
    method: String,
    path: String,
    query: String,
    head_lines: Vec<String>,
    headers: Vec<(String, String)>,
    body: String,
}

fn parse_request(text: &str) -> RawRequest {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().expect("request line");
    let (method, rest) = request_line.split_once(' ').expect("method");
    let target = rest.strip_suffix(" HTTP/1.1").expect("HTTP/1.1 suffix");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let head_lines: Vec<String> = lines.map(str::to_owned).collect();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in &head_lines {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().expect("continuation after a header");
            last.1.push('\n');
            last.1.push_str(line);
        } else {
            let (name, value) = line.split_once(':').expect("header colon");
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    RawRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        head_lines,
        headers,
        body: body.to_owned(),
    }
}

fn read(dir: &Path, file: &str) -> String {
    fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{}/{file}: {e}", dir.display()))
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/aws-sigv4-test-suite");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("suite directory")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.join("header-signature.txt").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn run_case(dir: &Path) -> Result<(), String> {
    let context: Value =
        serde_json::from_str(&read(dir, "context.json")).map_err(|e| e.to_string())?;
    let raw = parse_request(&read(dir, "request.txt"));
    let creds = &context["credentials"];
    let credentials = Credentials::new(
        creds["access_key_id"].as_str().unwrap(),
        creds["secret_access_key"].as_str().unwrap(),
        creds["token"].as_str().map(str::to_owned),
    );
    let timestamp = context["timestamp"]
        .as_str()
        .unwrap()
        .replace(['-', ':'], "");
    let options = Options {
        normalize_path: context["normalize"].as_bool().unwrap(),
        sign_body_hash: context["sign_body"].as_bool().unwrap(),
        sign_session_token: !context["omit_session_token"].as_bool().unwrap_or(false),
    };
    let headers: Vec<(&str, &str)> = raw
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = Request {
        method: &raw.method,
        path: &raw.path,
        query: &raw.query,
        headers: &headers,
        body: raw.body.as_bytes(),
    };
    let signed = sign(
        &request,
        &credentials,
        context["region"].as_str().unwrap(),
        context["service"].as_str().unwrap(),
        AmzDate::parse(&timestamp).map_err(|e| e.to_string())?,
        options,
    );

    let mut failures = Vec::new();
    let mut expect = |what: &str, got: &str, want: &str| {
        if got != want {
            failures.push(format!("{what}:\n--- got\n{got}\n--- want\n{want}"));
        }
    };
    expect(
        "canonical request",
        &signed.canonical_request,
        &read(dir, "header-canonical-request.txt"),
    );
    expect(
        "string to sign",
        &signed.string_to_sign,
        &read(dir, "header-string-to-sign.txt"),
    );
    expect(
        "signature",
        &signed.signature,
        read(dir, "header-signature.txt").trim(),
    );

    // The signed request is the original plus the added headers (names compared
    // case-insensitively: the suite spells one of them in lower case).
    let request_line = read(dir, "request.txt").lines().next().unwrap().to_owned();
    let mut lines = vec![request_line];
    lines.extend(raw.head_lines.iter().cloned());
    lines.extend(
        signed
            .headers
            .iter()
            .map(|(name, value)| format!("{name}:{value}")),
    );
    let mut built = lines.join("\n");
    built.push_str("\n\n");
    built.push_str(&raw.body);
    let wanted = read(dir, "header-signed-request.txt");
    let lower_names = |text: &str| -> String {
        text.lines()
            .map(|line| match line.split_once(':') {
                Some((name, value)) if !line.starts_with([' ', '\t']) && !name.contains(' ') => {
                    format!("{}:{value}", name.to_ascii_lowercase())
                }
                _ => line.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    expect(
        "signed request",
        &lower_names(&built),
        &lower_names(&wanted),
    );

    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

#[test]
fn every_header_signing_case_passes() {
    let cases = cases();
    assert!(
        cases.len() >= 30,
        "suite not found or incomplete: {} cases",
        cases.len()
    );
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|dir| {
            run_case(dir)
                .err()
                .map(|e| format!("== {}\n{e}", dir.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
