//! Reads and writes wasm2js's unaligned 16- and 32-bit memory accesses through a
//! `DataView`, in place of one typed-array access per byte.
//!
//! wasm2js can only use `HEAP32[p >> 2]` where the wasm says the address is aligned;
//! every other load becomes four byte loads, shifted and or-ed together
//! (`HEAPU8[p | 0] | HEAPU8[p + 1 | 0] << 8 | (…)`), and every other store four byte
//! stores. Rust reads bytes as words wherever a type has byte alignment: SHA-256 reads
//! each block's sixteen words this way (as big-endian words: a load then LLVM's byte
//! swap, a dozen more operations), and moving a hasher state copies its block buffer
//! like this. goja runs each byte as several instructions; one native `DataView` call
//! does the word. Three rewrites, each exact for the addresses a correct program
//! uses:
//!
//! - a little-endian load of consecutive bytes `p + k … p + k + n - 1`
//!   becomes `HEAPDV.getInt32(p + k, true)` (or `getUint16`);
//! - `x = <load>` then `y = <byte swap of x>` (two elements of a sequence, or two
//!   statements), where `x` is assigned again before anything reads it, becomes
//!   `y = HEAPDV.getInt32(p + k)` (big-endian);
//! - four (or two) consecutive byte stores of `x`, `x >>> 8`, … to consecutive
//!   addresses become `HEAPDV.setInt32(p + k, x, true)` (or `setInt16`).
//!
//! An address out of bounds throws a `RangeError` where a byte access read `undefined`
//! or wrote nothing: either is a trap in wasm.

use anyhow::{bail, Result};
use oxc_allocator::{Allocator, Vec as ArenaVec};
use oxc_ast::ast::{
    AssignmentOperator, AssignmentTarget, BinaryExpression, BinaryOperator, CallExpression,
    ComputedMemberExpression, Expression, IdentifierReference, NewExpression, SequenceExpression,
    Statement,
};
use oxc_ast_visit::{walk, Visit};
use oxc_span::{GetSpan, Span};

use crate::wasm2js_ast;

/// A variable of the translated code.
type Variable<'b> = &'b IdentifierReference<'b>;

/// The view every rewritten access goes through, declared beside wasm2js's own.
const VIEW: &str = "HEAPDV";

/// wasm2js's declaration of its last view, and its renewal when memory grows: the
/// `DataView` is declared and renewed right after each.
const DECLARATION: &str = "var HEAPF64 = new Float64Array(buffer);";
const RENEWAL: &str = "HEAPF64 = new Float64Array(newBuffer);";

/// `module` (an ES module written by wasm2js) with its byte-wise word accesses
/// rewritten.
pub fn rewrite(module: &str) -> Result<String> {
    let allocator = Allocator::default();
    let program = wasm2js_ast::parse(&allocator, module)?;
    let mut finder = Finder {
        source: module,
        edits: Vec::new(),
    };
    finder.visit_program(&program);
    let Finder { mut edits, .. } = finder;
    edits.sort_by_key(|edit| edit.start);

    let mut out = String::with_capacity(module.len());
    let mut at = 0;
    for edit in &edits {
        out.push_str(&module[at..edit.start]);
        out.push_str(&edit.text);
        at = edit.end;
    }
    out.push_str(&module[at..]);
    declare_view(&out)
}

/// `module` with [`VIEW`] declared and renewed next to wasm2js's views.
fn declare_view(module: &str) -> Result<String> {
    if module.matches(DECLARATION).count() != 1 || module.matches(RENEWAL).count() != 1 {
        bail!("wasm2js's output does not declare its memory views as expected ({DECLARATION:?} and {RENEWAL:?} once each)");
    }
    Ok(module
        .replacen(
            DECLARATION,
            &format!("{DECLARATION}\n var {VIEW} = new DataView(buffer);"),
            1,
        )
        .replacen(
            RENEWAL,
            &format!("{RENEWAL}\n {VIEW} = new DataView(newBuffer);"),
            1,
        ))
}

/// A replacement of `start..end` of the source.
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

/// Finds the accesses to rewrite; a rewritten node is not searched further, so edits
/// never overlap.
struct Finder<'s> {
    source: &'s str,
    edits: Vec<Edit>,
}

