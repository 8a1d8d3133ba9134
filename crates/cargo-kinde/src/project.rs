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
    /// The Kinde project (directory holding `kinde.json`) its workflow is written to:
    /// the workspace root, or `[package.metadata.kinde] project` relative to `dir`.
    pub kinde_project: PathBuf,
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
        let kinde_src = kinde_src_of(&root)?;
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
            .filter_map(|package| as_workflow_crate(package, &self.root))
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

    /// `<kindeSrc>/environment/workflows` of the workspace root's Kinde project.
    pub fn workflows_dir(&self) -> PathBuf {
        self.kinde_src.join("environment").join("workflows")
    }

    /// Where `krate`'s workflow is written: `<rootDir>/environment/workflows` of its
    /// Kinde project.
    pub fn workflows_dir_for(&self, krate: &WorkflowCrate) -> Result<PathBuf> {
        workflows_dir_of(&krate.kinde_project)
    }

    /// Every Kinde project the workspace writes to, the root's first.
    pub fn kinde_projects(&self) -> Result<Vec<PathBuf>> {
        let mut dirs = vec![self.root.clone()];
        for krate in self.workflow_crates(&[])? {
            if !dirs.contains(&krate.kinde_project) {
                dirs.push(krate.kinde_project);
            }
        }
        dirs[1..].sort();
        Ok(dirs)
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

fn as_workflow_crate(package: &Package, root: &Path) -> Option<WorkflowCrate> {
    if !package.dependencies.iter().any(|d| d.name == SDK_CRATE) {
        return None;
    }
    let lib = package
        .targets
        .iter()
        .find(|t| t.crate_types.iter().any(|k| k.to_string() == "cdylib"))?;
    let dir = package
        .manifest_path
        .parent()
        .expect("a manifest has a parent directory")
        .as_std_path()
        .to_owned();
    let kinde_project = match package.metadata["kinde"]["project"].as_str() {
        Some(relative) => normalize(&dir.join(relative)),
        None => root.to_owned(),
    };
    Some(WorkflowCrate {
        name: package.name.to_string(),
        lib_name: lib.name.replace('-', "_"),
        dir,
        kinde_project,
    })
}

/// Removes `.` and `..` components without touching the filesystem.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `<rootDir>/environment/workflows` of the Kinde project in `dir`.
pub fn workflows_dir_of(dir: &Path) -> Result<PathBuf> {
    Ok(kinde_src_of(dir)?.join("environment").join("workflows"))
}

/// `<dir>/<rootDir>`, with `rootDir` read from `<dir>/kinde.json`.
pub fn kinde_src_of(dir: &Path) -> Result<PathBuf> {
    Ok(dir.join(kinde_root_dir(dir)?))
}

/// `rootDir` from `<dir>/kinde.json`, as Kinde reads it.
fn kinde_root_dir(dir: &Path) -> Result<String> {
    let path = dir.join("kinde.json");
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{} is missing: every Kinde project (the repository root, and any \
             `[package.metadata.kinde] project`) needs one",
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
