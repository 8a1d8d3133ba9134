//! Drops the `| 0` coercions of wasm2js's output that the next operation makes anyway.
//!
//! wasm2js writes asm.js-style code: the result of every 32-bit addition and
//! subtraction is wrapped in `| 0`, and so are the operands of comparisons. goja runs
//! each as two more instructions, one of which allocates its result; in SHA-256's
//! rounds they are a seventh of the work. Three rewrites are exact for the values
//! wasm2js code computes with, where every 32-bit variable, global and result holds a
//! 32-bit integer (every assignment to one is coerced or comes from an `Int32Array`):
//!
//! - `x | 0` as an operand of a bitwise operator (`| & ^ << >> >>>`, `~`): the operator
//!   applies ToInt32 itself, and ToInt32 of ToInt32 is ToInt32;
//! - `(a + b) | 0` (or `-`) as a term of a sum or difference that is itself coerced as
//!   above: the terms are integers far below 2^53, so they add exactly and wrapping once
//!   at the end gives the same 32 bits;
//! - `(x | 0) < (y | 0)` (any comparison) of variables and integer constants: the
//!   coercion of a 32-bit variable is the identity.
//!
//! Nothing else changes: no coercion whose value is stored, passed or returned is
//! dropped, so every variable keeps holding a 32-bit integer.

use anyhow::Result;
use oxc_allocator::{Allocator, TakeIn};
use oxc_ast::ast::{BinaryExpression, BinaryOperator, Expression, UnaryExpression, UnaryOperator};
use oxc_ast_visit::{walk_mut, VisitMut};
use oxc_codegen::Codegen;

use crate::wasm2js_ast;

/// `module` (an ES module written by wasm2js) without its redundant coercions.
pub fn drop_redundant(module: &str) -> Result<String> {
    let allocator = Allocator::default();
    let mut program = wasm2js_ast::parse(&allocator, module)?;
    Rewriter {
        allocator: &allocator,
    }
    .visit_program(&mut program);
    Ok(Codegen::new().build(&program).code)
}

/// Applies the rewrites at every binary and unary expression, to its operands.
struct Rewriter<'a> {
    allocator: &'a Allocator,
}

impl<'a> VisitMut<'a> for Rewriter<'a> {
    fn visit_binary_expression(&mut self, expression: &mut BinaryExpression<'a>) {
        if is_bitwise(expression.operator) {
            self.coerced(&mut expression.left);
            self.coerced(&mut expression.right);
        } else if is_comparison(expression.operator)
            && is_int32(&expression.left)
            && is_int32(&expression.right)
        {
            for operand in [&mut expression.left, &mut expression.right] {
                if let Some(variable) = coercion_operand(operand) {
                    if matches!(variable, Expression::Identifier(_)) {
                        *operand = variable.take_in(&self.allocator);
                    }
                }
            }
        }
        walk_mut::walk_binary_expression(self, expression);
    }

    fn visit_unary_expression(&mut self, expression: &mut UnaryExpression<'a>) {
        if expression.operator == UnaryOperator::BitwiseNot {
            self.coerced(&mut expression.argument);
        }
        walk_mut::walk_unary_expression(self, expression);
    }
}

impl<'a> Rewriter<'a> {
    /// `operand`'s value goes through ToInt32: drop its own coercions, and those of the
    /// sums inside it.
    fn coerced(&self, operand: &mut Expression<'a>) {
        while let Some(inner) = coercion_operand(operand) {
            *operand = inner.take_in(&self.allocator);
        }
        self.in_coerced_sum(operand);
    }

    /// `expression`, if a sum or difference, is wrapped once its value is coerced:
    /// coerced sums among its terms need no wrapping of their own.
    fn in_coerced_sum(&self, expression: &mut Expression<'a>) {
        let Expression::BinaryExpression(sum) = expression else {
            return;
        };
        if !is_additive(sum.operator) {
            return;
        }
        let sum = &mut **sum;
        for term in [&mut sum.left, &mut sum.right] {
            while let Some(inner) = coercion_operand(term) {
                if !matches!(inner, Expression::BinaryExpression(b) if is_additive(b.operator)) {
                    break;
                }
                *term = inner.take_in(&self.allocator);
            }
            self.in_coerced_sum(term);
        }
    }
}

/// `x` of `x | 0`.
fn coercion_operand<'b, 'a>(expression: &'b mut Expression<'a>) -> Option<&'b mut Expression<'a>> {
    match expression {
        Expression::BinaryExpression(or)
            if or.operator == BinaryOperator::BitwiseOR && is_zero(&or.right) =>
        {
            Some(&mut or.left)
        }
        _ => None,
    }
}

fn is_zero(expression: &Expression<'_>) -> bool {
    matches!(expression, Expression::NumericLiteral(n) if n.value == 0.0)
}

/// A coerced variable or an integer constant that fits 32 bits.
fn is_int32(expression: &Expression<'_>) -> bool {
    match expression {
        Expression::BinaryExpression(or) if or.operator == BinaryOperator::BitwiseOR => {
            is_zero(&or.right) && matches!(or.left, Expression::Identifier(_))
        }
        Expression::NumericLiteral(n) => {
            n.value.fract() == 0.0 && (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&n.value)
        }
        Expression::UnaryExpression(minus) if minus.operator == UnaryOperator::UnaryNegation => {
            matches!(&minus.argument, Expression::NumericLiteral(n)
                if n.value.fract() == 0.0 && n.value <= 2_147_483_648.0)
        }
        _ => false,
    }
}

