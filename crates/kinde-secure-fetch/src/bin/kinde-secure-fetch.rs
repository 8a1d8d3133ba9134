//! `kinde-secure-fetch decrypt --key-env VAR`: reads a `secureFetch` body on stdin and
//! prints its plaintext. The key is read from the named environment variable, never
//! from the command line, so it stays out of process listings and shell history.
//!
//! Exit status: 0 on success, 1 when the key or body is refused, 2 on bad usage.

use std::io::{Read, Write};
use std::process::ExitCode;

use kinde_secure_fetch::{decrypt, Key};

const USAGE: &str = "usage: kinde-secure-fetch decrypt --key-env VAR < body";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let key_var = match args.as_slice() {
        [command, flag, var] if command == "decrypt" && flag == "--key-env" => var,
        _ => return fail(2, USAGE),
    };
    let key_text = match std::env::var(key_var) {
        Ok(text) => text,
        Err(_) => return fail(2, &format!("environment variable `{key_var}` is not set")),
    };
    let key = match Key::from_base64(&key_text) {
        Ok(key) => key,
        Err(err) => return fail(1, &format!("key in `{key_var}`: {err}")),
    };
    let mut body = String::new();
    if let Err(err) = std::io::stdin().read_to_string(&mut body) {
        return fail(1, &format!("reading the body from stdin: {err}"));
    }
    match decrypt(&key, &body) {
        Ok(plaintext) => match std::io::stdout().write_all(&plaintext) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => fail(1, &format!("writing the plaintext: {err}")),
        },
        Err(err) => fail(1, &err.to_string()),
    }
}

fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("kinde-secure-fetch: {message}");
    ExitCode::from(code)
}
