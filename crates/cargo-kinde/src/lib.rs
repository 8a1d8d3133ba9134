//! The `cargo kinde` compiler: Rust workflow crate → WASM → JavaScript → `Workflow.ts`.
//!
//! See `ARCHITECTURE.md` at the repository root for the path data takes.

pub mod build;
pub mod check;
pub mod coercions;
pub mod data_segments;
pub mod inputs;
pub mod lowering;
pub mod new;
pub mod project;
pub mod report;
pub mod rotations;
pub mod run;
pub mod shim;
pub mod template;
pub mod toolchain;
pub mod unaligned;
pub mod wasm;
pub mod wasm2js_ast;

/// Runs `node -e script args…` for the unit tests that check generated JavaScript (or
/// WebAssembly) by running it; returns its standard output, or fails the test with
/// node's standard error.
#[cfg(test)]
pub(crate) fn run_node(script: &str, args: &[&str]) -> String {
    let output = std::process::Command::new("node")
        .arg("-e")
        .arg(script)
        .args(args)
        .output()
        .expect("node runs (a prerequisite of cargo kinde build)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("node prints UTF-8")
}

/// The version written into every generated file's header.
pub const GENERATOR: &str = concat!("cargo-kinde ", env!("CARGO_PKG_VERSION"));
