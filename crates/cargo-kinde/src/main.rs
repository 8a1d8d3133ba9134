//! `cargo kinde`: build Rust Kinde workflows into Kinde-syncable `Workflow.ts` files.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cargo_kinde::new::NewWorkflow;
use cargo_kinde::run::RunArgs;
use cargo_kinde::template::SdkSource;
use cargo_kinde::{build, check, new, project::Project, run};
use kinde_workflow::Trigger;

/// Cargo invokes subcommands as `cargo-kinde kinde <args>`; this strips the extra word.
#[derive(Parser)]
#[command(name = "cargo", bin_name = "cargo")]
enum CargoCli {
    /// Build and check Rust Kinde workflows.
    #[command(version)]
    Kinde(Cli),
}

#[derive(clap::Args)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Path to the workspace's Cargo.toml (default: found from the current directory).
    #[arg(long, global = true)]
    manifest_path: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Compile every workflow crate and write kindeSrc/environment/workflows/<id>/.
    Build {
        /// Build only this package (repeatable).
        #[arg(short, long)]
        package: Vec<String>,
        /// Skip the size report (it bundles each workflow with esbuild).
        #[arg(long)]
        no_report: bool,
    },
    /// Fail when kindeSrc is stale or breaks Kinde's sync rules.
    Check,
    /// Run one workflow on an event in the local Kinde runtime (the Go emulator).
    Run {
        /// Workflow id or crate name.
        workflow: String,
        /// Event JSON file.
        #[arg(long)]
        event: PathBuf,
        /// Environment variables: a JSON object or KEY=VALUE lines.
        #[arg(long)]
        env: Option<PathBuf>,
        /// Binding profile for what Kinde does not document (e.g. `minimal-return`).
        #[arg(long)]
        profile: Option<String>,
        /// Send requests for a host to a loopback server, `PATTERN=URL` (repeatable).
        #[arg(long)]
        route: Vec<String>,
        /// Time limit, e.g. `5s`.
        #[arg(long)]
        timeout: Option<String>,
        /// Print the run record as JSON.
        #[arg(long)]
        json: bool,
        /// Fail instead of rebuilding stale generated files.
        #[arg(long)]
        no_build: bool,
    },
    /// Create a workflow crate (and, outside a workspace, a new repository for it).
    New {
        /// Package name, e.g. `block-disposable-emails`.
        name: String,
        /// The Kinde trigger, e.g. `user:pre_registration`.
        #[arg(long)]
        trigger: Trigger,
        /// Depend on the SDK at this path (its `crates/kinde-workflow`).
        #[arg(long, conflicts_with = "sdk_git")]
        sdk_path: Option<PathBuf>,
        /// Depend on the SDK from this git repository.
        #[arg(long)]
        sdk_git: Option<String>,
    },
}

fn main() -> ExitCode {
    let CargoCli::Kinde(cli) = CargoCli::parse();
    if let Command::New {
        name,
        trigger,
        sdk_path,
        sdk_git,
    } = cli.command
    {
        let sdk = sdk_path
            .map(SdkSource::Path)
            .or(sdk_git.map(SdkSource::Git));
        return report(create(NewWorkflow { name, trigger, sdk }));
    }
    let result =
        Project::discover(cli.manifest_path.as_deref()).and_then(|project| match cli.command {
            Command::Build { package, no_report } => {
                build::run(&project, &package, !no_report).map(|_| ExitCode::SUCCESS)
            }
            Command::Check => check::run(&project),
            Command::Run {
                workflow,
                event,
                env,
                profile,
                route,
                timeout,
                json,
                no_build,
            } => run::run(
                &project,
                &RunArgs {
                    workflow,
                    event,
                    env,
                    profile,
                    routes: route,
                    timeout,
                    json,
                    no_build,
                },
            ),
            Command::New { .. } => unreachable!("handled before the project is read"),
        });
    report(result)
}

/// The exit code, after printing the error if there is one.
fn report(result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo kinde new`: writes the crate and says what to do next.
fn create(request: NewWorkflow) -> anyhow::Result<ExitCode> {
    let request = NewWorkflow {
        sdk: match request.sdk {
            Some(SdkSource::Path(path)) => {
                Some(SdkSource::Path(path.canonicalize().map_err(|e| {
                    anyhow::anyhow!("cannot use --sdk-path {}: {e}", path.display())
                })?))
            }
            other => other,
        },
        ..request
    };
    let created = new::run(&std::env::current_dir()?, &request)?;
    eprintln!(
        "     Created workflow crate `{}` ({}) in {}",
        request.name,
        request.trigger,
        created.crate_dir.display()
    );
    if created.new_workspace {
        eprintln!(
            "Next: cd {} && npm ci && cargo test && cargo kinde build",
            created.root.display()
        );
    } else {
        eprintln!("Next: cargo test -p {} && cargo kinde build", request.name);
    }
    Ok(ExitCode::SUCCESS)
}
