//! The `cargo kinde` compiler: Rust workflow crate → WASM → JavaScript → `Workflow.ts`.
//!
//! See `ARCHITECTURE.md` at the repository root for the path data takes.

pub mod build;
pub mod check;
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
pub mod wasm;

/// The version written into every generated file's header.
pub const GENERATOR: &str = concat!("cargo-kinde ", env!("CARGO_PKG_VERSION"));
