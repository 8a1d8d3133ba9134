//! `cargo kinde run`: one workflow, one event, in the local Kinde runtime.
//!
//! Rebuilds the workflow when its generated files are stale, builds the Go emulator
//! (`emulator/cmd/kinde-emulator`) and hands it the event. The emulator starts the
//! loopback peers the run needs and prints the run record.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{anyhow, bail, Context, Result};

use crate::check::{self, FoundWorkflow};
use crate::project::Project;
use crate::{build, toolchain};

/// Where the emulator's Go module lives unless [`EMULATOR_DIR_VAR`] says otherwise.
pub const EMULATOR_SUBDIR: &str = "emulator";
/// Environment variable naming the emulator's Go module directory.
pub const EMULATOR_DIR_VAR: &str = "KINDE_EMULATOR_DIR";
/// The emulator's Go module path, checked so a stray `emulator/` is not mistaken for it.
const EMULATOR_MODULE: &str = "module kindewasm/emulator";

/// What to run and how; paths are relative to the current directory.
#[derive(Debug, Default)]
pub struct RunArgs {
    /// Workflow id or crate name.
    pub workflow: String,
    /// Event JSON file.
    pub event: PathBuf,
    /// Environment variables file (see the emulator's `--env`).
    pub env: Option<PathBuf>,
    /// Binding profile name (see the emulator's `--profile`).
    pub profile: Option<String>,
    /// Extra host routes, `PATTERN=URL`.
    pub routes: Vec<String>,
    /// Time limit, e.g. `5s`.
    pub timeout: Option<String>,
    /// Print the run record as JSON.
    pub json: bool,
    /// Do not rebuild stale output.
    pub no_build: bool,
}

/// Runs the workflow and returns the emulator's exit code (0 resolved, 1 rejected).
pub fn run(project: &Project, args: &RunArgs) -> Result<ExitCode> {
    let go = toolchain::which("go").ok_or_else(|| {
        anyhow!(
            "Go is not installed; `cargo kinde run` executes workflows in the Go emulator: \
             install Go 1.26 or newer (`sudo apt-get install -y golang-go`, or see https://go.dev/doc/install)"
        )
    })?;
    let emulator_dir = emulator_dir(project)?;
    let id = ensure_built(project, &args.workflow, args.no_build)?;
    let binary = build_emulator(project, &go, &emulator_dir)?;

    let mut command = Command::new(binary);
    command
        .arg("run")
        .arg("--project")
        .arg(&project.root)
        .arg("--workflow")
        .arg(&id)
        .arg("--event")
        .arg(absolute(&args.event)?);
    if let Some(env) = &args.env {
        command.arg("--env").arg(absolute(env)?);
    }
    if let Some(profile) = &args.profile {
        command.arg("--profile").arg(profile);
    }
    for route in &args.routes {
        command.arg("--route").arg(route);
    }
    if let Some(timeout) = &args.timeout {
        command.arg("--timeout").arg(timeout);
    }
    if args.json {
        command.arg("--json");
    }
    let status = command
        .status()
        .context("cannot start the emulator binary")?;
    Ok(match status.code() {
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
        None => bail!("the emulator was killed by a signal"),
    })
}

/// The emulator's Go module: `$KINDE_EMULATOR_DIR`, else `<workspace>/emulator`.
pub fn emulator_dir(project: &Project) -> Result<PathBuf> {
    let (dir, origin) = match std::env::var_os(EMULATOR_DIR_VAR) {
        Some(dir) => (PathBuf::from(dir), format!("${EMULATOR_DIR_VAR}")),
        None => (
            project.root.join(EMULATOR_SUBDIR),
            "the workspace".to_owned(),
        ),
    };
    let go_mod = std::fs::read_to_string(dir.join("go.mod")).unwrap_or_default();
    if !go_mod.lines().any(|line| line.trim() == EMULATOR_MODULE) {
        bail!(
            "no Kinde emulator at {} (from {origin}): set {EMULATOR_DIR_VAR} to the `emulator` \
             directory of a kinde-wasm checkout",
            dir.display()
        );
    }
    Ok(dir)
}

/// Finds the workflow by id or crate name, rebuilding it when stale; returns its id.
fn ensure_built(project: &Project, wanted: &str, no_build: bool) -> Result<String> {
    let crates = project.workflow_crates(&[])?;
    let found = check::discover(project)?;
    let krate = crates.iter().find(|c| c.name == wanted).or_else(|| {
        let generated_by = found
            .iter()
            .find(|w| workflow_id(w) == Some(wanted))?
            .generated
            .as_ref()?;
        crates.iter().find(|c| c.name == generated_by.crate_name)
    });
    let Some(krate) = krate else {
        // A hand-written workflow: nothing to build.
        if found.iter().any(|w| workflow_id(w) == Some(wanted)) {
            return Ok(wanted.to_owned());
        }
        bail!("no workflow crate or workflow id `{wanted}` in this workspace");
    };
    let current = check::generated_from(&found, krate).into_iter().next();
    let fresh = match current {
        Some(workflow) => check::is_fresh(project, krate, workflow)?,
        None => false,
    };
    if !fresh {
        if no_build {
            bail!(
                "the generated files of `{}` are missing or stale and --no-build was given",
                krate.name
            );
        }
        eprintln!(
            "   Rebuilding `{}` (its generated files are stale)",
            krate.name
        );
        let built = build::run(project, std::slice::from_ref(&krate.name), false)?;
        return Ok(built
            .into_iter()
            .next()
            .map(|b| b.id)
            .expect("one crate built"));
    }
    current
        .and_then(workflow_id)
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("the generated workflow of `{}` has no id", krate.name))
}

fn workflow_id(found: &FoundWorkflow) -> Option<&str> {
    found.settings.get("id").and_then(|id| id.as_str())
}

/// `go build`s the emulator CLI into the target directory (Go caches the work).
fn build_emulator(project: &Project, go: &Path, emulator_dir: &Path) -> Result<PathBuf> {
    let binary = project
        .metadata
        .target_directory
        .as_std_path()
        .join("cargo-kinde")
        .join("kinde-emulator");
    let status = Command::new(go)
        .current_dir(emulator_dir)
        .arg("build")
        .arg("-o")
        .arg(&binary)
        .arg("./cmd/kinde-emulator")
        .status()
        .context("cannot run `go build`")?;
    if !status.success() {
        bail!(
            "`go build ./cmd/kinde-emulator` failed in {}",
            emulator_dir.display()
        );
    }
    Ok(binary)
}

fn absolute(path: &Path) -> Result<OsString> {
    let path =
        std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    if !path.is_file() {
        bail!("{} does not exist", path.display());
    }
    Ok(path.into_os_string())
}
