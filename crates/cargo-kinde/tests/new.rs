//! Acceptance test of `cargo kinde new`: for every trigger, the generated workflow
//! crate passes its own tests, builds with `cargo kinde build`, passes `cargo kinde
//! check`, and runs in the Kinde emulator (goja, as Kinde runs it) on its example
//! event. All ten crates share one workspace, one `cargo kinde build` and one
//! target directory under the repository's `target/`.
//!
//! Also: code that calls a binding its settings do not declare fails both
//! `cargo kinde build` and `cargo kinde check`, naming the binding and the entry to add.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use kinde_workflow::Trigger;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Shared by every generated workspace, so dependencies compile once.
fn target_dir() -> PathBuf {
    repo().join("target/cargo-kinde-new-tests")
}

/// The crate generated for `trigger`. Crates edited by a test get their own names: a
/// shared target directory holds one `.wasm` per crate name.
fn crate_name(trigger: Trigger) -> String {
    trigger.file_stem().replace('_', "-")
}

fn edited_crate_name(trigger: Trigger) -> String {
    format!("edited-{}", crate_name(trigger))
}

fn workflow_id(trigger: Trigger) -> String {
    cargo_kinde::template::Names::new(&crate_name(trigger))
        .unwrap()
        .id
}

fn cargo_kinde(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-kinde"))
        .arg("kinde")
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap()
}

fn succeed(what: &str, out: Output) -> Output {
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A workspace generated outside any other, with one crate per trigger in `triggers`.
struct Generated {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Generated {
    fn new(triggers: &[Trigger], crate_name: fn(Trigger) -> String) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let sdk = repo().join("crates/kinde-workflow");
        let sdk = sdk.to_str().unwrap();
        let first = crate_name(triggers[0]);
        let root = dir.path().canonicalize().unwrap().join(&first);
        for (i, trigger) in triggers.iter().enumerate() {
            let cwd = if i == 0 { dir.path() } else { root.as_path() };
            let name = crate_name(*trigger);
            succeed(
                "cargo kinde new",
                cargo_kinde(
                    cwd,
                    &[
                        "new",
                        &name,
                        "--trigger",
                        trigger.as_str(),
                        "--sdk-path",
                        sdk,
                    ],
                ),
            );
        }
        // Resolve to the versions this repository is tested with, and use its npm tools.
        std::fs::copy(repo().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
        std::os::unix::fs::symlink(repo().join("node_modules"), root.join("node_modules")).unwrap();
        // Settle the lock file now: a later cargo run must not change an input of the
        // inputs hash `cargo kinde check` compares.
        let out = Command::new(env!("CARGO"))
            .arg("fetch")
            .current_dir(&root)
            .output()
            .unwrap();
        succeed("cargo fetch", out);
        Self { _dir: dir, root }
    }

    fn cargo_kinde(&self, args: &[&str]) -> Output {
        let manifest = self.root.join("Cargo.toml");
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--manifest-path", manifest.to_str().unwrap()]);
        cargo_kinde(&self.root, &all)
    }
}

/// The ten-crate workspace, built once.
fn all_triggers() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        let generated = Generated::new(Trigger::ALL, crate_name);
        succeed(
            "cargo kinde build",
            generated.cargo_kinde(&["build", "--no-report"]),
        );
        generated
    })
}

