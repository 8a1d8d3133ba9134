//! `cargo kinde check`: is `kindeSrc` current, and would Kinde accept it?
//!
//! Staleness is decided from the inputs hash in each generated file's header, without
//! building. Kinde's sync rules are checked over every workflow in `kindeSrc`, hand
//! written ones included.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result};
use serde_json::Value;

use crate::build::relative;
use crate::project::Project;
use crate::shim::{self, INPUTS_MARKER};
use crate::{inputs, GENERATOR};

/// A workflow file found in `kindeSrc`, as Kinde's discovery finds it.
#[derive(Debug)]
pub struct FoundWorkflow {
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

/// Prints a summary; exit code 0 when everything is fine, 1 otherwise.
pub fn run(project: &Project) -> Result<ExitCode> {
    let problems = problems(project)?;
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

/// Everything wrong with the project's `kindeSrc`, as readable sentences.
pub fn problems(project: &Project) -> Result<Vec<String>> {
    let found = discover(project)?;
    let mut problems = Vec::new();
    for krate in project.workflow_crates(&[])? {
        let generated: Vec<&FoundWorkflow> = found
            .iter()
            .filter(|w| {
                w.generated
                    .as_ref()
                    .is_some_and(|g| g.crate_name == krate.name)
            })
            .collect();
        match generated.as_slice() {
            [] => problems.push(format!(
                "crate `{}` has no generated workflow in {}: run `cargo kinde build`",
                krate.name,
                relative(&project.root, &project.workflows_dir())
            )),
            [one] => {
                let header = one.generated.as_ref().expect("filtered on generated");
                if header.inputs_hash != inputs::hash(project, &krate)? {
                    problems.push(format!(
                        "{} is stale: crate `{}` changed since it was generated; run `cargo kinde build`",
                        relative(&project.root, &one.path),
                        krate.name
                    ));
                }
            }
            _ => problems.push(format!(
                "crate `{}` has {} generated workflows; delete the old directory",
                krate.name,
                generated.len()
            )),
        }
    }
    let crates: Vec<String> = project
        .workflow_crates(&[])?
        .into_iter()
        .map(|c| c.name)
        .collect();
    for workflow in &found {
        if let Some(header) = &workflow.generated {
            if !crates.contains(&header.crate_name) {
                problems.push(format!(
                    "{} was generated from crate `{}`, which is no longer in the workspace: delete it",
                    relative(&project.root, &workflow.path),
                    header.crate_name
                ));
            }
        }
    }
    problems.extend(sync_rule_problems(project, &found));
    Ok(problems)
}

/// Kinde's sync rules: at least one workflow, known triggers, one workflow per trigger,
/// unique ids, and every binding the code uses declared.
pub fn sync_rule_problems(project: &Project, found: &[FoundWorkflow]) -> Vec<String> {
    let mut problems = Vec::new();
    if found.is_empty() {
        problems.push(
            "no workflows in kindeSrc/environment/workflows: Kinde refuses to sync".to_owned(),
        );
    }
    let mut by_trigger: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut by_id: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for workflow in found {
        let shown = relative(&project.root, &workflow.path);
        let id = workflow.settings["id"].as_str().unwrap_or_default();
        let trigger = workflow.settings["trigger"].as_str().unwrap_or_default();
        if id.is_empty() {
            problems.push(format!("{shown}: workflowSettings has no `id`"));
        }
        if trigger.parse::<KnownTrigger>().is_err() {
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

/// The `Binding` variant name for a Kinde binding key: `kinde.secureFetch` → `SecureFetch`.
pub fn binding_variant(binding: &str) -> String {
    let last = binding.rsplit('.').next().unwrap_or(binding);
    let mut chars = last.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

struct KnownTrigger;

impl std::str::FromStr for KnownTrigger {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        const TRIGGERS: &[&str] = &[
            "user:tokens_generation",
            "user:pre_mfa",
            "user:post_authentication",
            "m2m:token_generation",
            "user:existing_password_provided",
            "user:new_password_provided",
            "user:plan_selection",
            "user:plan_cancellation_request",
            "user:pre_registration",
            "user:new_username_provided",
        ];
        TRIGGERS.contains(&s).then_some(KnownTrigger).ok_or(())
    }
}

/// Finds workflow entry files as Kinde does: names ending in `workflow.ts`/`workflow.js`.
pub fn discover(project: &Project) -> Result<Vec<FoundWorkflow>> {
    let mut paths = Vec::new();
    let dir = project.workflows_dir();
    if dir.is_dir() {
        walk(&dir, &mut paths)?;
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)?;
            let generated = parse_header(&text);
            let settings = match &generated {
                Some(_) => generated_settings(&text),
                None => evaluated_settings(project, &path),
            }
            .with_context(|| format!("cannot read workflowSettings of {}", path.display()))?;
            Ok(FoundWorkflow {
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
