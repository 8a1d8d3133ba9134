//! What `cargo kinde new` writes: a workspace (when not inside one) and a workflow crate
//! for one trigger, with an example event and tests. Rendering is a pure function of
//! its inputs, so the same command always writes the same bytes; `workflow-template/`
//! in this repository is its output for `my-workflow` on
//! `user:existing_password_provided`.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};
use kinde_workflow::Trigger;

/// A file to write, relative to the directory it is rendered into.
pub type File = (PathBuf, String);

/// Where the generated crate gets `kinde-workflow` from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SdkSource {
    /// A local checkout's `crates/kinde-workflow` (absolute path).
    Path(PathBuf),
    /// A git repository holding the SDK's workspace.
    Git(String),
}

impl SdkSource {
    /// The SDK next to this cargo-kinde's sources when they are still there (a build
    /// from a checkout), otherwise this repository on git.
    pub fn default_for_this_build() -> Self {
        let sibling = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kinde-workflow");
        match sibling.canonicalize() {
            Ok(dir) if dir.join("Cargo.toml").is_file() => SdkSource::Path(dir),
            _ => SdkSource::Git(env!("CARGO_PKG_REPOSITORY").to_owned()),
        }
    }

    /// The dependency's TOML value, as seen from the crate in `crate_dir`.
    fn dependency(&self, crate_dir: &Path) -> String {
        match self {
            SdkSource::Path(sdk) => {
                let path = relative_path(crate_dir, sdk);
                format!("{{ path = \"{}\" }}", path.display())
            }
            SdkSource::Git(url) => format!("{{ git = \"{url}\" }}"),
        }
    }
}

/// A workflow crate's names, all derived from its package name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Names {
    /// Package name, e.g. `block-disposable-emails`.
    pub package: String,
    /// Library and function name, e.g. `block_disposable_emails`.
    pub snake: String,
    /// Workflow id, e.g. `blockDisposableEmails`.
    pub id: String,
    /// Display name, e.g. `Block disposable emails`.
    pub title: String,
}

