//! `cargo kinde check`: is `kindeSrc` current, and would Kinde accept it?
//!
//! Staleness is decided from the inputs hash in each generated file's header, without
//! building. Kinde's sync rules are checked over every workflow in `kindeSrc`, hand
//! written ones included, separately for each Kinde project of the workspace (the root
//! one, and those crates name with `[package.metadata.kinde] project`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result};
use kinde_workflow::{Binding, Trigger};
use serde_json::Value;

use crate::build::relative;
use crate::project::{self, Project, WorkflowCrate};
use crate::shim::{self, INPUTS_MARKER};
use crate::{inputs, GENERATOR};

/// A workflow file found in `kindeSrc`, as Kinde's discovery finds it.
#[derive(Debug)]
pub struct FoundWorkflow {
    /// The Kinde project (directory holding `kinde.json`) it belongs to.
    pub project: PathBuf,
    /// The entry file.
    pub path: PathBuf,
    /// Its `workflowSettings`.
    pub settings: Value,
    /// For generated files: the crate, the inputs hash and the bindings the code uses.
    pub generated: Option<GeneratedHeader>,
}

/// What a generated file's header records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedHeader {
    /// The Rust crate.
    pub crate_name: String,
    /// Inputs hash at build time.
    pub inputs_hash: String,
    /// Bindings the compiled code uses.
    pub uses: Vec<String>,
}

/// Prints warnings and a summary; exit code 0 when there are no problems, 1 otherwise.
pub fn run(project: &Project) -> Result<ExitCode> {
    let found = discover(project)?;
    for warning in trigger_binding_warnings(project, &found) {
        eprintln!("warning: {warning}");
    }
    let problems = problems(project, &found)?;
    if problems.is_empty() {
        eprintln!("kindeSrc is up to date and follows Kinde's sync rules");
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("cargo kinde check found {} problem(s):", problems.len());
    for problem in &problems {
        eprintln!("  - {problem}");
    }
    Ok(ExitCode::FAILURE)
}

/// The workflows in `found` that `cargo kinde build` generated from `krate`.
pub fn generated_from<'a>(
    found: &'a [FoundWorkflow],
    krate: &WorkflowCrate,
) -> Vec<&'a FoundWorkflow> {
    found
        .iter()
        .filter(|w| {
            w.generated
                .as_ref()
                .is_some_and(|g| g.crate_name == krate.name)
        })
        .collect()
}

/// Whether `workflow`, generated from `krate`, records the crate's current inputs.
pub fn is_fresh(
    project: &Project,
    krate: &WorkflowCrate,
    workflow: &FoundWorkflow,
) -> Result<bool> {
    Ok(match &workflow.generated {
        Some(header) => header.inputs_hash == inputs::hash(project, krate)?,
        None => false,
    })
}

/// Everything wrong with the project's `kindeSrc` (its workflows as [`discover`]
/// found them), as readable sentences.
pub fn problems(project: &Project, found: &[FoundWorkflow]) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut changed = Vec::new();
    let crates = project.workflow_crates(&[])?;
    for krate in &crates {
        let generated = generated_from(found, krate);
        match generated.as_slice() {
            [] => problems.push(format!(
                "crate `{}` has no generated workflow in {}: run `cargo kinde build`",
                krate.name,
                relative(&project.root, &project.workflows_dir_for(krate)?)
            )),
            [one] => {
                if !is_fresh(project, krate, one)? {
                    problems.push(format!(
                        "{} is stale: crate `{}` changed since it was generated; run `cargo kinde build`",
                        relative(&project.root, &one.path),
                        krate.name
                    ));
                    changed.push(krate.clone());
                }
            }
            _ => problems.push(format!(
                "crate `{}` has {} generated workflows; delete the old directory",
                krate.name,
                generated.len()
            )),
        }
    }
    for workflow in found {
        if let Some(header) = &workflow.generated {
            if !crates.iter().any(|c| c.name == header.crate_name) {
                problems.push(format!(
                    "{} was generated from crate `{}`, which is no longer in the workspace: delete it",
                    relative(&project.root, &workflow.path),
                    header.crate_name
                ));
            }
        }
    }
    for kinde_project in project.kinde_projects()? {
        let members: Vec<&FoundWorkflow> = found
            .iter()
            .filter(|w| w.project == kinde_project)
            .collect();
        problems.extend(sync_rule_problems(project, &members));
    }
    if !changed.is_empty() {
        // Say now what the rebuild would refuse: compile the changed crates (cargo only)
        // and compare the bindings their code uses with those they declare.
        eprintln!("checking the bindings of changed crates (compiling them)");
        match crate::build::check_bindings_of_sources(project, &changed) {
            Ok(found) => problems.extend(found),
            Err(err) => problems.push(format!("{err:#}")),
        }
    }
    Ok(problems)
}

