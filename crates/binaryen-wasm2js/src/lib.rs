//! Binaryen's `wasm2js`, compiled natively: translates a WebAssembly module to
//! JavaScript for engines without `WebAssembly` (goja, where Kinde runs workflows).
//!
//! The same translation as the `wasm2js` binary of binaryen [`BINARYEN_VERSION`], in
//! this process: its optimisation passes run on every core, several times faster than
//! binaryen's npm build under node. Its output does not depend on the number of cores.

use std::ffi::{c_char, c_int, CStr, CString};
use std::fmt;
use std::path::Path;
use std::sync::Mutex;

// The binaryen library wasm2js links against.
use wasm_opt_sys as _;

/// The binaryen release whose sources this crate compiles (through `wasm-opt-sys`).
pub const BINARYEN_VERSION: u32 = 116;

extern "C" {
    /// wasm2js's `main`, with fatal errors caught (`src/shim.cpp`).
    fn kinde_wasm2js(
        argc: c_int,
        argv: *const *const c_char,
        error: *mut c_char,
        error_len: usize,
    ) -> c_int;
}

/// binaryen keeps global state (interned names, its thread pool), so one translation
/// runs at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A translation that failed: what binaryen said, or why it could not be asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Translates the module at `input` (a `.wasm` file) into JavaScript at `output`.
/// `flags` are wasm2js's command-line options (`-Oz`, `--enable-bulk-memory`, …).
pub fn translate(input: &Path, output: &Path, flags: &[&str]) -> Result<(), Error> {
    let input = path_text(input)?;
    if !input.ends_with(".wasm") {
        // wasm2js reads any other name as text format.
        return Err(Error(format!("{input}: the input must be a .wasm file")));
    }
    let output = path_text(output)?;
    let mut args = vec!["wasm2js", input];
    args.extend_from_slice(flags);
    args.extend(["-o", output]);
    let args: Vec<CString> = args
        .iter()
        .map(|arg| {
            CString::new(*arg).map_err(|_| Error(format!("wasm2js argument {arg:?} holds a NUL")))
        })
        .collect::<Result<_, _>>()?;
    let argv: Vec<*const c_char> = args.iter().map(|arg| arg.as_ptr()).collect();
    let mut message = vec![0u8; 4096];
    let _guard = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // SAFETY: `argv` points at `args.len()` NUL-terminated strings that outlive the
    // call, and `message` is a writable buffer of the length passed.
    let status = unsafe {
        kinde_wasm2js(
            argv.len() as c_int,
            argv.as_ptr(),
            message.as_mut_ptr().cast(),
            message.len(),
        )
    };
    if status == 0 {
        return Ok(());
    }
    // The shim always NUL-terminates inside the buffer.
    let said = CStr::from_bytes_until_nul(&message)
        .map(CStr::to_string_lossy)
        .unwrap_or_default();
    Err(Error(if said.is_empty() {
        format!("wasm2js failed (status {status})")
    } else {
        format!("wasm2js failed: {}", said.trim_end())
    }))
}

fn path_text(path: &Path) -> Result<&str, Error> {
    path.to_str()
        .ok_or_else(|| Error(format!("{}: wasm2js needs a UTF-8 path", path.display())))
}