#[test]
fn every_generated_workflow_passes_its_own_tests_and_lints() {
    let generated = all_triggers();
    for args in [
        &["fmt", "--all", "--check"][..],
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    ] {
        let out = Command::new(env!("CARGO"))
            .args(args)
            .current_dir(&generated.root)
            .env("CARGO_TARGET_DIR", target_dir())
            .output()
            .unwrap();
        succeed(&format!("cargo {}", args[0]), out);
    }
    let out = Command::new(env!("CARGO"))
        .args(["test", "--workspace", "--quiet"])
        .current_dir(&generated.root)
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap();
    let out = succeed("cargo test in the generated workspace", out);
    let text = String::from_utf8_lossy(&out.stdout);
    // One result line per crate's lib, test file and doctests; none may be empty of tests.
    let ran: usize = text
        .lines()
        .filter_map(|line| line.strip_prefix("test result: ok. "))
        .filter_map(|rest| rest.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert!(ran >= Trigger::ALL.len(), "{text}");
}

#[test]
fn every_generated_workflow_is_current_and_syncable() {
    let generated = all_triggers();
    let out = succeed("cargo kinde check", generated.cargo_kinde(&["check"]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");
    for trigger in Trigger::ALL {
        let workflow = generated.root.join(format!(
            "kindeSrc/environment/workflows/{}/Workflow.ts",
            workflow_id(*trigger)
        ));
        let text = std::fs::read_to_string(&workflow).unwrap();
        assert!(
            text.contains(&format!("\"trigger\": \"{trigger}\"")),
            "{}",
            workflow.display()
        );
    }
}

#[test]
fn every_generated_workflow_type_checks_under_strict_typescript() {
    let generated = all_triggers();
    let config = serde_json::json!({
        "compilerOptions": {
            "target": "ES2022", "lib": ["ES2022"], "module": "ESNext",
            "moduleResolution": "bundler", "strict": true, "noEmit": true,
            "isolatedModules": true, "skipLibCheck": false, "types": []
        },
        "include": ["kindeSrc/**/*.ts", repo().join("types/goja.d.ts")]
    });
    std::fs::write(generated.root.join("tsconfig.json"), config.to_string()).unwrap();
    let out = Command::new(repo().join("node_modules/.bin/tsc"))
        .args(["--noEmit", "-p", "tsconfig.json"])
        .current_dir(&generated.root)
        .output()
        .unwrap();
    succeed("tsc --strict over the generated kindeSrc", out);
}

#[test]
fn every_generated_workflow_resolves_in_the_emulator_on_its_example_event() {
    let generated = all_triggers();
    let emulator = emulator_binary();
    for trigger in Trigger::ALL {
        let event = generated.root.join(format!(
            "crates/{}/events/{}.json",
            crate_name(*trigger),
            trigger.file_stem()
        ));
        let out = Command::new(emulator)
            .arg("run")
            .arg("--project")
            .arg(&generated.root)
            .args([
                "--workflow",
                &workflow_id(*trigger),
                "--json",
                "--no-timings",
            ])
            .arg("--event")
            .arg(&event)
            .output()
            .unwrap();
        let record: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{trigger}: no run record ({e}):\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        assert_eq!(
            record["outcome"]["status"], "resolved",
            "{trigger}: {record:#}"
        );
        assert!(
            !record["logs"].to_string().contains("example-password"),
            "{trigger}: a password reached the log: {record:#}"
        );
    }
}

/// The emulator CLI, built once into the shared target directory.
fn emulator_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let binary = target_dir().join("kinde-emulator");
        let out = Command::new("go")
            .args(["build", "-o"])
            .arg(&binary)
            .arg("./cmd/kinde-emulator")
            .current_dir(repo().join("emulator"))
            .output()
            .unwrap();
        succeed("go build of the emulator", out);
        binary
    })
}

#[test]
fn an_undeclared_binding_fails_build_and_check_naming_the_entry_to_add() {
    let generated = Generated::new(&[Trigger::PreRegistration], edited_crate_name);
    succeed(
        "cargo kinde build",
        generated.cargo_kinde(&["build", "--no-report"]),
    );
    succeed("cargo kinde check", generated.cargo_kinde(&["check"]));

    // The code keeps calling deny_access (kinde.auth) but the settings stop declaring it.
    let lib = generated
        .root
        .join("crates/edited-user-pre-registration/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    assert!(text.contains("bindings(Auth, Console)"), "{text}");
    std::fs::write(
        &lib,
        text.replace("bindings(Auth, Console)", "bindings(Console)"),
    )
    .unwrap();

    let expected = "crate `edited-user-pre-registration` uses binding(s) `kinde.auth` but its \
                    #[workflow] settings do not declare them: add `Auth` to `bindings(...)`";
    let check = generated.cargo_kinde(&["check"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(!check.status.success(), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(stderr.contains("Workflow.ts is stale"), "{stderr}");

    let build = generated.cargo_kinde(&["build", "--no-report"]);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(!build.status.success(), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
}

#[test]
fn a_binding_the_trigger_does_not_offer_is_a_warning() {
    let generated = Generated::new(&[Trigger::PostAuthentication], edited_crate_name);
    let lib = generated
        .root
        .join("crates/edited-user-post-authentication/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        text.replace("bindings(Console)", "bindings(Console, Mfa)"),
    )
    .unwrap();
    let build = succeed(
        "cargo kinde build",
        generated.cargo_kinde(&["build", "--no-report"]),
    );
    let warning = "declares `kinde.mfa`, which Kinde does not offer to \
                   `user:post_authentication` workflows; remove `Mfa` from `bindings(...)`";
    assert!(String::from_utf8_lossy(&build.stderr).contains(warning));
    let check = succeed("cargo kinde check", generated.cargo_kinde(&["check"]));
    assert!(String::from_utf8_lossy(&check.stderr).contains(warning));
}