impl Names {
    /// Checks `package` (lower-case ASCII letters, digits and `-`, starting with a
    /// letter) and derives the other names.
    pub fn new(package: &str) -> Result<Self> {
        let valid = package.starts_with(|c: char| c.is_ascii_lowercase())
            && !package.ends_with('-')
            && !package.contains("--")
            && package
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid {
            bail!(
                "invalid workflow name `{package}`: use lower-case ASCII letters, digits and single `-`, starting with a letter (e.g. `block-disposable-emails`)"
            );
        }
        let words: Vec<&str> = package.split('-').collect();
        let id = words
            .iter()
            .enumerate()
            .map(|(i, word)| {
                if i == 0 {
                    (*word).to_owned()
                } else {
                    capitalise(word)
                }
            })
            .collect();
        Ok(Self {
            package: package.to_owned(),
            snake: package.replace('-', "_"),
            id,
            title: capitalise(&words.join(" ")),
        })
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// The workspace files of a new repository (no crates).
pub fn workspace_files() -> Vec<File> {
    [
        (
            "Cargo.toml",
            include_str!("../template/workspace/Cargo.toml"),
        ),
        (
            ".gitignore",
            include_str!("../template/workspace/gitignore"),
        ),
        ("README.md", include_str!("../template/workspace/README.md")),
        (
            "kinde.json",
            include_str!("../template/workspace/kinde.json"),
        ),
        (
            "package.json",
            include_str!("../template/workspace/package.json"),
        ),
        (
            "package-lock.json",
            include_str!("../template/workspace/package-lock.json"),
        ),
        (
            ".github/workflows/ci.yml",
            include_str!("../template/workspace/ci.yml"),
        ),
        (
            "scripts/run-examples",
            include_str!("../template/workspace/run-examples"),
        ),
    ]
    .into_iter()
    .map(|(path, text)| (PathBuf::from(path), text.to_owned()))
    .collect()
}

/// A new repository at `root`: the workspace files and one crate in `crates/<name>`.
pub fn repository_files(
    names: &Names,
    trigger: Trigger,
    sdk: &SdkSource,
    root: &Path,
) -> Vec<File> {
    let crate_path = Path::new("crates").join(&names.package);
    let mut files = workspace_files();
    files.extend(
        crate_files(names, trigger, sdk, &root.join(&crate_path))
            .into_iter()
            .map(|(path, text)| (crate_path.join(path), text)),
    );
    files
}

/// The files of a workflow crate for `trigger`, relative to the crate directory;
/// `crate_dir` is where it will live (for the SDK's relative path).
pub fn crate_files(
    names: &Names,
    trigger: Trigger,
    sdk: &SdkSource,
    crate_dir: &Path,
) -> Vec<File> {
    let parts = TriggerTemplate::of(trigger);
    let event_file = format!("{}.json", trigger.file_stem());
    let fill = |text: &str| {
        text.replace("{{id}}", &names.id)
            .replace("{{title}}", &names.title)
            .replace("{{function}}", &names.snake)
            .replace("{{package}}", &names.package)
            .replace("{{sdk}}", &sdk.dependency(crate_dir))
            .replace("{{event_type}}", parts.event_type)
            .replace("{{test_imports}}", parts.test_imports)
            .replace("{{event_file}}", &event_file)
    };
    let tests = fill(TESTS_HEADER) + &fill(parts.tests);
    vec![
        (
            PathBuf::from("Cargo.toml"),
            fill(include_str!("../template/crate/Cargo.toml")),
        ),
        (PathBuf::from("src/lib.rs"), fill(parts.lib)),
        (PathBuf::from("tests/workflow.rs"), tests),
        (
            PathBuf::from("events").join(&event_file),
            parts.event.to_owned(),
        ),
    ]
}

/// The start of every crate's `tests/workflow.rs`.
const TESTS_HEADER: &str = r#"//! The workflow on its example event, natively (`cargo test`) and under Node
//! (`cargo test --target wasm32-unknown-unknown`, with wasm-bindgen-test-runner).

use kinde_workflow::events::{Event, {{event_type}}};
use kinde_workflow::testing::{block_on, MemoryHost};
{{test_imports}}use {{function}}::{ {{function}}, WORKFLOW_SETTINGS };

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The example event (`cargo kinde run` and the emulator use it too).
const EVENT: &str = include_str!("../events/{{event_file}}");

"#;

/// The per-trigger parts of a crate.
struct TriggerTemplate {
    event_type: &'static str,
    lib: &'static str,
    tests: &'static str,
    test_imports: &'static str,
    event: &'static str,
}

macro_rules! trigger_template {
    ($stem:literal, $event_type:literal, $imports:literal) => {
        TriggerTemplate {
            event_type: $event_type,
            lib: include_str!(concat!("../template/triggers/", $stem, ".rs")),
            tests: include_str!(concat!("../template/triggers/", $stem, ".test.rs")),
            test_imports: $imports,
            event: include_str!(concat!("../template/events/", $stem, ".json")),
        }
    };
}

impl TriggerTemplate {
    fn of(trigger: Trigger) -> Self {
        match trigger {
            Trigger::TokensGeneration => trigger_template!(
                "user_tokens_generation",
                "TokensGeneration",
                "use kinde_workflow::testing::Token;\n"
            ),
            Trigger::PreMfa => trigger_template!(
                "user_pre_mfa",
                "PreMfa",
                "use kinde_workflow::MfaEnforcementPolicy;\n"
            ),
            Trigger::PostAuthentication => trigger_template!(
                "user_post_authentication",
                "PostAuthentication",
                "use kinde_workflow::LogLevel;\n"
            ),
            Trigger::M2mTokenGeneration => trigger_template!(
                "m2m_token_generation",
                "M2mTokenGeneration",
                "use kinde_workflow::testing::Token;\n"
            ),
            Trigger::ExistingPasswordProvided => trigger_template!(
                "user_existing_password_provided",
                "ExistingPasswordProvided",
                "use kinde_workflow::LogLevel;\n"
            ),
            Trigger::NewPasswordProvided => trigger_template!(
                "user_new_password_provided",
                "NewPasswordProvided",
                "use kinde_workflow::testing::Call;\n"
            ),
            Trigger::PlanSelection => trigger_template!(
                "user_plan_selection",
                "PlanSelection",
                "use kinde_workflow::testing::PlanDenial;\n"
            ),
            Trigger::PlanCancellationRequest => trigger_template!(
                "user_plan_cancellation_request",
                "PlanCancellationRequest",
                "use kinde_workflow::testing::PlanDenial;\n"
            ),
            Trigger::PreRegistration => trigger_template!(
                "user_pre_registration",
                "PreRegistration",
                "use kinde_workflow::testing::Call;\n"
            ),
            Trigger::NewUsernameProvided => trigger_template!(
                "user_new_username_provided",
                "NewUsernameProvided",
                "use kinde_workflow::LogLevel;\n"
            ),
        }
    }
}

/// The example event for `trigger` (the same one `cargo kinde new` writes).
pub fn example_event(trigger: Trigger) -> &'static str {
    TriggerTemplate::of(trigger).event
}

/// The `src/lib.rs` `cargo kinde new` writes for `trigger`, before names are filled in.
pub fn example_workflow(trigger: Trigger) -> &'static str {
    TriggerTemplate::of(trigger).lib
}