/// Kinde's sync rules over the workflows of one Kinde project: at least one workflow,
/// known triggers, one workflow per trigger, unique ids, and every binding the code
/// uses declared.
pub fn sync_rule_problems(project: &Project, found: &[&FoundWorkflow]) -> Vec<String> {
    let mut problems = Vec::new();
    if found.is_empty() {
        problems.push(
            "no workflows in kindeSrc/environment/workflows: Kinde refuses to sync".to_owned(),
        );
    }
    let mut by_trigger: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut by_id: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for workflow in found.iter().copied() {
        let shown = relative(&project.root, &workflow.path);
        let id = workflow.settings["id"].as_str().unwrap_or_default();
        let trigger = workflow.settings["trigger"].as_str().unwrap_or_default();
        if id.is_empty() {
            problems.push(format!("{shown}: workflowSettings has no `id`"));
        }
        if trigger.parse::<Trigger>().is_err() {
            problems.push(format!("{shown}: unknown trigger `{trigger}`"));
        }
        by_trigger.entry(trigger).or_default().push(shown.clone());
        by_id.entry(id).or_default().push(shown.clone());
        if let Some(header) = &workflow.generated {
            let declared = workflow.settings["bindings"].as_object();
            for binding in &header.uses {
                if !declared.is_some_and(|d| d.contains_key(binding)) {
                    problems.push(format!(
                        "{shown}: the code uses binding `{binding}` but the settings do not declare it; \
                         add `{}` to `bindings(...)` in the #[workflow] attribute of crate `{}`",
                        binding_variant(binding),
                        header.crate_name
                    ));
                }
            }
        }
    }
    for (trigger, files) in by_trigger.iter().filter(|(_, f)| f.len() > 1) {
        problems.push(format!(
            "{} workflows use trigger `{trigger}` ({}); Kinde allows one per trigger",
            files.len(),
            files.join(", ")
        ));
    }
    for (id, files) in by_id.iter().filter(|(_, f)| f.len() > 1) {
        problems.push(format!(
            "workflow id `{id}` is used by {}",
            files.join(", ")
        ));
    }
    problems
}

