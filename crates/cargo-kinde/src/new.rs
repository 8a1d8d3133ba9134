//! `cargo kinde new <name> --trigger <trigger>`: a new workflow crate, in the enclosing
//! Cargo workspace or, outside one, in a new repository laid out like
//! `workflow-template/`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use kinde_workflow::Trigger;

use crate::template::{self, File, Names, SdkSource};

/// What to create.
#[derive(Clone, Debug)]
pub struct NewWorkflow {
    /// Package name of the crate.
    pub name: String,
    /// The trigger it runs on.
    pub trigger: Trigger,
    /// Where its `kinde-workflow` comes from; by default a path when the crate is inside
    /// the SDK's own repository, git otherwise.
    pub sdk: Option<SdkSource>,
}

/// What [`run`] wrote.
#[derive(Debug)]
pub struct Created {
    /// The workspace root (new or existing).
    pub root: PathBuf,
    /// The crate's directory.
    pub crate_dir: PathBuf,
    /// Whether the workspace was created too.
    pub new_workspace: bool,
}

/// Renders the crate (and the workspace when `cwd` is in none) under `cwd`.
pub fn run(cwd: &Path, request: &NewWorkflow) -> Result<Created> {
    let names = Names::new(&request.name)?;
    let cwd = cwd
        .canonicalize()
        .with_context(|| format!("cannot use the directory {}", cwd.display()))?;
    let (root, new_workspace) = match enclosing_workspace(&cwd)? {
        Some(root) => (root, false),
        None => (cwd.join(&names.package), true),
    };
    let crate_dir = root.join("crates").join(&names.package);
    if new_workspace && root.exists() {
        bail!("{} already exists", root.display());
    }
    if crate_dir.exists() {
        bail!("{} already exists", crate_dir.display());
    }
    let sdk = request
        .sdk
        .clone()
        .unwrap_or_else(|| default_sdk(&root, &crate_dir));
    if new_workspace {
        let files = template::repository_files(&names, request.trigger, &sdk, &root);
        write_files(&root, &template::format_rust(files)?)?;
    } else {
        let files = template::crate_files(&names, request.trigger, &sdk, &crate_dir);
        write_files(&crate_dir, &template::format_rust(files)?)?;
    }
    Ok(Created {
        root,
        crate_dir,
        new_workspace,
    })
}

/// The nearest directory at or above `dir` whose `Cargo.toml` declares a workspace.
fn enclosing_workspace(dir: &Path) -> Result<Option<PathBuf>> {
    for candidate in dir.ancestors() {
        let manifest = candidate.join("Cargo.toml");
        if manifest.is_file() {
            let text = std::fs::read_to_string(&manifest)
                .with_context(|| format!("cannot read {}", manifest.display()))?;
            if text.lines().any(|line| line.trim() == "[workspace]") {
                return Ok(Some(candidate.to_owned()));
            }
        }
    }
    Ok(None)
}

/// A path dependency inside the SDK's repository (the workspace holds
/// `crates/kinde-workflow`, or is where this cargo-kinde was built from), git everywhere
/// else.
fn default_sdk(root: &Path, crate_dir: &Path) -> SdkSource {
    let in_workspace = root.join("crates").join(crate::project::SDK_CRATE);
    if is_sdk_package(&in_workspace) {
        return SdkSource::Path(in_workspace);
    }
    match SdkSource::default_for_this_build() {
        SdkSource::Path(sdk) => {
            let repository = sdk.ancestors().nth(2).unwrap_or(&sdk).to_owned();
            if crate_dir.starts_with(&repository) {
                SdkSource::Path(sdk)
            } else {
                SdkSource::Git(env!("CARGO_PKG_REPOSITORY").to_owned())
            }
        }
        git => git,
    }
}

/// Whether `dir` holds the `kinde-workflow` package.
fn is_sdk_package(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|manifest| {
        manifest
            .lines()
            .any(|line| line.replace(' ', "") == format!("name=\"{}\"", crate::project::SDK_CRATE))
    })
}

fn write_files(dir: &Path, files: &[File]) -> Result<()> {
    for (relative, text) in files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        if relative.starts_with("scripts") {
            make_executable(&path)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("cannot make {} executable", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str, trigger: Trigger) -> NewWorkflow {
        NewWorkflow {
            name: name.to_owned(),
            trigger,
            sdk: Some(SdkSource::Git("https://example.com/sdk".to_owned())),
        }
    }

    #[test]
    fn outside_a_workspace_a_repository_is_created_then_crates_are_added_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = run(dir.path(), &request("gate", Trigger::PreMfa)).unwrap();
        assert!(first.new_workspace);
        for file in [
            "Cargo.toml",
            "kinde.json",
            ".github/workflows/ci.yml",
            "crates/gate/events/user_pre_mfa.json",
        ] {
            assert!(first.root.join(file).is_file(), "{file}");
        }
        let second = run(
            &first.crate_dir,
            &request("claims", Trigger::TokensGeneration),
        )
        .unwrap();
        assert!(!second.new_workspace);
        assert_eq!(second.root, first.root);
        assert!(second.root.join("crates/claims/src/lib.rs").is_file());

        let again = run(&first.root, &request("claims", Trigger::PreMfa)).unwrap_err();
        assert!(
            again.to_string().ends_with("crates/claims already exists"),
            "{again}"
        );
    }

    #[test]
    fn a_workspace_holding_the_sdk_gets_a_path_dependency_on_it() {
        let checkout = tempfile::tempdir().unwrap();
        let root = checkout.path().canonicalize().unwrap();
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"crates/*\"]\n",
        )
        .unwrap();
        let sdk = root.join("crates/kinde-workflow");
        std::fs::create_dir_all(&sdk).unwrap();
        std::fs::write(
            sdk.join("Cargo.toml"),
            "[package]\nname = \"kinde-workflow\"\n",
        )
        .unwrap();

        let created = run(
            &root,
            &NewWorkflow {
                name: "greeter".to_owned(),
                trigger: Trigger::PostAuthentication,
                sdk: None,
            },
        )
        .unwrap();
        let manifest = std::fs::read_to_string(created.crate_dir.join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains(r#"kinde-workflow = { path = "../kinde-workflow" }"#),
            "{manifest}"
        );
    }

    #[test]
    fn a_bad_name_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let err = run(dir.path(), &request("Bad Name", Trigger::PreMfa)).unwrap_err();
        assert!(
            err.to_string().starts_with("invalid workflow name"),
            "{err}"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
