//! Writes wasm2js's bit rotations by a constant as shifts, in place of a call.
//!
//! JavaScript has no rotate operator, so wasm2js turns every `i32.rotl`/`i32.rotr` into
//! a call of a helper function. Hashing rotates all the time (SHA-256: six rotations
//! per round, 64 rounds per block, a few dozen blocks for one SigV4 signature), and a
//! call is one of the most expensive things goja does: in a profile of a Cognito
//! sign-in the rotate helpers were a quarter of the run. Where the amount is a
//! constant and the value a side-effect-free operand (a variable, or a variable
//! masked by a constant, which is what wasm2js writes for SHA-256), the call becomes
//! `(x << k | x >>> 32 - k)`. Other calls keep the helper.

/// The helper wasm2js calls for a left rotation.
const ROTL: &str = "__wasm_rotl_i32(";
/// The helper wasm2js calls for a right rotation.
const ROTR: &str = "__wasm_rotr_i32(";

/// `module` with every rotation by a constant of a simple operand inlined.
pub fn inline(module: &str) -> String {
    let mut out = String::with_capacity(module.len());
    let mut rest = module;
    while let Some(at) = next_call(rest) {
        out.push_str(&rest[..at]);
        let call = &rest[at..];
        let left = call.starts_with(ROTL);
        let args_start = ROTL.len();
        match call[args_start..]
            .find(')')
            .and_then(|end| rotation(&call[args_start..args_start + end], left))
        {
            Some((shifts, consumed)) => {
                out.push_str(&shifts);
                rest = &call[args_start + consumed + 1..];
            }
            None => {
                out.push_str(&call[..args_start]);
                rest = &call[args_start..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The offset of the next call of either helper: not its definition, and not a longer
/// name that ends with the helper's.
fn next_call(text: &str) -> Option<usize> {
    const STEM: &str = "__wasm_rot";
    let mut from = 0;
    while let Some(found) = text[from..].find(STEM) {
        let at = from + found;
        let rest = &text[at..];
        let is_part_of_a_name = text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c == '$' || c == '_' || c == '.' || c.is_ascii_alphanumeric());
        if (rest.starts_with(ROTL) || rest.starts_with(ROTR))
            && !is_part_of_a_name
            && !text[..at].ends_with("function ")
        {
            return Some(at);
        }
        from = at + STEM.len();
    }
    None
}

/// The shifts for the arguments `args` (the text between the parentheses), and the
/// length of `args`; `None` when they are not `operand, constant`.
fn rotation(args: &str, left: bool) -> Option<(String, usize)> {
    let (operand, amount) = args.split_once(", ")?;
    let amount: u32 = amount.parse().ok()?;
    if !is_simple(operand) {
        return None;
    }
    let amount = amount % 32;
    let shifts = if amount == 0 {
        format!("({operand} | 0)")
    } else {
        let (first, second) = if left { ("<<", ">>>") } else { (">>>", "<<") };
        format!(
            "(({operand}) {first} {amount} | ({operand}) {second} {})",
            32 - amount
        )
    };
    Some((shifts, args.len()))
}

/// A variable, or a variable combined with an integer constant by `&`: evaluating it
/// twice is the same as once.
fn is_simple(operand: &str) -> bool {
    let is_variable = |text: &str| {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c == '$' || c == '_' || c.is_ascii_alphanumeric())
            && !text.starts_with(|c: char| c.is_ascii_digit())
    };
    let is_integer = |text: &str| {
        let digits = text.strip_prefix('-').unwrap_or(text);
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
    };
    match operand.split_once(" & ") {
        Some((variable, mask)) => is_variable(variable) && is_integer(mask),
        None => is_variable(operand),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_rotations_of_simple_operands_become_shifts() {
        let module = concat!(
            " function __wasm_rotl_i32($0, $1) { return 0; }\n",
            " function __wasm_rotr_i32($0, $1) { return 0; }\n",
            " $2 = __wasm_rotl_i32($5, 25) ^ __wasm_rotr_i32($7_1 & 16711935, 8);\n",
            " $3 = __wasm_rotl_i32($1, 32) + __wasm_rotl_i32($4, $1) + __wasm_rotl_i32(f($1), 3);\n",
            " $4 = x__wasm_rotl_i32($1, 3) + a.__wasm_rotr_i32($1, 3);\n",
        );
        let inlined = inline(module);
        assert_eq!(
            inlined,
            concat!(
                " function __wasm_rotl_i32($0, $1) { return 0; }\n",
                " function __wasm_rotr_i32($0, $1) { return 0; }\n",
                " $2 = (($5) << 25 | ($5) >>> 7) ^ (($7_1 & 16711935) >>> 8 | ($7_1 & 16711935) << 24);\n",
                " $3 = ($1 | 0) + __wasm_rotl_i32($4, $1) + __wasm_rotl_i32(f($1), 3);\n",
                " $4 = x__wasm_rotl_i32($1, 3) + a.__wasm_rotr_i32($1, 3);\n",
            )
        );
    }

    /// The inlined shifts compute what wasm2js's helpers compute, run by node, for
    /// every amount and a spread of values.
    #[test]
    fn shifts_rotate_like_the_helpers() {
        let helpers = concat!(
            "function __wasm_rotl_i32($0, $1) { var $2 = 0, $3_1 = 0; $2 = $1 & 31;",
            " $3_1 = (-1 >>> $2 & $0) << $2; $2 = $0; $0 = 0 - $1 & 31;",
            " return $3_1 | ($2 & -1 << $0) >>> $0; }\n",
            "function __wasm_rotr_i32($0, $1) { var $2 = 0, $3_1 = 0; $2 = $1 & 31;",
            " $3_1 = (-1 << $2 & $0) >>> $2 | 0; $2 = $0; $0 = 0 - $1 & 31;",
            " return $3_1 | ($2 & -1 >>> $0) << $0; }\n",
        );
        let mut checks = String::new();
        for amount in 0..40 {
            for (name, call, operand) in [
                ("l", ROTL, "$x"),
                ("r", ROTR, "$x"),
                ("l", ROTL, "$x & 16711935"),
                ("r", ROTR, "$x & -16711936"),
            ] {
                let expected = format!("{call}{operand}, {amount})");
                let inlined = inline(&expected);
                assert!(!inlined.contains("__wasm"), "{inlined}");
                checks.push_str(&format!(
                    "if (({inlined}) !== {expected}) throw new Error('rot{name} ' + $x + ' by {amount}');\n"
                ));
            }
        }
        let script = format!(
            "{helpers}for (const $x of [0, 1, -1, 0x7fffffff, -0x80000000, 0x12345678, -0x5a5a5a5b]) {{\n{checks}}}\n"
        );
        crate::run_node(&script, &[]);
    }
}
