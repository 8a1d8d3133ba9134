//! The native wasm2js translates modules that then run as JavaScript (under node), and
//! its failures come back as errors naming the cause.

use std::path::Path;
use std::process::Command;

/// Arithmetic wasm2js must lower (64-bit multiplication, to two 32-bit halves) and a
/// memory the JavaScript reads and writes.
/// (Indices, not names: binaryen 116 does not know the label names subsection.)
const MODULE: &str = r#"
(module
  (memory (export "memory") 1)
  (func (export "mul_high") (param i32 i32) (result i32)
    (i32.wrap_i64
      (i64.shr_u
        (i64.mul (i64.extend_i32_u (local.get 0)) (i64.extend_i32_u (local.get 1)))
        (i64.const 32))))
  (func (export "sum") (param i32 i32) (result i32)
    (local i32)
    (block
      (loop
        (br_if 1 (i32.eqz (local.get 1)))
        (local.set 2 (i32.add (local.get 2) (i32.load8_u (local.get 0))))
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
        (br 0)))
    (local.get 2)))
"#;

fn write_module(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("module.wasm");
    std::fs::write(&path, wat::parse_str(MODULE).unwrap()).unwrap();
    path
}

/// Imports the translated module (an ES module) in node and prints what `script`
/// computes from its exports.
fn run_in_node(module: &Path, script: &str) -> String {
    let program = format!(
        "import * as m from {:?};\n{script}",
        module.to_str().unwrap()
    );
    let output = Command::new("node")
        .args(["--input-type=module", "-e", &program])
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_translated_module_computes_what_the_wasm_does() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_module(dir.path());
    for flags in [&["-Oz"][..], &["-O0"]] {
        let output = dir.path().join("module.mjs");
        binaryen_wasm2js::translate(&input, &output, flags).unwrap();
        let text = std::fs::read_to_string(&output).unwrap();
        assert!(!text.contains("WebAssembly"), "{flags:?}: {text}");
        let printed = run_in_node(
            &output,
            "new Uint8Array(m.memory.buffer).set([1, 2, 250], 8);\n\
             console.log(m.mul_high(0xffffffff, 0xffffffff) >>> 0, m.mul_high(3, 5), m.sum(8, 3));",
        );
        // (2^32 - 1)^2 = 0xfffffffe_00000001
        assert_eq!(printed.trim(), "4294967294 0 253", "{flags:?}");
    }
}

#[test]
fn the_same_module_translates_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_module(dir.path());
    let (first, second) = (dir.path().join("a.mjs"), dir.path().join("b.mjs"));
    binaryen_wasm2js::translate(&input, &first, &["-Oz"]).unwrap();
    binaryen_wasm2js::translate(&input, &second, &["-Oz"]).unwrap();
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap()
    );
}

#[test]
fn a_file_that_is_not_webassembly_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("broken.wasm");
    std::fs::write(&input, b"\0asm not really").unwrap();
    let err = binaryen_wasm2js::translate(&input, &dir.path().join("out.js"), &["-Oz"])
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("wasm2js failed: "), "{err}");
    assert!(err.contains("parsing input"), "{err}");

    // binaryen is still usable after a fatal error.
    let good = write_module(dir.path());
    binaryen_wasm2js::translate(&good, &dir.path().join("out.js"), &["-Oz"]).unwrap();
}

#[test]
fn inputs_wasm2js_would_misread_are_refused_before_it_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.js");
    let err = binaryen_wasm2js::translate(Path::new("module.wat"), &out, &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "module.wat: the input must be a .wasm file"
    );
    let err = binaryen_wasm2js::translate(&dir.path().join("absent.wasm"), &out, &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("absent.wasm"), "{err}");
}
