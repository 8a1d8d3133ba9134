//! Builds the repository's workflows in a scratch copy of the workspace with the real
//! toolchain (cargo, wasm-bindgen, binaryen's wasm2js, esbuild) and checks what `cargo kinde`
//! promises: deterministic output equal to the committed `kindeSrc`, staleness found
//! by `check`, undeclared bindings refused, Kinde's sync rules enforced, and the
//! rewrites of wasm2js's output applied.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Held by each [`Scratch`] for its whole life: the scratch workspaces share one
/// target directory (compiled dependencies), and a build reads the `.wasm` cargo wrote
/// after cargo's own lock is released, so two builds at once could read each other's.
static TARGET_DIR: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A copy of the workspace's sources in a temporary directory.
struct Scratch {
    dir: tempfile::TempDir,
    _target_dir: std::sync::MutexGuard<'static, ()>,
}

impl Scratch {
    fn new() -> Self {
        // A failed test poisons the lock; the target directory is still usable.
        let target_dir = TARGET_DIR
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let repo = repo();
        let dir = tempfile::tempdir().unwrap();
        for file in [
            "Cargo.toml",
            "Cargo.lock",
            "kinde.json",
            "package.json",
            "package-lock.json",
        ] {
            std::fs::copy(repo.join(file), dir.path().join(file)).unwrap();
        }
        copy_tree(&repo.join("crates"), &dir.path().join("crates"));
        copy_tree(&repo.join("kindeSrc"), &dir.path().join("kindeSrc"));
        std::os::unix::fs::symlink(repo.join("node_modules"), dir.path().join("node_modules"))
            .unwrap();
        Self {
            dir,
            _target_dir: target_dir,
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn cargo_kinde(&self, args: &[&str]) -> Output {
        // Share compiled dependencies between test runs; output must not depend on it.
        self.cargo_kinde_in(&repo().join("target/cargo-kinde-tests"), args)
    }

    fn cargo_kinde_in(&self, target_dir: &Path, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cargo-kinde"))
            .arg("kinde")
            .args(args)
            .arg("--manifest-path")
            .arg(self.path().join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", target_dir)
            .output()
            .unwrap()
    }

    fn build(&self) {
        self.build_in(&repo().join("target/cargo-kinde-tests"));
    }

    fn build_in(&self, target_dir: &Path) {
        let out = self.cargo_kinde_in(target_dir, &["build", "--no-report"]);
        assert!(
            out.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} does not contain {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

/// Every file under `dir`, as (relative path, bytes), sorted.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).unwrap().display().to_string();
                out.push((relative, std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    files
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The generated output of every Kinde project in the workspace: the deployable root
/// one and the example's own (see `[package.metadata.kinde]` in its manifest).
const GENERATED_DIRS: &[&str] = &["kindeSrc", "crates/example-workflow/kindeSrc"];

/// [`snapshot`] of every directory in [`GENERATED_DIRS`] under `root`.
fn generated(root: &Path) -> Vec<(String, Vec<u8>)> {
    GENERATED_DIRS
        .iter()
        .flat_map(|dir| {
            snapshot(&root.join(dir))
                .into_iter()
                .map(move |(name, bytes)| (format!("{dir}/{name}"), bytes))
        })
        .collect()
}

#[test]
fn builds_are_deterministic_and_match_the_committed_kinde_src() {
    let scratch = Scratch::new();
    let committed = generated(&repo());
    scratch.build();
    let first = generated(scratch.path());
    // The second build starts from nothing, in a target directory with no
    // `tsconfig.json` or workspace above it.
    let elsewhere = tempfile::tempdir().unwrap();
    scratch.build_in(elsewhere.path());
    let second = generated(scratch.path());
    assert!(
        first == second,
        "two builds of the same sources differ (the second in a fresh target directory)"
    );
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&first), names(&committed));
    for ((name, built), (_, kept)) in first.iter().zip(&committed) {
        assert!(
            built == kept,
            "{name} differs from the committed file: run `cargo kinde build`"
        );
    }
}

#[test]
fn check_finds_stale_output_and_passes_after_a_rebuild() {
    let scratch = Scratch::new();
    let ok = scratch.cargo_kinde(&["check"]);
    assert!(ok.status.success(), "{}", stderr(&ok));

    // Tests and example events never reach the compiled code: not inputs.
    std::fs::write(
        scratch
            .path()
            .join("crates/example-workflow/events/another.json"),
        "{}",
    )
    .unwrap();
    let still_fresh = scratch.cargo_kinde(&["check"]);
    assert!(still_fresh.status.success(), "{}", stderr(&still_fresh));

    scratch.edit(
        "crates/example-workflow/src/lib.rs",
        "checking {}",
        "checking sign-in of {}",
    );
    let stale = scratch.cargo_kinde(&["check"]);
    assert!(!stale.status.success());
    assert!(
        stderr(&stale).contains("Workflow.ts is stale: crate `example-workflow` changed"),
        "{}",
        stderr(&stale)
    );

    scratch.build();
    let fresh = scratch.cargo_kinde(&["check"]);
    assert!(fresh.status.success(), "{}", stderr(&fresh));
}

#[test]
fn a_binding_used_but_not_declared_fails_the_build() {
    let scratch = Scratch::new();
    scratch.edit(
        "crates/example-workflow/src/lib.rs",
        "bindings(Fetch, Env, Console)",
        "bindings(Fetch, Env)",
    );
    let out = scratch.cargo_kinde(&["build", "--no-report"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(
            "crate `example-workflow` uses binding(s) `console` but its #[workflow] settings do not declare them: add `Console` to `bindings(...)`"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_enforces_one_workflow_per_trigger() {
    let scratch = Scratch::new();
    let dir = scratch
        .path()
        .join("kindeSrc/environment/workflows/handWritten");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("handWrittenWorkflow.ts"),
        "export const workflowSettings = { id: \"dripFeedMigration\", trigger: \"user:existing_password_provided\", bindings: {} };\nexport default async function Workflow() {}\n",
    )
    .unwrap();
    let out = scratch.cargo_kinde(&["check"]);
    assert!(!out.status.success());
    let text = stderr(&out);
    assert!(
        text.contains("2 workflows use trigger `user:existing_password_provided`"),
        "{text}"
    );
    assert!(
        text.contains("workflow id `dripFeedMigration` is used by"),
        "{text}"
    );
}

/// The `unaligned` rewrite finds its shapes in a real translation (a binaryen upgrade
/// that printed them otherwise would only slow the module down, so nothing else would
/// fail): in the committed drip-feed (equal to a fresh build, above), SHA-256's
/// sixteen message words per block are read big-endian through the `DataView`, and the
/// other unaligned accesses go through it too.
#[test]
fn the_rewrites_of_wasm2js_output_apply_to_a_real_translation() {
    let module = std::fs::read_to_string(
        repo().join("kindeSrc/environment/workflows/dripFeedMigration/rust-module.js"),
    )
    .unwrap();
    let reads: Vec<&str> = module
        .split(".getInt32(")
        .skip(1)
        .map(|rest| &rest[..rest.find(')').unwrap_or(rest.len())])
        .collect();
    let big_endian = reads.iter().filter(|args| !args.contains(',')).count();
    assert!(big_endian >= 16, "{big_endian} big-endian word reads");
    assert!(reads.len() > 100, "{} word reads", reads.len());
    for call in [".setInt32(", ".getUint16(", ".setInt16("] {
        assert!(module.contains(call), "no {call}");
    }
}
