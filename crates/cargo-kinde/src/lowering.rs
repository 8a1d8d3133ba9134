//! Lowers the post-MVP instructions rustc's std emits to what wasm2js translates.
//!
//! The wasm32 standard library is compiled with sign extension and non-trapping
//! float-to-int conversions. wasm2js takes neither, and binaryen's lowering passes
//! would cost a second binaryen run (a module read, run and written again) for a few
//! dozen instructions. So the module wasm-bindgen produced is rewritten in place:
//!
//! - `iN.extendM_s` becomes a shift left and an arithmetic shift right by `N - M`;
//! - `iN.trunc_sat_fM_{s,u}` becomes a call to a helper that returns 0 for NaN, the
//!   type's bounds beyond them and the trapping conversion's result within them, as
//!   the specification defines the saturating conversion.

use walrus::ir::{BinaryOp, Instr, InstrSeq, UnaryOp, Value, VisitorMut};
use walrus::{FunctionBuilder, FunctionId, Module, ValType};

/// Rewrites every sign-extension and saturating conversion in `module`.
pub fn lower(module: &mut Module) {
    // Sign extensions are rewritten, and saturating conversions noted (in the order
    // first seen, so helpers are built in the same order every time).
    let mut rewriter = Rewriter::default();
    for (_, function) in module.funcs.iter_local_mut() {
        let entry = function.entry_block();
        walrus::ir::dfs_pre_order_mut(&mut rewriter, function, entry);
    }
    if rewriter.saturating.is_empty() {
        return;
    }
    let originals: Vec<FunctionId> = module.funcs.iter_local().map(|(id, _)| id).collect();
    let helpers = rewriter
        .saturating
        .iter()
        .map(|kind| (*kind, kind.build_helper(module)))
        .collect();
    let mut calls = CallRewriter { helpers };
    for id in originals {
        let function = module.funcs.get_mut(id).kind.unwrap_local_mut();
        let entry = function.entry_block();
        walrus::ir::dfs_pre_order_mut(&mut calls, function, entry);
    }
}

/// Replaces sign extensions with shifts and notes the saturating conversions seen.
#[derive(Default)]
struct Rewriter {
    saturating: Vec<Saturating>,
}

impl VisitorMut for Rewriter {
    fn start_instr_seq_mut(&mut self, seq: &mut InstrSeq) {
        let needs_rewrite = seq.instrs.iter().any(|(instr, _)| match instr {
            Instr::Unop(unop) => sign_extension(unop.op).is_some(),
            _ => false,
        });
        for (instr, _) in &seq.instrs {
            if let Instr::Unop(unop) = instr {
                if let Some(kind) = Saturating::of(unop.op) {
                    if !self.saturating.contains(&kind) {
                        self.saturating.push(kind);
                    }
                }
            }
        }
        if !needs_rewrite {
            return;
        }
        let mut rewritten = Vec::with_capacity(seq.instrs.len() + 8);
        for (instr, loc) in seq.instrs.drain(..) {
            let Instr::Unop(unop) = &instr else {
                rewritten.push((instr, loc));
                continue;
            };
            let Some((wide, bits)) = sign_extension(unop.op) else {
                rewritten.push((instr, loc));
                continue;
            };
            let (shift, shl, shr) = match wide {
                ValType::I32 => (Value::I32(32 - bits), BinaryOp::I32Shl, BinaryOp::I32ShrS),
                _ => (
                    Value::I64(64 - i64::from(bits)),
                    BinaryOp::I64Shl,
                    BinaryOp::I64ShrS,
                ),
            };
            for next in [
                Instr::Const(walrus::ir::Const { value: shift }),
                Instr::Binop(walrus::ir::Binop { op: shl }),
                Instr::Const(walrus::ir::Const { value: shift }),
                Instr::Binop(walrus::ir::Binop { op: shr }),
            ] {
                rewritten.push((next, loc));
            }
        }
        seq.instrs = rewritten;
    }
}

