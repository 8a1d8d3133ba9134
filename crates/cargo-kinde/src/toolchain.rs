//! Finds the tools the build needs and says how to install any that are missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{anyhow, bail, Context, Result};

use crate::project::Project;

/// The wasm-bindgen version this build of cargo-kinde generates glue for. A workspace
/// must lock `wasm-bindgen` at exactly this version.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// The esbuild version Kinde bundles with.
pub const ESBUILD_VERSION: &str = "0.24.0";
/// The Rust target workflows compile to.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The external tools, found and version-checked.
pub struct Toolchain {
    node_modules: PathBuf,
}

impl Toolchain {
    /// Checks every prerequisite; the first missing one is a one-line error with its fix.
    pub fn find(project: &Project) -> Result<Self> {
        check_wasm_target()?;
        let toolchain = Self {
            node_modules: project.root.join("node_modules"),
        };
        toolchain.check_esbuild()?;
        check_wasm_bindgen(project)?;
        Ok(toolchain)
    }

    /// Runs esbuild in `dir` with `args` (its npm package installs a native binary).
    /// esbuild names sources relative to its working directory in its output, so the
    /// directory must not depend on where the workspace is.
    pub fn esbuild(&self, dir: &Path, args: &[&std::ffi::OsStr]) -> Result<()> {
        let binary = self.node_modules.join("esbuild/bin/esbuild");
        run_tool("esbuild", Command::new(binary).current_dir(dir).args(args))
    }

    fn check_esbuild(&self) -> Result<()> {
        let manifest = self.node_modules.join("esbuild/package.json");
        let fix = "run `npm ci` at the workspace root (or `scripts/bootstrap`)";
        let text = std::fs::read_to_string(&manifest)
            .map_err(|_| anyhow!("esbuild is not installed: {fix}"))?;
        let json: serde_json::Value = serde_json::from_str(&text)?;
        let version = json["version"].as_str().unwrap_or_default();
        if version != ESBUILD_VERSION {
            bail!("esbuild {version} is installed but Kinde bundles with {ESBUILD_VERSION}: pin it in package.json and {fix}");
        }
        Ok(())
    }
}

/// Runs a tool; a failure carries its output.
fn run_tool(name: &str, command: &mut Command) -> Result<()> {
    let output = command
        .output()
        .with_context(|| format!("cannot run {name}"))?;
    if !output.status.success() {
        bail!(
            "{name} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

fn check_wasm_target() -> Result<()> {
    let output = Command::new("rustc")
        .args(["--print", "target-libdir", "--target", WASM_TARGET])
        .output()
        .context("cannot run rustc: install Rust with rustup")?;
    let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    if !output.status.success() || !dir.is_dir() {
        bail!("the {WASM_TARGET} target is not installed: run `rustup target add {WASM_TARGET}`");
    }
    Ok(())
}

/// The workspace must lock wasm-bindgen at [`WASM_BINDGEN_VERSION`].
fn check_wasm_bindgen(project: &Project) -> Result<()> {
    let locked: Vec<String> = project
        .metadata
        .packages
        .iter()
        .filter(|p| p.name.as_str() == "wasm-bindgen")
        .map(|p| p.version.to_string())
        .collect();
    match locked.as_slice() {
        [] => Ok(()),
        [version] if version == WASM_BINDGEN_VERSION => Ok(()),
        versions => bail!(
            "Cargo.lock has wasm-bindgen {} but this cargo-kinde generates glue for {WASM_BINDGEN_VERSION}: \
             run `cargo update -p wasm-bindgen --precise {WASM_BINDGEN_VERSION}`",
            versions.join(", ")
        ),
    }
}

/// The first `program` on `PATH`.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glue_version_matches_the_linked_cli_support() {
        let lock =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock"))
                .unwrap();
        let entry = lock
            .split("[[package]]")
            .find(|p| p.contains("name = \"wasm-bindgen-cli-support\""))
            .unwrap();
        assert!(
            entry.contains(&format!("version = \"{WASM_BINDGEN_VERSION}\"")),
            "{entry}"
        );
    }
}
