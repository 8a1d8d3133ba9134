//! `cargo kinde`: build Rust Kinde workflows into Kinde-syncable `Workflow.ts` files.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cargo_kinde::{build, check, project::Project};

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
}

fn main() -> ExitCode {
    let CargoCli::Kinde(cli) = CargoCli::parse();
    let result =
        Project::discover(cli.manifest_path.as_deref()).and_then(|project| match cli.command {
            Command::Build { package, no_report } => {
                build::run(&project, &package, !no_report).map(|_| ExitCode::SUCCESS)
            }
            Command::Check => check::run(&project),
        });
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