/// `(type, bits kept)` of a sign extension.
fn sign_extension(op: UnaryOp) -> Option<(ValType, i32)> {
    Some(match op {
        UnaryOp::I32Extend8S => (ValType::I32, 8),
        UnaryOp::I32Extend16S => (ValType::I32, 16),
        UnaryOp::I64Extend8S => (ValType::I64, 8),
        UnaryOp::I64Extend16S => (ValType::I64, 16),
        UnaryOp::I64Extend32S => (ValType::I64, 32),
        _ => return None,
    })
}

/// Replaces saturating conversions with calls to their helpers.
struct CallRewriter {
    helpers: Vec<(Saturating, FunctionId)>,
}

impl VisitorMut for CallRewriter {
    fn visit_instr_mut(&mut self, instr: &mut Instr, _: &mut walrus::InstrLocId) {
        let Instr::Unop(unop) = instr else { return };
        let Some(kind) = Saturating::of(unop.op) else {
            return;
        };
        if let Some((_, helper)) = self.helpers.iter().find(|(k, _)| *k == kind) {
            *instr = Instr::Call(walrus::ir::Call { func: *helper });
        }
    }
}

/// A saturating float-to-int conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Saturating {
    int: ValType,
    float: ValType,
    signed: bool,
}

impl Saturating {
    fn of(op: UnaryOp) -> Option<Self> {
        let (int, float, signed) = match op {
            UnaryOp::I32TruncSSatF32 => (ValType::I32, ValType::F32, true),
            UnaryOp::I32TruncUSatF32 => (ValType::I32, ValType::F32, false),
            UnaryOp::I32TruncSSatF64 => (ValType::I32, ValType::F64, true),
            UnaryOp::I32TruncUSatF64 => (ValType::I32, ValType::F64, false),
            UnaryOp::I64TruncSSatF32 => (ValType::I64, ValType::F32, true),
            UnaryOp::I64TruncUSatF32 => (ValType::I64, ValType::F32, false),
            UnaryOp::I64TruncSSatF64 => (ValType::I64, ValType::F64, true),
            UnaryOp::I64TruncUSatF64 => (ValType::I64, ValType::F64, false),
            _ => return None,
        };
        Some(Saturating { int, float, signed })
    }

    /// The trapping conversion the helper calls within range.
    fn trapping(&self) -> UnaryOp {
        match (self.int, self.float, self.signed) {
            (ValType::I32, ValType::F32, true) => UnaryOp::I32TruncSF32,
            (ValType::I32, ValType::F32, false) => UnaryOp::I32TruncUF32,
            (ValType::I32, _, true) => UnaryOp::I32TruncSF64,
            (ValType::I32, _, false) => UnaryOp::I32TruncUF64,
            (_, ValType::F32, true) => UnaryOp::I64TruncSF32,
            (_, ValType::F32, false) => UnaryOp::I64TruncUF32,
            (_, _, true) => UnaryOp::I64TruncSF64,
            (_, _, false) => UnaryOp::I64TruncUF64,
        }
    }

    /// `(lowest, highest)` results and `(lower, upper)` bounds: below `lower` the
    /// result is `lowest` (which is also what truncation gives for values between
    /// `lower - 1` and `lower`), from `upper` on it is `highest`.
    fn limits(&self) -> (Value, Value, f64, f64) {
        let bits = if self.int == ValType::I32 { 32 } else { 64 };
        let (lower, upper) = if self.signed {
            (-(2f64.powi(bits - 1)), 2f64.powi(bits - 1))
        } else {
            (0.0, 2f64.powi(bits))
        };
        let (lowest, highest) = match (self.int, self.signed) {
            (ValType::I32, true) => (Value::I32(i32::MIN), Value::I32(i32::MAX)),
            (ValType::I32, false) => (Value::I32(0), Value::I32(-1)),
            (_, true) => (Value::I64(i64::MIN), Value::I64(i64::MAX)),
            (_, false) => (Value::I64(0), Value::I64(-1)),
        };
        (lowest, highest, lower, upper)
    }

