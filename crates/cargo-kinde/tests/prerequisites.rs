//! A missing or wrong prerequisite stops `cargo kinde build` with one line naming the
//! tool and the command that installs it, before anything is compiled.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The workspace's manifests and sources in a temporary directory, with a
/// `node_modules` the test assembles (empty by default).
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        let repo = repo();
        let dir = tempfile::tempdir().unwrap();
        for file in ["Cargo.toml", "Cargo.lock", "kinde.json", "package.json"] {
            std::fs::copy(repo.join(file), dir.path().join(file)).unwrap();
        }
        copy_tree(&repo.join("crates"), &dir.path().join("crates"));
        std::fs::create_dir(dir.path().join("node_modules")).unwrap();
        Self { dir }
    }

    /// Writes a file under `node_modules`.
    fn fake(&self, path: &str, text: &str) {
        let path = self.dir.path().join("node_modules").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn build(&self) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cargo-kinde"))
            .args(["kinde", "build", "--no-report", "--manifest-path"])
            .arg(self.dir.path().join("Cargo.toml"))
            .output()
            .unwrap()
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == "kindeSrc" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

/// Asserts the build failed with exactly one error line, containing `expected`.
fn assert_one_line_error(out: &Output, expected: &str) {
    assert!(!out.status.success(), "the build succeeded");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains(expected), "{stderr}");
}

#[test]
fn another_esbuild_than_kindes_is_refused() {
    let workspace = Workspace::new();
    workspace.fake("esbuild/package.json", r#"{"version": "0.25.0"}"#);
    assert_one_line_error(
        &workspace.build(),
        "esbuild 0.25.0 is installed but Kinde bundles with 0.24.0",
    );
}

#[test]
fn missing_esbuild_names_npm_ci() {
    let workspace = Workspace::new();
    assert_one_line_error(
        &workspace.build(),
        "esbuild is not installed: run `npm ci` at the workspace root (or `scripts/bootstrap`)",
    );
}
