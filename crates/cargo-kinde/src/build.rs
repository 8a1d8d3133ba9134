//! `cargo kinde build`: the pipeline from a workflow crate to `kindeSrc`.
//!
//! cargo (wasm32, size profile) → wasm-bindgen (bundler glue) → `lowering` (sign-ext
//! and float-to-int, in wasm-bindgen's IR) → wasm2js -Oz (bulk memory kept) → patches (traps,
//! data segments, rotations, redundant coercions) → esbuild (glue + module into one lazily instantiated,
//! minified factory) → `Workflow.ts`, `rust-module.js`, `rust-module.d.ts`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::project::{Project, WorkflowCrate};
use crate::shim::{self, Adapter, Generated};
use crate::toolchain::{Toolchain, WASM_TARGET};
use crate::{
    check, coercions, data_segments, inputs, lowering, report, rotations, unaligned, wasm,
};

/// Cargo profile with size-tuned settings (declared in the workspace `Cargo.toml`).
pub const PROFILE: &str = "kinde";

/// rustc flags for wasm32: wasm2js accepts one table only, so no reference types;
/// multivalue returns are not lowered by wasm2js either. The stack is 128 KiB instead
/// of 1 MiB: every instance allocates its memory, and wasm2js grows memory by copying
/// it into a new `ArrayBuffer`.
const RUSTFLAGS: &[&str] = &[
    "-Ctarget-feature=-reference-types,-multivalue",
    "-Clink-arg=-zstack-size=131072",
];

/// wasm2js: keep `memory.copy`/`memory.fill`, which it translates to the host's
/// native `copyWithin`/`fill` (a byte loop in wasm is a slow loop in JS). Inline a
/// function with one caller only up to 100 instructions: LLVM has inlined what pays
/// already, and binaryen inlining the rest, then optimising every function it grew,
/// was a third of the translation (`scripts/bench`: a one-line rebuild −1 s; the
/// module 2K smaller).
const WASM2JS_FLAGS: &[&str] = &[
    "--enable-bulk-memory",
    "-Oz",
    "--one-caller-inline-max-function-size=100",
];

/// One workflow written to `kindeSrc`.
pub struct Built {
    /// The crate it came from.
    pub krate: WorkflowCrate,
    /// The workflow id.
    pub id: String,
    /// The directory written.
    pub dir: PathBuf,
    /// Sizes for the report.
    pub sizes: report::Sizes,
}

/// Builds the workflow crates (all, or those in `only`) and prints a size report.
pub fn run(project: &Project, only: &[String], with_report: bool) -> Result<Vec<Built>> {
    let crates = project.workflow_crates(only)?;
    if crates.is_empty() {
        bail!(
            "no workflow crates found: a workflow crate is a cdylib that depends on kinde-workflow"
        );
    }
    let tools = Toolchain::find(project)?;
    cargo_build(project, &crates)?;
    let mut built = Vec::new();
    for krate in crates {
        let one = build_one(project, &tools, krate)?;
        eprintln!("     Wrote {}", relative(&project.root, &one.dir));
        built.push(one);
    }
    check_unique_ids(&built)?;
    if with_report {
        for one in &mut built {
            report::measure_bundle(
                &tools,
                &one.dir,
                &project.work_dir(&one.krate),
                &mut one.sizes,
            )?;
        }
        eprint!("{}", report::table(&built));
    }
    Ok(built)
}

/// Where cargo writes the crate's `.wasm` (before wasm-bindgen).
pub fn raw_wasm_path(project: &Project, krate: &WorkflowCrate) -> PathBuf {
    project
        .metadata
        .target_directory
        .as_std_path()
        .join(WASM_TARGET)
        .join(PROFILE)
        .join(format!("{}.wasm", krate.lib_name))
}

/// Compiles `crates` (cargo only) and checks each one's used bindings against its
/// declared settings, reading both from the `.wasm` cargo wrote: what `check` does for
/// crates changed since their last build.
pub fn check_bindings_of_sources(
    project: &Project,
    crates: &[WorkflowCrate],
) -> Result<Vec<String>> {
    cargo_build(project, crates)?;
    let mut problems = Vec::new();
    for krate in crates {
        let raw = std::fs::read(raw_wasm_path(project, krate))?;
        let Some(settings) = wasm::settings_json(&raw)? else {
            problems.push(format!(
                "crate `{}` has no #[kinde_workflow::workflow] function",
                krate.name
            ));
            continue;
        };
        let settings: serde_json::Value = serde_json::from_str(&settings)?;
        let adapters = Adapter::used_by(&wasm::imported_functions(&raw)?);
        if let Err(err) = check_declared(krate, &settings, &adapters) {
            problems.push(err.to_string());
        }
    }
    Ok(problems)
}