impl Finder<'_> {
    fn text(&self, node: &impl GetSpan) -> &str {
        node.span().source_text(self.source)
    }

    /// Replaces `node` with `text`, which starts with an identifier: after one (as in
    /// `return(…)`), a space keeps the two apart.
    fn replace(&mut self, node: &impl GetSpan, text: String) {
        let span = node.span();
        let after_identifier = self.source[..span.start as usize]
            .ends_with(|c: char| c == '$' || c == '_' || c.is_ascii_alphanumeric());
        self.edits.push(Edit {
            start: span.start as usize,
            end: span.end as usize,
            text: if after_identifier {
                format!(" {text}")
            } else {
                text
            },
        });
    }

    /// Whether `node` is written in parentheses of its own: the tree has no node for
    /// them, so an edit of `node` and its neighbours would cut them apart.
    fn parenthesized(&self, node: &impl GetSpan) -> bool {
        let span = node.span();
        self.source[..span.start as usize].trim_end().ends_with('(')
            || self.source[span.end as usize..]
                .trim_start()
                .starts_with(')')
    }

    /// `base + offset` as source text.
    fn address(&self, base: &IdentifierReference<'_>, offset: i64) -> String {
        let base = self.text(base);
        if offset == 0 {
            base.to_owned()
        } else {
            format!("{base} + {offset}")
        }
    }

    /// The call reading `load`.
    fn read(&self, load: &Load<'_>, little_endian: bool) -> String {
        let method = if load.bytes == 4 {
            "getInt32"
        } else {
            "getUint16"
        };
        let address = self.address(load.base, load.offset);
        let order = if little_endian { ", true" } else { "" };
        format!("{VIEW}.{method}({address}{order})")
    }

    /// Rewrites the stores starting at `expressions[0]` (one per element); how many
    /// elements they were, or 0.
    fn stores<'a>(&mut self, expressions: &[&Expression<'a>]) -> usize {
        for bytes in [4, 2] {
            let Some(window) = expressions.get(..bytes) else {
                continue;
            };
            if window.iter().any(|store| self.parenthesized(*store)) {
                return 0;
            }
            if let Some((base, offset, value)) = word_store(window) {
                let address = self.address(base, offset);
                let method = if bytes == 4 { "setInt32" } else { "setInt16" };
                let text = format!("{VIEW}.{method}({address}, {}, true)", self.text(value));
                let span = window[0].span().merge(window[bytes - 1].span());
                self.replace(&span, text);
                return bytes;
            }
        }
        0
    }
}

impl<'a> Visit<'a> for Finder<'_> {
    fn visit_binary_expression(&mut self, expression: &BinaryExpression<'a>) {
        match word_load(expression) {
            Some(load) => {
                let text = self.read(&load, true);
                self.replace(expression, text);
            }
            None => walk::walk_binary_expression(self, expression),
        }
    }

    fn visit_sequence_expression(&mut self, sequence: &SequenceExpression<'a>) {
        let elements: Vec<_> = sequence.expressions.iter().map(Some).collect();
        // The last element is the sequence's value: stores ending there stay.
        let rewritten = self.rewrite_run(&elements, elements.len().saturating_sub(1));
        for (element, rewritten) in sequence.expressions.iter().zip(rewritten) {
            if !rewritten {
                self.visit_expression(element);
            }
        }
    }

    fn visit_statements(&mut self, statements: &ArenaVec<'a, Statement<'a>>) {
        let elements: Vec<_> = statements
            .iter()
            .map(|statement| match statement {
                Statement::ExpressionStatement(statement) => Some(&statement.expression),
                _ => None,
            })
            .collect();
        let rewritten = self.rewrite_run(&elements, elements.len());
        for (statement, rewritten) in statements.iter().zip(rewritten) {
            if !rewritten {
                self.visit_statement(statement);
            }
        }
    }
}

/// Expressions run one after the other: a sequence's elements, or a block's
/// statements (`None` for one that is not an expression).
type Run<'r, 'a> = [Option<&'r Expression<'a>>];