/// The `Binding` variant name for a Kinde binding key: `kinde.secureFetch` → `SecureFetch`
/// (for a key the SDK does not know, the key's last part, capitalised).
pub fn binding_variant(binding: &str) -> String {
    if let Ok(known) = binding.parse::<Binding>() {
        return known.variant_name().to_owned();
    }
    let last = binding.rsplit('.').next().unwrap_or(binding);
    let mut chars = last.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Declared bindings the workflow's trigger does not offer (see
/// [`Trigger::allowed_bindings`]), as readable sentences.
///
/// These are warnings, not problems: Kinde's documentation of which trigger offers
/// which binding is incomplete (some bindings and one trigger are documented only in
/// Kinde's types), and Kinde itself does not refuse such settings when it syncs. Failing
/// here would block workflows the runtime may well accept; staying silent would hide
/// a binding that is most likely `undefined` at run time.
pub fn trigger_binding_warnings(project: &Project, found: &[FoundWorkflow]) -> Vec<String> {
    let mut warnings = Vec::new();
    for workflow in found {
        let Ok(trigger) = workflow.settings["trigger"]
            .as_str()
            .unwrap_or_default()
            .parse::<Trigger>()
        else {
            continue; // reported as a problem
        };
        let declared = workflow.settings["bindings"].as_object();
        for name in declared.into_iter().flat_map(|d| d.keys()) {
            warnings.extend(offer_warning(
                &relative(&project.root, &workflow.path),
                trigger,
                name,
            ));
        }
    }
    warnings
}

/// The warning for one declared binding, if the trigger does not offer it.
pub fn offer_warning(shown: &str, trigger: Trigger, binding: &str) -> Option<String> {
    match binding.parse::<Binding>() {
        Ok(known) if trigger.offers(known) => None,
        Ok(known) => Some(format!(
            "{shown}: declares `{binding}`, which Kinde does not offer to `{trigger}` workflows; \
             remove `{}` from `bindings(...)` unless you know Kinde provides it there",
            known.variant_name()
        )),
        Err(_) => Some(format!(
            "{shown}: declares `{binding}`, which is not a Kinde binding"
        )),
    }
}

/// Finds workflow entry files as Kinde does: names ending in `workflow.ts`/`workflow.js`.
pub fn discover(project: &Project) -> Result<Vec<FoundWorkflow>> {
    let mut paths = Vec::new();
    for kinde_project in project.kinde_projects()? {
        let dir = project::workflows_dir_of(&kinde_project)?;
        let mut found = Vec::new();
        if dir.is_dir() {
            walk(&dir, &mut found)?;
        }
        found.sort();
        paths.extend(found.into_iter().map(|path| (kinde_project.clone(), path)));
    }
    paths
        .into_iter()
        .map(|(kinde_project, path)| {
            let text = std::fs::read_to_string(&path)?;
            let generated = parse_header(&text);
            let settings = match &generated {
                Some(_) => generated_settings(&text),
                None => evaluated_settings(project, &path),
            }
            .with_context(|| format!("cannot read workflowSettings of {}", path.display()))?;
            Ok(FoundWorkflow {
                project: kinde_project,
                path,
                settings,
                generated,
            })
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(&path, out)?;
        } else {
            let name = entry.file_name().to_string_lossy().to_lowercase();
            if name.ends_with("workflow.ts") || name.ends_with("workflow.js") {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// Reads the header `cargo kinde build` writes.
pub fn parse_header(text: &str) -> Option<GeneratedHeader> {
    let first = text.lines().next()?;
    let crate_name = first
        .strip_prefix(&format!("// Generated by {}", GENERATOR.split(' ').next()?))?
        .split('`')
        .nth(1)?
        .to_owned();
    let inputs_hash = text
        .lines()
        .find_map(|l| l.strip_prefix(INPUTS_MARKER))?
        .trim()
        .to_owned();
    let uses = text
        .lines()
        .find_map(|l| l.strip_prefix(shim::USES_MARKER))
        .map(|l| {
            l.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Some(GeneratedHeader {
        crate_name,
        inputs_hash,
        uses,
    })
}

/// The JSON object after `export const workflowSettings = ` in a generated file.
fn generated_settings(text: &str) -> Result<Value> {
    const START: &str = "export const workflowSettings = ";
    let start = text
        .find(START)
        .context("no `export const workflowSettings`")?
        + START.len();
    let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
    Ok(stream.next().context("no settings object")??)
}

/// Bundles a hand-written workflow with esbuild and evaluates its top level in node with
/// no bindings, as Kinde's discovery does, to read `workflowSettings`.
fn evaluated_settings(project: &Project, path: &Path) -> Result<Value> {
    let esbuild = project.root.join("node_modules/esbuild");
    let script = r#"
const [esbuildPath, entry] = process.argv.slice(1);
const out = require(esbuildPath).buildSync({ entryPoints: [entry], bundle: true, format: "cjs",
  platform: "browser", write: false, logLevel: "silent" });
const module = { exports: {} };
new Function("module", "exports", "require", out.outputFiles[0].text)(module, module.exports,
  () => { throw new Error("require is not available"); });
process.stdout.write(JSON.stringify(module.exports.workflowSettings ?? null));
"#;
    let output = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(&esbuild)
        .arg(path)
        .output()
        .context("cannot run node")?;
    if !output.status.success() {
        anyhow::bail!("{}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(serde_json::from_slice(&output.stdout)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binding_variants_follow_the_key() {
        assert_eq!(binding_variant("kinde.secureFetch"), "SecureFetch");
        assert_eq!(binding_variant("console"), "Console");
        assert_eq!(binding_variant("kinde.m2mToken"), "M2mToken");
        assert_eq!(binding_variant("kinde.future"), "Future");
    }

    #[test]
    fn bindings_a_trigger_does_not_offer_are_warned_about() {
        assert_eq!(offer_warning("W.ts", Trigger::PreMfa, "kinde.mfa"), None);
        assert_eq!(
            offer_warning("W.ts", Trigger::ExistingPasswordProvided, "kinde.idToken").unwrap(),
            "W.ts: declares `kinde.idToken`, which Kinde does not offer to \
             `user:existing_password_provided` workflows; remove `IdToken` from \
             `bindings(...)` unless you know Kinde provides it there"
        );
        assert!(offer_warning("W.ts", Trigger::PreMfa, "kinde.nope")
            .unwrap()
            .contains("not a Kinde binding"));
    }

    #[test]
    fn header_round_trip() {
        let text = format!(
            "// Generated by {GENERATOR} from the Rust crate `demo`. Do not edit.\n// x\n{INPUTS_MARKER}abc\n{}kinde.fetch, console\n",
            shim::USES_MARKER
        );
        let header = parse_header(&text).unwrap();
        assert_eq!(header.crate_name, "demo");
        assert_eq!(header.inputs_hash, "abc");
        assert_eq!(header.uses, vec!["kinde.fetch", "console"]);
        assert!(parse_header("export const x = 1;").is_none());
    }

    #[test]
    fn generated_settings_are_read_without_evaluating() {
        let text = "// h\nexport const workflowSettings = {\n  \"id\": \"a\",\n  \"trigger\": \"user:pre_mfa\"\n};\n\nconst x = 1;";
        assert_eq!(generated_settings(text).unwrap()["id"], "a");
    }
}