    fn build_helper(self, module: &mut Module) -> FunctionId {
        let (lowest, highest, lower, upper) = self.limits();
        let float_const = |bound: f64| match self.float {
            ValType::F32 => Value::F32(bound as f32),
            _ => Value::F64(bound),
        };
        let (ne, ge, lt) = match self.float {
            ValType::F32 => (BinaryOp::F32Ne, BinaryOp::F32Ge, BinaryOp::F32Lt),
            _ => (BinaryOp::F64Ne, BinaryOp::F64Ge, BinaryOp::F64Lt),
        };
        let zero = match self.int {
            ValType::I32 => Value::I32(0),
            _ => Value::I64(0),
        };
        let trapping = self.trapping();
        let x = module.locals.add(self.float);
        let mut builder = FunctionBuilder::new(&mut module.types, &[self.float], &[self.int]);
        builder
            .func_body()
            .local_get(x)
            .local_get(x)
            .binop(ne)
            .if_else(
                self.int,
                |nan| {
                    nan.const_(zero);
                },
                |number| {
                    number
                        .local_get(x)
                        .const_(float_const(upper))
                        .binop(ge)
                        .if_else(
                            self.int,
                            |high| {
                                high.const_(highest);
                            },
                            |rest| {
                                rest.local_get(x)
                                    .const_(float_const(lower))
                                    .binop(lt)
                                    .if_else(
                                        self.int,
                                        |low| {
                                            low.const_(lowest);
                                        },
                                        |within| {
                                            within.local_get(x).unop(trapping);
                                        },
                                    );
                            },
                        );
                },
            );
        builder.finish(vec![x], &mut module.funcs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use walrus::ir::Instr;

    /// Every instruction lowered here, one exported function each: `(name, op, param,
    /// result)`.
    const OPS: &[(&str, UnaryOp, ValType, ValType)] = &[
        (
            "i32_extend8_s",
            UnaryOp::I32Extend8S,
            ValType::I32,
            ValType::I32,
        ),
        (
            "i32_extend16_s",
            UnaryOp::I32Extend16S,
            ValType::I32,
            ValType::I32,
        ),
        (
            "i64_extend8_s",
            UnaryOp::I64Extend8S,
            ValType::I64,
            ValType::I64,
        ),
        (
            "i64_extend16_s",
            UnaryOp::I64Extend16S,
            ValType::I64,
            ValType::I64,
        ),
        (
            "i64_extend32_s",
            UnaryOp::I64Extend32S,
            ValType::I64,
            ValType::I64,
        ),
        (
            "i32_trunc_sat_f32_s",
            UnaryOp::I32TruncSSatF32,
            ValType::F32,
            ValType::I32,
        ),
        (
            "i32_trunc_sat_f32_u",
            UnaryOp::I32TruncUSatF32,
            ValType::F32,
            ValType::I32,
        ),
        (
            "i32_trunc_sat_f64_s",
            UnaryOp::I32TruncSSatF64,
            ValType::F64,
            ValType::I32,
        ),
        (
            "i32_trunc_sat_f64_u",
            UnaryOp::I32TruncUSatF64,
            ValType::F64,
            ValType::I32,
        ),
        (
            "i64_trunc_sat_f32_s",
            UnaryOp::I64TruncSSatF32,
            ValType::F32,
            ValType::I64,
        ),
        (
            "i64_trunc_sat_f32_u",
            UnaryOp::I64TruncUSatF32,
            ValType::F32,
            ValType::I64,
        ),
        (
            "i64_trunc_sat_f64_s",
            UnaryOp::I64TruncSSatF64,
            ValType::F64,
            ValType::I64,
        ),
        (
            "i64_trunc_sat_f64_u",
            UnaryOp::I64TruncUSatF64,
            ValType::F64,
            ValType::I64,
        ),
    ];

    fn module_with_every_op() -> Module {
        let mut module = Module::default();
        for (name, op, param, result) in OPS {
            let x = module.locals.add(*param);
            let mut builder = FunctionBuilder::new(&mut module.types, &[*param], &[*result]);
            // Inside a block too, to reach nested sequences.
            builder.func_body().block(*result, |block| {
                block.local_get(x).unop(*op);
            });
            let id = builder.finish(vec![x], &mut module.funcs);
            module.exports.add(name, id);
        }
        module
    }

    fn post_mvp_ops(module: &Module) -> usize {
        struct Count(usize);
        impl<'a> walrus::ir::Visitor<'a> for Count {
            fn visit_instr(&mut self, instr: &'a Instr, _: &'a walrus::InstrLocId) {
                if let Instr::Unop(unop) = instr {
                    if sign_extension(unop.op).is_some() || Saturating::of(unop.op).is_some() {
                        self.0 += 1;
                    }
                }
            }
        }
        let mut count = Count(0);
        for (_, function) in module.funcs.iter_local() {
            walrus::ir::dfs_in_order(&mut count, function, function.entry_block());
        }
        count.0
    }

    /// The lowered module computes what the original does, under node, for the edge
    /// cases of every instruction: NaN, infinities, the bounds and just past them.
    #[test]
    fn lowered_instructions_compute_the_same_results() {
        let mut original = module_with_every_op();
        let before = original.emit_wasm();
        assert_eq!(post_mvp_ops(&original), OPS.len());
        lower(&mut original);
        assert_eq!(post_mvp_ops(&original), 0);
        let after = original.emit_wasm();
        let mut again = module_with_every_op();
        lower(&mut again);
        assert_eq!(again.emit_wasm(), after, "lowering is deterministic");

        let script = r#"
const [before, after] = process.argv.slice(1).map((hex) => Buffer.from(hex, "hex"));
const exportsOf = (bytes) => new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
const [a, b] = [exportsOf(before), exportsOf(after)];
const ints32 = [0, 1, -1, 127, 128, 255, 256, 32767, 32768, 65535, -129, 0x7fffffff, -0x80000000, 0x12345680];
const ints64 = [0n, 1n, -1n, 127n, 128n, 255n, 32767n, 32768n, 65535n, 0x7fffffffn, 0x80000000n,
  0xffffffffn, 0x123456789abcdef0n, -0x8000000000000000n, 0x7fffffffffffffffn];
const floats = [NaN, Infinity, -Infinity, 0, -0, 0.5, -0.5, -0.99, -1, 1.9, 2147483647, 2147483647.5,
  2147483648, -2147483648, -2147483648.5, -2147483649, 4294967295, 4294967295.5, 4294967296,
  9223372036854775807, 9223372036854775808, -9223372036854775808, -9223372036854777856,
  18446744073709551615, 18446744073709551616, 1e300, -1e300, 3.4e38];
let checked = 0;
for (const name of Object.keys(a)) {
  const inputs = name.includes("trunc") ? floats : name.startsWith("i64") ? ints64 : ints32;
  for (const x of inputs) {
    const [want, got] = [a[name](x), b[name](x)];
    if (want !== got) throw new Error(`${name}(${x}): want ${want}, got ${got}`);
    checked++;
  }
}
console.log(checked);
"#;
        let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
        let printed = crate::run_node(script, &[&hex(&before), &hex(&after)]);
        let checked: usize = printed.trim().parse().unwrap();
        assert!(checked > 200, "only {checked} cases ran");
    }

    #[test]
    fn a_module_without_them_is_left_alone() {
        let mut module = Module::default();
        let x = module.locals.add(ValType::I32);
        let mut builder = FunctionBuilder::new(&mut module.types, &[ValType::I32], &[ValType::I32]);
        builder.func_body().local_get(x).unop(UnaryOp::I32Clz);
        let id = builder.finish(vec![x], &mut module.funcs);
        module.exports.add("clz", id);
        let before = module.emit_wasm();
        lower(&mut module);
        assert_eq!(module.emit_wasm(), before);
    }
}
