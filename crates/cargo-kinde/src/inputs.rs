//! The hash of everything a workflow's generated files depend on.
//!
//! `cargo kinde build` writes it into each generated file's header; `cargo kinde check`
//! recomputes it without building, so a stale `kindeSrc` is found in milliseconds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use cargo_metadata::PackageId;
use sha2::{Digest, Sha256};

use crate::project::{Project, WorkflowCrate};

/// Files at the workspace root that change what the build produces.
const ROOT_INPUTS: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "package.json",
    "package-lock.json",
];

/// Hex SHA-256 over the generator version, the root inputs, and every file of every
/// workspace-local package the crate depends on (paths relative to the root, sorted).
pub fn hash(project: &Project, krate: &WorkflowCrate) -> Result<String> {
    let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
    for name in ROOT_INPUTS {
        let path = project.root.join(name);
        if path.is_file() {
            files.insert((*name).to_owned(), path);
        }
    }
    for dir in local_package_dirs(project, &krate.name)? {
        collect_files(&project.root, &dir, &mut files)?;
    }
    let mut hasher = Sha256::new();
    hasher.update(crate::GENERATOR.as_bytes());
    for (relative, path) in &files {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        hasher.update((relative.len() as u64).to_le_bytes());
        hasher.update(relative.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    Ok(hex(&hasher.finalize()))
}

/// Directories of the workspace-local packages `name` depends on, itself included.
fn local_package_dirs(project: &Project, name: &str) -> Result<BTreeSet<PathBuf>> {
    let metadata = &project.metadata;
    let resolve = metadata
        .resolve
        .as_ref()
        .context("cargo metadata returned no dependency graph")?;
    let root = metadata
        .packages
        .iter()
        .find(|p| p.name.as_str() == name)
        .with_context(|| format!("package {name} not found"))?;
    let nodes: BTreeMap<&PackageId, &cargo_metadata::Node> =
        resolve.nodes.iter().map(|n| (&n.id, n)).collect();
    let mut seen: BTreeSet<&PackageId> = BTreeSet::new();
    let mut stack = vec![&root.id];
    let mut dirs = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let package = &metadata[id];
        if package.source.is_some() {
            continue; // registry or git: pinned by Cargo.lock
        }
        dirs.insert(
            package
                .manifest_path
                .parent()
                .expect("manifest has a parent")
                .as_std_path()
                .to_owned(),
        );
        if let Some(node) = nodes.get(id) {
            stack.extend(node.dependencies.iter());
        }
    }
    Ok(dirs)
}

fn collect_files(root: &Path, dir: &Path, files: &mut BTreeMap<String, PathBuf>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect_files(root, &path, files)?;
        } else {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            files.insert(relative.to_string_lossy().replace('\\', "/"), path);
        }
    }
    Ok(())
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