impl<'a> Finder<'_> {
    /// Rewrites the big-endian loads and the stores in `run` (stores only among its
    /// first `stores_before` elements); which elements it rewrote (the others are still
    /// to be searched).
    fn rewrite_run(&mut self, run: &Run<'_, 'a>, stores_before: usize) -> Vec<bool> {
        let mut rewritten = vec![false; run.len()];
        let mut i = 0;
        while i < run.len() {
            let done = match self.big_endian_load(run, i) {
                Some((span, text)) => {
                    self.replace(&span, text);
                    2
                }
                None => {
                    let window: Vec<_> = run[i..stores_before.max(i)]
                        .iter()
                        .take(4)
                        .map_while(|e| *e)
                        .collect();
                    self.stores(&window)
                }
            };
            if done == 0 {
                i += 1;
            } else {
                rewritten[i..i + done].fill(true);
                i += done;
            }
        }
        rewritten
    }

    /// `y = HEAPDV.getInt32(p + k)`, and the span it replaces, for `run[i]` and
    /// `run[i + 1]` when they are `x = <load>` and `y = <byte swap of x>`, and `x` is
    /// dead after them.
    fn big_endian_load(&self, run: &Run<'_, 'a>, i: usize) -> Option<(Span, String)> {
        let (first, second) = (run[i]?, (*run.get(i + 1)?)?);
        if self.parenthesized(first) || self.parenthesized(second) {
            return None;
        }
        let (loaded, load) = assignment(first)?;
        let (swapped, swap) = assignment(second)?;
        let load = match load {
            Expression::BinaryExpression(load) => word_load(load)?,
            _ => return None,
        };
        if load.bytes != 4 || byte_swapped(swap)? != loaded.name.as_str() {
            return None;
        }
        if swapped.name != loaded.name && !assigned_before_read(&run[i + 2..], loaded) {
            return None;
        }
        let text = format!("{} = {}", self.text(swapped), self.read(&load, false));
        Some((first.span().merge(second.span()), text))
    }
}

/// A load of `bytes` consecutive bytes from `base + offset`.
struct Load<'b> {
    base: Variable<'b>,
    offset: i64,
    bytes: usize,
}

/// `expression` as a little-endian load of 2 or 4 consecutive bytes: the or of
/// `HEAPU8[p + k + i | 0] << 8 * i` for every `i`, in any grouping and order.
fn word_load<'b>(expression: &'b BinaryExpression<'b>) -> Option<Load<'b>> {
    if expression.operator != BinaryOperator::BitwiseOR {
        return None;
    }
    let mut terms = Vec::new();
    or_terms(expression, &mut terms);
    let bytes = terms.len();
    if bytes != 2 && bytes != 4 {
        return None;
    }
    let mut found: [Option<(Variable<'_>, i64)>; 4] = [None; 4];
    for term in terms {
        let (byte, shift) = shifted(term, BinaryOperator::ShiftLeft).unwrap_or((term, 0));
        if shift % 8 != 0 || !(0..8 * bytes as i64).contains(&shift) {
            return None;
        }
        let slot = &mut found[(shift / 8) as usize];
        if slot.is_some() {
            return None;
        }
        *slot = Some(byte_access(byte, "HEAPU8")?);
    }
    let (base, offset) = found[0]?;
    for (i, byte) in found[..bytes].iter().enumerate() {
        let (other, at) = (*byte)?;
        if other.name != base.name || at != offset + i as i64 {
            return None;
        }
    }
    Some(Load {
        base,
        offset,
        bytes,
    })
}

/// The operands of a tree of `|`.
fn or_terms<'b>(expression: &'b BinaryExpression<'b>, terms: &mut Vec<&'b Expression<'b>>) {
    for operand in [&expression.left, &expression.right] {
        match operand {
            Expression::BinaryExpression(or) if or.operator == BinaryOperator::BitwiseOR => {
                or_terms(or, terms);
            }
            other => terms.push(other),
        }
    }
}

/// `view[p | 0]` or `view[p + k | 0]`: the base variable and the offset.
fn byte_access<'b>(expression: &'b Expression<'b>, view: &str) -> Option<(Variable<'b>, i64)> {
    match expression {
        Expression::ComputedMemberExpression(member) => member_byte(member, view),
        _ => None,
    }
}