fn build_one(project: &Project, tools: &Toolchain, krate: WorkflowCrate) -> Result<Built> {
    let raw_wasm = raw_wasm_path(project, &krate);
    let raw =
        std::fs::read(&raw_wasm).with_context(|| format!("cannot read {}", raw_wasm.display()))?;
    let settings = wasm::settings_json(&raw)?.with_context(|| {
        format!(
            "crate `{}` has no #[kinde_workflow::workflow] function",
            krate.name
        )
    })?;
    let settings: serde_json::Value =
        serde_json::from_str(&settings).context("the settings #[workflow] stored are not JSON")?;
    let id = settings["id"]
        .as_str()
        .context("settings have no id")?
        .to_owned();
    let short_circuit = wasm::short_circuit_json(&raw)?
        .map(|json| shim::ShortCircuit::from_json(&json))
        .transpose()?;

    let work = project.work_dir(&krate);
    let paths = WorkPaths::new(&work, &krate.lib_name);
    let key = translation_key(&raw);
    let key_file = work.join("translation-key");
    let up_to_date = std::fs::read_to_string(&key_file).is_ok_and(|old| old == key)
        && [&paths.bg_wasm, &paths.factory_body]
            .iter()
            .all(|path| path.exists());
    if !up_to_date {
        let _ = std::fs::remove_file(&key_file);
        translate(tools, &raw_wasm, &krate.lib_name, &paths)?;
        std::fs::write(&key_file, &key)?;
    }

    let imports = wasm::imported_functions(&std::fs::read(&paths.bg_wasm)?)?;
    let adapters = Adapter::used_by(&imports);
    check_declared(&krate, &settings, &adapters)?;
    warn_about_trigger_bindings(&krate, &settings);
    let factory_body = std::fs::read_to_string(&paths.factory_body)?;

    let hash = inputs::hash(project, &krate)?;
    let generated = Generated {
        crate_name: &krate.name,
        inputs_hash: &hash,
        settings: &settings,
        adapters: &adapters,
        short_circuit: short_circuit.as_ref(),
        factory_body: &factory_body,
    };
    let dir = project.workflows_dir_for(&krate)?.join(&id);
    std::fs::create_dir_all(&dir)?;
    let files = shim::render(&generated)?;
    for (name, text) in &files {
        std::fs::write(dir.join(name), text)?;
    }
    let sizes = report::Sizes {
        wasm: std::fs::metadata(&paths.bg_wasm)?.len(),
        js: files.iter().map(|(_, text)| text.len() as u64).sum(),
        ..Default::default()
    };
    Ok(Built {
        krate,
        id,
        dir,
        sizes,
    })
}

/// Files of a crate's work directory that translation writes.
struct WorkPaths {
    glue_dir: PathBuf,
    bg_wasm: PathBuf,
    factory_body: PathBuf,
}

impl WorkPaths {
    fn new(work: &Path, lib_name: &str) -> Self {
        let glue_dir = work.join("bindgen");
        Self {
            bg_wasm: glue_dir.join(format!("{lib_name}_bg.wasm")),
            glue_dir,
            factory_body: work.join("factory-body.js"),
        }
    }
}

/// Identifies a translation: the `.wasm` cargo wrote, cargo-kinde's own sources (which
/// hold every flag) and binaryen's release. A crate whose `.wasm` did not change is not
/// translated again, so a change to one workflow rebuilds only that one.
fn translation_key(raw_wasm: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(inputs::SOURCE_HASH.as_bytes());
    hasher.update(binaryen_wasm2js::BINARYEN_VERSION.to_le_bytes());
    hasher.update(raw_wasm);
    format!("{:x}", hasher.finalize())
}