fn is_bitwise(operator: BinaryOperator) -> bool {
    use BinaryOperator::*;
    matches!(
        operator,
        BitwiseOR | BitwiseAnd | BitwiseXOR | ShiftLeft | ShiftRight | ShiftRightZeroFill
    )
}

fn is_additive(operator: BinaryOperator) -> bool {
    matches!(
        operator,
        BinaryOperator::Addition | BinaryOperator::Subtraction
    )
}

fn is_comparison(operator: BinaryOperator) -> bool {
    use BinaryOperator::*;
    matches!(
        operator,
        Equality
            | Inequality
            | StrictEquality
            | StrictInequality
            | LessThan
            | LessEqualThan
            | GreaterThan
            | GreaterEqualThan
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Functions of the shapes wasm2js writes (32-bit integer arguments, asm.js-style
    /// coercions), to run before and after the rewrites.
    const SHAPES: &str = "
export function sum(a, b, c) { var d = 0; d = (a + b | 0) + (c - a | 0) | 0; return d | 0; }
export function rounds(a, b, c) {
  var r = ((a << 30 | a >>> 2) ^ (b + c | 0)) + ((c ^ (a + b | 0)) & (b - 7 | 0)) | 0;
  return (r + (a + (b + c | 0) | 0) | 0) >>> 0 | 0;
}
export function compare(a, b) { return ((a | 0) < (b | 0) ? 1 : 0) + ((a | 0) != -5 ? 2 : 0) + ((b | 0) >= 2147483647 ? 4 : 0) | 0; }
export function unsigned(a, b) { return (a >>> 0 < b >>> 0 | 0) + (~(a + b | 0) | 0) | 0; }
export function mixed(a, b) { var f = 0.5; return ~~(f + (a | 0)) + (a + b | 0) * 2 | 0; }
export function halve(a, b, c) { return ((a + b | 0) / 2 | 0) + ((a + b | 0) < (c | 0) ? 1 : 0) | 0; }
export function loop(a, b) { var i = 0, s = 0; for (; (i | 0) != (b & 15 | 0); i = i + 1 | 0) s = s + (a ^ i | 0) | 0; return s | 0; }
";

    #[test]
    fn coercions_the_next_operation_makes_are_dropped() {
        let rewritten = drop_redundant(SHAPES).unwrap();
        // Stored, returned, multiplied, divided, compared as a sum or unsigned: kept.
        for kept in [
            "return d | 0",
            "(a + b | 0) * 2 | 0",
            "(a + b | 0) / 2 | 0",
            "(a + b | 0) < (c | 0)",
            "i = i + 1 | 0",
            "a >>> 0 < b >>> 0",
        ] {
            assert!(rewritten.contains(kept), "{kept} in {rewritten}");
        }
        for dropped in [
            "(a + b | 0) + (c - a | 0)",
            "(a | 0) < (b | 0)",
            "(b + c | 0)",
            "~(a + b | 0)",
        ] {
            assert!(!rewritten.contains(dropped), "{dropped} in {rewritten}");
        }
        assert!(rewritten.contains("d = a + b + (c - a) | 0"), "{rewritten}");
        assert!(
            rewritten.contains("(a < b ? 1 : 0) + (a != -5 ? 2 : 0)"),
            "{rewritten}"
        );
        assert!(
            rewritten.contains("return r + (a + (b + c)) >>> 0 | 0"),
            "{rewritten}"
        );
        assert!(rewritten.len() < SHAPES.len());
    }

    /// Each function gives the same result before and after, for 32-bit integer
    /// arguments at the edges and in between.
    #[test]
    fn rewritten_code_computes_the_same_values() {
        let rewritten = drop_redundant(SHAPES).unwrap();
        let script = format!(
            "const load = (text) => import('data:text/javascript,' + encodeURIComponent(text));
             (async () => {{
               const [before, after] = [await load({SHAPES:?}), await load({rewritten:?})];
               const edges = [0, 1, -1, 2, -2, 7, 2147483647, -2147483648, 2147483646, -2147483647, 65535, -65536];
               let seed = 7;
               const random = () => (seed = Math.imul(seed, 1103515245) + 12345 | 0);
               for (let i = 0; i < 2000; i++) edges.push(random());
               let checked = 0;
               for (const name of Object.keys(before)) {{
                 for (const a of edges) for (const b of edges.slice(0, 40)) {{
                   const c = random();
                   if (before[name](a, b, c) !== after[name](a, b, c))
                     throw new Error(name + '(' + [a, b, c] + '): ' + before[name](a, b, c) + ' != ' + after[name](a, b, c));
                   checked++;
                 }}
               }}
               console.log(checked);
             }})();"
        );
        let checked: usize = crate::run_node(&script, &[]).trim().parse().unwrap();
        assert!(checked > 100_000, "{checked}");
    }

    #[test]
    fn what_is_not_javascript_is_an_error() {
        let err = drop_redundant("function (").unwrap_err();
        assert!(
            err.to_string().starts_with("cannot parse wasm2js's output"),
            "{err}"
        );
    }
}