/// [`byte_access`] of a member expression.
fn member_byte<'b>(
    member: &'b ComputedMemberExpression<'b>,
    view: &str,
) -> Option<(Variable<'b>, i64)> {
    match &member.object {
        Expression::Identifier(object) if object.name == view => {}
        _ => return None,
    }
    let Expression::BinaryExpression(coerced) = &member.expression else {
        return None;
    };
    if coerced.operator != BinaryOperator::BitwiseOR || integer(&coerced.right)? != 0 {
        return None;
    }
    match &coerced.left {
        Expression::Identifier(base) => Some((base, 0)),
        Expression::BinaryExpression(sum) if sum.operator == BinaryOperator::Addition => {
            match &sum.left {
                Expression::Identifier(base) => Some((base, integer(&sum.right)?)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Stores of `value`, `value >>> 8`, … to consecutive bytes from `base + offset`, one
/// per element of `window`: the base, the offset and the value.
fn word_store<'b>(window: &[&'b Expression<'b>]) -> Option<(Variable<'b>, i64, Variable<'b>)> {
    let mut first: Option<(Variable<'b>, i64, Variable<'b>)> = None;
    for (i, expression) in (0_i64..).zip(window) {
        let Expression::AssignmentExpression(store) = expression else {
            return None;
        };
        let AssignmentTarget::ComputedMemberExpression(target) = &store.left else {
            return None;
        };
        if store.operator != AssignmentOperator::Assign {
            return None;
        }
        let (base, at) = member_byte(target, "HEAP8")?;
        let (value, shift) =
            shifted(&store.right, BinaryOperator::ShiftRightZeroFill).unwrap_or((&store.right, 0));
        let Expression::Identifier(value) = value else {
            return None;
        };
        if shift != 8 * i {
            return None;
        }
        match first {
            None => first = Some((base, at, value)),
            Some((b, offset, v)) => {
                if b.name != base.name || at != offset + i || v.name != value.name {
                    return None;
                }
            }
        }
    }
    first
}

/// `x = value`: the variable and the value.
fn assignment<'b>(expression: &'b Expression<'b>) -> Option<(Variable<'b>, &'b Expression<'b>)> {
    let Expression::AssignmentExpression(assignment) = expression else {
        return None;
    };
    match (&assignment.operator, &assignment.left) {
        (AssignmentOperator::Assign, AssignmentTarget::AssignmentTargetIdentifier(target)) => {
            Some((target, &assignment.right))
        }
        _ => None,
    }
}

/// The variable `x` of the byte swap LLVM writes: the rotation of `x & 16711935` right
/// by 8, or-ed with the rotation of `x` left by 8 masked by 16711935 (as wasm2js
/// prints it, `(x & 16711935) >>> 8 | (x & 16711935) << 24 | (x << 8 | x >>> 24) &
/// 16711935`, its rotations inlined; the operands of each `|` in either order).
fn byte_swapped<'b>(expression: &'b Expression<'b>) -> Option<&'b str> {
    const MASK: i64 = 0x00FF_00FF;
    let Expression::BinaryExpression(or) = expression else {
        return None;
    };
    if or.operator != BinaryOperator::BitwiseOR {
        return None;
    }
    let mut terms = Vec::new();
    or_terms(or, &mut terms);
    if terms.len() != 3 {
        return None;
    }
    let (mut right, mut left, mut masked) = (None, None, None);
    for term in terms {
        if let Some(x) = shifted_masked(term, BinaryOperator::ShiftRightZeroFill, 8, MASK) {
            right = Some(x);
        } else if let Some(x) = shifted_masked(term, BinaryOperator::ShiftLeft, 24, MASK) {
            left = Some(x);
        } else {
            masked = Some(masked_rotation(term, MASK)?);
        }
    }
    let x = right?;
    (left? == x && masked? == x).then_some(x)
}

/// `x` of `(x << 8 | x >>> 24) & mask`, the rotation's operands in either order.
fn masked_rotation<'b>(expression: &'b Expression<'b>, mask: i64) -> Option<&'b str> {
    let Expression::BinaryExpression(rotation) = masked(expression, mask)? else {
        return None;
    };
    if rotation.operator != BinaryOperator::BitwiseOR {
        return None;
    }
    let (a, b) = (&rotation.left, &rotation.right);
    let (low, high) = match shifted_variable(a, BinaryOperator::ShiftLeft, 8) {
        Some(low) => (
            low,
            shifted_variable(b, BinaryOperator::ShiftRightZeroFill, 24)?,
        ),
        None => (
            shifted_variable(b, BinaryOperator::ShiftLeft, 8)?,
            shifted_variable(a, BinaryOperator::ShiftRightZeroFill, 24)?,
        ),
    };
    (low == high).then_some(low)
}

/// `x` of `(x & mask) <op> amount`.
fn shifted_masked<'b>(
    expression: &'b Expression<'b>,
    operator: BinaryOperator,
    amount: i64,
    mask: i64,
) -> Option<&'b str> {
    match shifted(expression, operator)? {
        (operand, by) if by == amount => variable_name(masked(operand, mask)?),
        _ => None,
    }
}

/// `x` of `x <op> amount`.
fn shifted_variable<'b>(
    expression: &'b Expression<'b>,
    operator: BinaryOperator,
    amount: i64,
) -> Option<&'b str> {
    match shifted(expression, operator)? {
        (operand, by) if by == amount => variable_name(operand),
        _ => None,
    }
}