/// wasm-bindgen, lowering, wasm2js (with the trap and data patches) and esbuild: the
/// `.wasm` cargo wrote becomes `paths.factory_body`.
fn translate(tools: &Toolchain, raw_wasm: &Path, lib_name: &str, paths: &WorkPaths) -> Result<()> {
    let glue_dir = &paths.glue_dir;
    if glue_dir.exists() {
        std::fs::remove_dir_all(glue_dir)?;
    }
    let mut output = wasm_bindgen_cli_support::Bindgen::new()
        .input_path(raw_wasm)
        .out_name(lib_name)
        .bundler(true)?
        .typescript(false)
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate_output()
        .with_context(|| format!("wasm-bindgen failed on {}", raw_wasm.display()))?;
    lowering::lower(output.wasm_mut());
    output.emit(glue_dir).with_context(|| {
        format!(
            "cannot write wasm-bindgen's output to {}",
            glue_dir.display()
        )
    })?;

    let module_js = glue_dir.join(format!("{lib_name}_bg.wasm.js"));
    binaryen_wasm2js::translate(&paths.bg_wasm, &module_js, WASM2JS_FLAGS)
        .with_context(|| format!("cannot translate {}", paths.bg_wasm.display()))?;

    let translated = std::fs::read_to_string(&module_js)?;
    let translated = rotations::inline(&data_segments::inline(&shim::patch_trap(&translated)?)?);
    let translated = coercions::drop_redundant(&unaligned::rewrite(&translated)?)?;
    std::fs::write(&module_js, translated)?;
    let glue_js = glue_dir.join(format!("{lib_name}_bg.js"));
    let glue = std::fs::read_to_string(&glue_js)?;
    std::fs::write(&glue_js, shim::patch_memory_views(&glue)?)?;

    const ENTRY: &str = "entry.js";
    std::fs::write(glue_dir.join(ENTRY), shim::entry_js(lib_name))?;
    let factory_body = &paths.factory_body;
    tools.esbuild(
        glue_dir,
        &[
            OsStr::new(ENTRY),
            OsStr::new("--bundle"),
            OsStr::new("--format=iife"),
            OsStr::new("--global-name=__kindeRust"),
            OsStr::new("--target=es2017"),
            OsStr::new("--platform=neutral"),
            // Strict, whatever `tsconfig.json` is above the target directory: esbuild
            // would otherwise look one up from where the glue is, outside the sources.
            OsStr::new(r#"--tsconfig-raw={"compilerOptions":{"alwaysStrict":true}}"#),
            // Kinde's esbuild keeps identifiers (and its sourcemap embeds this file
            // again), so shorten them here.
            OsStr::new("--minify"),
            OsStr::new("--log-level=warning"),
            OsStr::new(&format!("--outfile={}", factory_body.display())),
        ],
    )?;
    Ok(())
}

/// Builds all crates in one cargo invocation (shared dependencies compile once).
fn cargo_build(project: &Project, crates: &[WorkflowCrate]) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(&project.root)
        .args(["build", "--target", WASM_TARGET, "--profile", PROFILE])
        .arg("--config")
        .arg(rustflags_config(project));
    for krate in crates {
        command.args(["-p", &krate.name]);
    }
    let status = command.status().context("cannot run cargo")?;
    if !status.success() {
        bail!("cargo build for {WASM_TARGET} failed");
    }
    Ok(())
}

/// `target.wasm32-unknown-unknown.rustflags=[...]`, with paths remapped so the output
/// does not depend on where the workspace or Cargo's home is.
fn rustflags_config(project: &Project) -> String {
    let mut flags: Vec<String> = RUSTFLAGS.iter().map(|f| (*f).to_owned()).collect();
    flags.push(format!(
        "--remap-path-prefix={}=/workspace",
        project.root.display()
    ));
    if let Some(home) = cargo_home() {
        flags.push(format!("--remap-path-prefix={}=/cargo", home.display()));
        // Panic locations of dependencies become `/serde_json-1.0.154/src/de.rs`: each
        // path is data in every instance, and the registry's directory name says nothing.
        let registries = home.join("registry").join("src");
        let mut indexes: Vec<PathBuf> = std::fs::read_dir(&registries)
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .collect();
        indexes.sort();
        for index in indexes {
            flags.push(format!("--remap-path-prefix={}=", index.display()));
        }
    }
    let quoted: Vec<String> = flags
        .iter()
        .map(|f| serde_json::to_string(f).expect("string"))
        .collect();
    format!("target.{WASM_TARGET}.rustflags=[{}]", quoted.join(","))
}

fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
}

/// Using a binding the settings do not declare fails in Kinde at run time; fail here.
fn check_declared(
    krate: &WorkflowCrate,
    settings: &serde_json::Value,
    adapters: &std::collections::BTreeSet<Adapter>,
) -> Result<()> {
    let declared = settings["bindings"].as_object();
    let missing: Vec<&str> = shim::used_bindings(adapters)
        .into_iter()
        .filter(|b| !declared.is_some_and(|d| d.contains_key(*b)))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let variants: Vec<String> = missing.iter().map(|b| check::binding_variant(b)).collect();
    bail!(
        "crate `{}` uses binding(s) {} but its #[workflow] settings do not declare them: add {} to `bindings(...)`",
        krate.name,
        missing.iter().map(|b| format!("`{b}`")).collect::<Vec<_>>().join(", "),
        variants.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
    )
}

/// Declared bindings the trigger does not offer: a warning (see
/// [`check::trigger_binding_warnings`] for why not an error).
fn warn_about_trigger_bindings(krate: &WorkflowCrate, settings: &serde_json::Value) {
    let Ok(trigger) = settings["trigger"]
        .as_str()
        .unwrap_or_default()
        .parse::<kinde_workflow::Trigger>()
    else {
        return;
    };
    let shown = format!("crate `{}`", krate.name);
    for name in settings["bindings"]
        .as_object()
        .into_iter()
        .flat_map(|d| d.keys())
    {
        if let Some(warning) = check::offer_warning(&shown, trigger, name) {
            eprintln!("warning: {warning}");
        }
    }
}

fn check_unique_ids(built: &[Built]) -> Result<()> {
    for (i, a) in built.iter().enumerate() {
        let same_project = |b: &&Built| b.krate.kinde_project == a.krate.kinde_project;
        if let Some(b) = built[..i]
            .iter()
            .filter(same_project)
            .find(|b| b.id == a.id)
        {
            bail!(
                "crates `{}` and `{}` both declare workflow id `{}`",
                b.krate.name,
                a.krate.name,
                a.id
            );
        }
    }
    Ok(())
}

/// `path` relative to `root`, for messages.
pub fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
