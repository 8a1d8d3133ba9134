//! wasm2js's output as an oxc syntax tree, for the passes that rewrite it.

use anyhow::{bail, Result};
use oxc_allocator::Allocator;
use oxc_ast::ast::{Program, SourceType};
use oxc_parser::{ParseOptions, Parser};

/// Parses `module` (an ES module written by wasm2js), without parenthesized-expression
/// nodes: the rewrites match operators, not how the text groups them.
pub fn parse<'a>(allocator: &'a Allocator, module: &'a str) -> Result<Program<'a>> {
    let parsed = Parser::new(allocator, module, SourceType::mjs())
        .with_options(ParseOptions {
            preserve_parens: false,
            ..ParseOptions::default()
        })
        .parse();
    if let Some(error) = parsed.diagnostics.first() {
        bail!("cannot parse wasm2js's output: {error}");
    }
    Ok(parsed.program)
}
