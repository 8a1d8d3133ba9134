//! Reads what the build needs from a `.wasm`: the declared settings and the imports.

use anyhow::{Context, Result};
use wasmparser::{Parser, Payload};

/// The custom section `#[workflow]` writes the settings JSON into.
pub const SETTINGS_SECTION: &str = "kinde_workflow_settings";

/// The custom section `#[workflow(short_circuit(...))]` writes its JSON into.
pub const SHORT_CIRCUIT_SECTION: &str = "kinde_workflow_short_circuit";

/// The settings JSON stored by `#[workflow]`, if the module has one.
pub fn settings_json(wasm: &[u8]) -> Result<Option<String>> {
    custom_section_text(wasm, SETTINGS_SECTION)
}

/// The short circuit JSON stored by `#[workflow]`, if it declares one.
pub fn short_circuit_json(wasm: &[u8]) -> Result<Option<String>> {
    custom_section_text(wasm, SHORT_CIRCUIT_SECTION)
}

fn custom_section_text(wasm: &[u8], name: &str) -> Result<Option<String>> {
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CustomSection(section) = payload.context("malformed .wasm")? {
            if section.name() == name {
                let text = String::from_utf8(section.data().to_vec())
                    .with_context(|| format!("custom section `{name}` is not UTF-8"))?;
                return Ok(Some(text));
            }
        }
    }
    Ok(None)
}

/// Names of the functions the module imports, sorted.
pub fn imported_functions(wasm: &[u8]) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::ImportSection(reader) = payload.context("malformed .wasm")? {
            for import in reader {
                let import = import.context("malformed import")?;
                if matches!(import.ty, wasmparser::TypeRef::Func(_)) {
                    names.push(import.name.to_owned());
                }
            }
        }
    }
    names.sort();
    Ok(names)
}
