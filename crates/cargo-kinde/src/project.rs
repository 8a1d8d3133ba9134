//! Finds the workspace, its workflow crates and where generated files go.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use cargo_metadata::{Metadata, MetadataCommand, Package};

/// The crate every workflow depends on.
pub const SDK_CRATE: &str = "kinde-workflow";

/// A Cargo workspace that holds Kinde workflows.
pub struct Project {
    /// `cargo metadata` of the workspace.
    pub metadata: Metadata,
    /// Workspace root (where `kinde.json` and `package.json` live).
    pub root: PathBuf,
    /// `<root>/<rootDir>` from `kinde.json` (default `kindeSrc`).
    pub kinde_src: PathBuf,
}

/// A workspace member that is a workflow: a `cdylib` depending on [`SDK_CRATE`].
#[derive(Clone, Debug)]
pub struct WorkflowCrate {
    /// Package name.
    pub name: String,
    /// Library target name (what rustc names the `.wasm`).
    pub lib_name: String,
    /// Directory holding its `Cargo.toml`.
    pub dir: PathBuf,
}

impl Project {
    /// Reads the workspace around `manifest_path` (or the current directory).
    pub fn discover(manifest_path: Option<&Path>) -> Result<Self> {
        let mut command = MetadataCommand::new();
        if let Some(path) = manifest_path {
            command.manifest_path(path);
        }
        let metadata = command
            .exec()
            .context("cannot read the Cargo workspace (`cargo metadata` failed)")?;
        let root = metadata.workspace_root.clone().into_std_path_buf();
        let kinde_src = root.join(kinde_root_dir(&root)?);
        Ok(Self {
            metadata,
            root,
            kinde_src,
        })
    }

    /// The workflow crates, sorted by name; only `only` when it is not empty.
    pub fn workflow_crates(&self, only: &[String]) -> Result<Vec<WorkflowCrate>> {
        let mut crates: Vec<WorkflowCrate> = self
            .metadata
            .workspace_packages()
            .into_iter()
            .filter_map(as_workflow_crate)
            .filter(|c| only.is_empty() || only.contains(&c.name))
            .collect();
        crates.sort_by(|a, b| a.name.cmp(&b.name));
        for name in only {
            if !crates.iter().any(|c| &c.name == name) {
                bail!("`{name}` is not a workflow crate of this workspace (a cdylib depending on {SDK_CRATE})");
            }
        }
        Ok(crates)
    }

    /// `<kindeSrc>/environment/workflows`.
    pub fn workflows_dir(&self) -> PathBuf {
        self.kinde_src.join("environment").join("workflows")
    }

    /// Scratch space for intermediate artifacts.
    pub fn work_dir(&self, krate: &WorkflowCrate) -> PathBuf {
        self.metadata
            .target_directory
            .as_std_path()
            .join("kinde")
            .join(&krate.name)
    }
}

fn as_workflow_crate(package: &Package) -> Option<WorkflowCrate> {
    if !package.dependencies.iter().any(|d| d.name == SDK_CRATE) {
        return None;
    }
    let lib = package
        .targets
        .iter()
        .find(|t| t.crate_types.iter().any(|k| k.to_string() == "cdylib"))?;
    Some(WorkflowCrate {
        name: package.name.to_string(),
        lib_name: lib.name.replace('-', "_"),
        dir: package
            .manifest_path
            .parent()
            .expect("a manifest has a parent directory")
            .as_std_path()
            .to_owned(),
    })
}

/// `rootDir` from `<root>/kinde.json`, as Kinde reads it.
fn kinde_root_dir(root: &Path) -> Result<String> {
    let path = root.join("kinde.json");
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{} is missing: Kinde needs it at the repository root",
            path.display()
        )
    })?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid JSON", path.display()))?;
    Ok(json
        .get("rootDir")
        .and_then(|v| v.as_str())
        .unwrap_or("kindeSrc")
        .to_owned())
}
