//! Compiles binaryen's wasm2js tool (its `main`, the JS AST and printer it alone uses)
//! against the binaryen library `wasm-opt-sys` builds from the same sources.

use std::path::{Path, PathBuf};

/// The end of wasm2js's `main`, which (as `main` may) returns by falling off its end:
/// renamed, it must say `return 0`, or the optimiser may run past it.
const MAIN_END: &str = "    std::cerr << \"done.\" << std::endl;\n  }\n}\n";

fn main() {
    let exported = exported_dirs();
    let src = find_dir(&exported, "wasm2js.h");
    let config = find_dir(&exported, "config.h");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));

    let tool = src.join("tools/wasm2js.cpp");
    let text = std::fs::read_to_string(&tool)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", tool.display()));
    let renamed = text.replacen(
        "int main(int argc, const char* argv[])",
        "extern \"C\" int wasm2js_main_actual(int argc, const char* argv[])",
        1,
    );
    assert!(
        renamed != text && renamed.ends_with(MAIN_END),
        "{} does not end with the `main` this build script expects: is wasm-opt-sys a different version?",
        tool.display()
    );
    let body = &renamed[..renamed.len() - "}\n".len()];
    let converted = out.join("wasm2js.cpp");
    std::fs::write(&converted, format!("{body}  return 0;\n}}\n"))
        .expect("cannot write the converted wasm2js.cpp");

    println!("cargo:rerun-if-changed=src/shim.cpp");
    let mut build = cc::Build::new();
    build
        .cpp(true)
        .std("c++17")
        .flag_if_supported("-w")
        .define("THROW_ON_FATAL", None)
        .define("NDEBUG", None)
        .include(&src)
        .include(src.join("tools"))
        .include(&config)
        .file(&converted)
        .file("src/shim.cpp")
        .file(src.join("asmjs/asmangle.cpp"));
    for file in ["optimizer-shared.cpp", "parser.cpp", "simple_ast.cpp"] {
        build.file(src.join("emscripten-optimizer").join(file));
    }
    build.compile("kinde-wasm2js");
}

/// The header directories `wasm-opt-sys` (`links = "binaryen"`) exports.
fn exported_dirs() -> Vec<PathBuf> {
    (0..)
        .map_while(|i| std::env::var_os(format!("DEP_BINARYEN_CXXBRIDGE_DIR{i}")))
        .map(PathBuf::from)
        .collect()
}

fn find_dir(dirs: &[PathBuf], file: &str) -> PathBuf {
    dirs.iter()
        .find(|dir| Path::new(dir).join(file).is_file())
        .unwrap_or_else(|| panic!("wasm-opt-sys exports no directory holding {file}: {dirs:?}"))
        .clone()
}