/// Formats the Rust files among `files` with `rustfmt` (edition 2021), so generated code
/// passes `cargo fmt --check` whatever the names' lengths.
pub fn format_rust(files: Vec<File>) -> Result<Vec<File>> {
    files
        .into_iter()
        .map(|(path, text)| {
            if path.extension().is_some_and(|e| e == "rs") {
                let formatted =
                    rustfmt(&text).with_context(|| format!("cannot format {}", path.display()))?;
                Ok((path, formatted))
            } else {
                Ok((path, text))
            }
        })
        .collect()
}

fn rustfmt(source: &str) -> Result<String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run rustfmt: install it with `rustup component add rustfmt`")?;
    child
        .stdin
        .take()
        .context("rustfmt has no stdin")?
        .write_all(source.as_bytes())?;
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8(output.stdout)?)
}

/// `to` relative to `from` (both absolute), with `/` separators.
fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..from.len() {
        path.push("..");
    }
    for part in &to[common..] {
        path.push(part);
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_derive_from_the_package_name() {
        let names = Names::new("block-disposable-emails2").unwrap();
        assert_eq!(names.snake, "block_disposable_emails2");
        assert_eq!(names.id, "blockDisposableEmails2");
        assert_eq!(names.title, "Block disposable emails2");
        for bad in ["", "Upper", "1st", "a_b", "a--b", "a-", "ü"] {
            let err = Names::new(bad).unwrap_err().to_string();
            assert!(
                err.starts_with(&format!("invalid workflow name `{bad}`")),
                "{err}"
            );
        }
    }

    #[test]
    fn sdk_path_is_relative_to_the_crate() {
        let sdk = SdkSource::Path("/repo/crates/kinde-workflow".into());
        assert_eq!(
            sdk.dependency(Path::new("/repo/workflow-template/crates/my-workflow")),
            r#"{ path = "../../../crates/kinde-workflow" }"#
        );
        assert_eq!(
            SdkSource::Git("https://example.com/r".into()).dependency(Path::new("/x")),
            r#"{ git = "https://example.com/r" }"#
        );
    }

    #[test]
    fn every_trigger_renders_without_leftover_placeholders() {
        let names = Names::new("my-workflow").unwrap();
        let sdk = SdkSource::Git("https://example.com/r".into());
        for trigger in Trigger::ALL {
            let files = crate_files(&names, *trigger, &sdk, Path::new("/w/crates/my-workflow"));
            for (path, text) in &files {
                assert!(!text.contains("{{"), "{}: {text}", path.display());
            }
            let lib = &files[1].1;
            assert!(lib.contains("id = \"myWorkflow\""), "{lib}");
            assert!(lib.contains("pub async fn my_workflow("), "{lib}");
            let event: serde_json::Value = serde_json::from_str(&files[3].1).unwrap();
            assert_eq!(event["context"]["workflow"]["trigger"], trigger.as_str());
        }
    }
}