/// The operand and the amount of `operand <op> amount`, the amount an integer.
fn shifted<'b>(
    expression: &'b Expression<'b>,
    operator: BinaryOperator,
) -> Option<(&'b Expression<'b>, i64)> {
    match expression {
        Expression::BinaryExpression(shift) if shift.operator == operator => {
            Some((&shift.left, integer(&shift.right)?))
        }
        _ => None,
    }
}

/// `operand` of `operand & mask`.
fn masked<'b>(expression: &'b Expression<'b>, mask: i64) -> Option<&'b Expression<'b>> {
    match expression {
        Expression::BinaryExpression(and)
            if and.operator == BinaryOperator::BitwiseAnd && integer(&and.right)? == mask =>
        {
            Some(&and.left)
        }
        _ => None,
    }
}

/// The name of a variable.
fn variable_name<'b>(expression: &'b Expression<'b>) -> Option<&'b str> {
    match expression {
        Expression::Identifier(x) => Some(x.name.as_str()),
        _ => None,
    }
}

/// Whether, running `rest` in order, `variable` is assigned (by a whole element
/// `variable = value` whose value does not read it) before any element mentions it,
/// and before anything but an expression or any call runs (a call could read it if it
/// is not the function's own).
fn assigned_before_read(rest: &Run<'_, '_>, variable: &IdentifierReference<'_>) -> bool {
    for element in rest {
        let Some(element) = element else {
            return false;
        };
        if let Some((target, value)) = assignment(element) {
            if target.name == variable.name {
                return !mentions_or_calls(value, variable.name.as_str());
            }
        }
        if mentions_or_calls(element, variable.name.as_str()) {
            return false;
        }
    }
    false
}

/// Whether `expression` names `variable` anywhere, or calls anything.
fn mentions_or_calls(expression: &Expression<'_>, variable: &str) -> bool {
    struct Mentions<'v> {
        variable: &'v str,
        found: bool,
    }
    impl<'a> Visit<'a> for Mentions<'_> {
        fn visit_identifier_reference(&mut self, identifier: &IdentifierReference<'a>) {
            self.found |= identifier.name == self.variable;
        }

        fn visit_call_expression(&mut self, _: &CallExpression<'a>) {
            self.found = true;
        }

        fn visit_new_expression(&mut self, _: &NewExpression<'a>) {
            self.found = true;
        }
    }
    let mut search = Mentions {
        variable,
        found: false,
    };
    search.visit_expression(expression);
    search.found
}

/// The value of an integer literal.
fn integer(expression: &Expression<'_>) -> Option<i64> {
    match expression {
        Expression::NumericLiteral(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
            Some(n.value as i64)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SWAP: &str =
        "(x & 16711935) >>> 8 | (x & 16711935) << 24 | (x >>> 24 | x << 8) & 16711935";
    /// [`SWAP`] as the rotation pass leaves it.
    const ROTATED: &str =
        "((x & 16711935) >>> 8 | (x & 16711935) << 24) | ((x) << 8 | (x) >>> 24) & 16711935";

    /// Accesses of the shapes wasm2js writes, between its view declarations.
    fn shapes() -> String {
        let load = |p: &str| {
            format!("HEAPU8[{p} | 0] | HEAPU8[{p} + 1 | 0] << 8 | (HEAPU8[{p} + 2 | 0] << 16 | HEAPU8[{p} + 3 | 0] << 24)")
        };
        let at = |p: &str, k: u32| format!("HEAPU8[{p} + {k} | 0]");
        [
            "var buffer = new ArrayBuffer(65536);".to_owned(),
            "var HEAP8 = new Int8Array(buffer);".to_owned(),
            "var HEAPU8 = new Uint8Array(buffer);".to_owned(),
            DECLARATION.to_owned(),
            format!(
                "function load32(p) {{ return {} | {} << 8 | ({} << 16 | {} << 24); }}",
                at("p", 3),
                at("p", 4),
                at("p", 5),
                at("p", 6)
            ),
            "function load16(p) { return (HEAPU8[p | 0] | HEAPU8[p + 1 | 0] << 8) << 16 >> 16; }"
                .to_owned(),
            format!(
                "function swapDead(p) {{ var x = 0, y = 0, z = 0; return x = {}, y = {SWAP}, z = y + 1 | 0, x = z ^ 5, x + y | 0; }}",
                load("p")
            ),
            format!(
                "function swapLive(p) {{ var x = 0, y = 0; return x = {}, y = {SWAP}, x + y | 0; }}",
                load("p")
            ),
            format!(
                "function swapSame(p) {{ var x = 0; return x = p + 8 | 0, x = {}, x = {ROTATED}, x | 0; }}",
                load("x")
            ),
            format!(
                "function swapStatements(p) {{ var x = 0, y = 0; x = {}; y = {ROTATED}; x = y ^ 3; return x + y | 0; }}",
                load("p")
            ),
            format!(
                "function swapBranch(p) {{ var x = 0, y = 0; x = {}; y = {SWAP}; if (y & 1) x = 1; return x + y | 0; }}",
                load("p")
            ),
            format!(
                "function parenthesized(p) {{ var x = 0, y = 0; return (x = {}), y = {SWAP}, x = 0, y; }}",
                load("p")
            ),
            format!(
                "var g = 0, seen = 0; function h() {{ seen = g; }} function global(p) {{ var y = 0; g = {}; y = {}; h(); g = 0; return seen + y | 0; }}",
                load("p"),
                SWAP.replace('x', "g")
            ),
            "function storeValue(p, v) { return HEAP8[p | 0] = v, HEAP8[p + 1 | 0] = v >>> 8; }".to_owned(),
            "function keyword(p) { return(HEAPU8[p | 0]) | HEAPU8[p + 1 | 0] << 8; }".to_owned(),
            "function store32(p, v) { HEAP8[p + 1 | 0] = v; HEAP8[p + 2 | 0] = v >>> 8; HEAP8[p + 3 | 0] = v >>> 16; HEAP8[p + 4 | 0] = v >>> 24; }".to_owned(),
            "function store16(p, v) { HEAP8[p | 0] = v; HEAP8[p + 1 | 0] = v >>> 8; }".to_owned(),
            "function apart(p, v) { HEAP8[p | 0] = v; HEAP8[p + 2 | 0] = v >>> 8; return HEAPU8[p | 0] | HEAPU8[p + 2 | 0] << 8; }".to_owned(),
            "function grow() { var newBuffer = new ArrayBuffer(131072); new Int8Array(newBuffer).set(HEAP8); buffer = newBuffer;".to_owned(),
            " HEAP8 = new Int8Array(newBuffer); HEAPU8 = new Uint8Array(newBuffer);".to_owned(),
            format!(" {RENEWAL} }}"),
        ]
        .join("\n")
    }

    #[test]
    fn word_accesses_go_through_the_view_and_the_rest_is_kept() {
        let rewritten = rewrite(&shapes()).unwrap();
        for expected in [
            "var HEAPDV = new DataView(buffer);",
            "HEAPDV = new DataView(newBuffer);",
            "return HEAPDV.getInt32(p + 3, true); }",
            "return (HEAPDV.getUint16(p, true)) << 16 >> 16; }",
            "return y = HEAPDV.getInt32(p), z = y + 1 | 0,",
            &format!("return x = HEAPDV.getInt32(p, true), y = {SWAP}, x + y | 0; }}"),
            "return x = p + 8 | 0, x = HEAPDV.getInt32(x), x | 0; }",
            "{ var x = 0, y = 0; y = HEAPDV.getInt32(p); x = y ^ 3;",
            &format!("{{ var x = 0, y = 0; x = HEAPDV.getInt32(p, true); y = {SWAP}; if (y & 1)"),
            "{ HEAPDV.setInt32(p + 1, v, true); }",
            "{ HEAPDV.setInt16(p, v, true); }",
            "HEAP8[p | 0] = v; HEAP8[p + 2 | 0] = v >>> 8; return HEAPU8[p | 0] | HEAPU8[p + 2 | 0] << 8;",
            // An element in parentheses of its own, a variable a call can read, stores
            // giving a sequence's value: the pair and the stores stay.
            &format!("return (x = HEAPDV.getInt32(p, true)), y = {SWAP}, x = 0, y; }}"),
            &format!(
                "g = HEAPDV.getInt32(p, true); y = {}; h();",
                SWAP.replace('x', "g")
            ),
            "return HEAP8[p | 0] = v, HEAP8[p + 1 | 0] = v >>> 8; }",
            "return HEAPDV.getUint16(p, true); }",
        ] {
            assert!(rewritten.contains(expected), "{expected}\nin\n{rewritten}");
        }
    }

    /// The rewritten functions compute and store what the originals do, run by node on
    /// the same random memory at every address near the start and the end, before and
    /// after the memory grows.
    #[test]
    fn rewritten_accesses_read_and_write_the_same_bytes() {
        let exports = "return { load32, load16, swapDead, swapLive, swapSame, swapStatements, swapBranch, parenthesized, global, storeValue, keyword, store32, store16, apart, grow, bytes: () => HEAPU8 };";
        let module = |text: String| format!("(function () {{\n{text}\n{exports}\n}})()");
        let original = module(shapes());
        let rewritten = module(rewrite(&shapes()).unwrap());
        let script = format!(
            "const a = {original};\nconst b = {rewritten};\n{}",
            r#"
let seed = 7;
const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
let checked = 0;
for (const round of [0, 1]) {
  for (let i = 0; i < a.bytes().length; i++) a.bytes()[i] = b.bytes()[i] = random() & 255;
  const size = a.bytes().length;
  const addresses = [];
  for (let p = 0; p < 64; p++) addresses.push(p, size - 12 - (p & 7), random() % (size - 16));
  for (const p of addresses) {
    for (const f of ["load32", "load16", "swapDead", "swapLive", "swapSame", "swapStatements", "swapBranch", "parenthesized", "global", "storeValue", "keyword", "apart"]) {
      const v = random() | 0;
      const [x, y] = [a[f](p, v), b[f](p, v)];
      if (x !== y) throw new Error(f + "(" + p + ") = " + y + ", not " + x);
      checked++;
    }
    for (const f of ["store32", "store16"]) {
      const v = random() | 0;
      a[f](p, v);
      b[f](p, v);
      checked++;
    }
  }
  for (let i = 0; i < size; i++) {
    if (a.bytes()[i] !== b.bytes()[i]) throw new Error("byte " + i + " differs");
  }
  if (round === 0) { a.grow(); b.grow(); }
}
console.log(checked);
"#
        );
        let checked: usize = crate::run_node(&script, &[]).trim().parse().unwrap();
        assert_eq!(checked, 2 * 192 * 14);
    }

    #[test]
    fn output_without_the_view_declarations_is_an_error() {
        let err = rewrite("var HEAPU8 = new Uint8Array(buffer);").unwrap_err();
        assert!(err.to_string().contains("memory views"), "{err}");
        assert!(rewrite("function (").is_err());
    }
}
