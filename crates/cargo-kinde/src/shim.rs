//! The generated files: `Workflow.ts` (settings and entry), `rust-module.js` (the
//! translated module as a factory) and `rust-module.d.ts` (its types).
//!
//! Kinde evaluates a bundle's top level once, with no bindings, to read
//! `workflowSettings`; so the top level here only defines constants, and the module
//! is instantiated on the first call.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use anyhow::{bail, Result};
use kinde_workflow::Binding;
use serde_json::Value;

/// File names written into `kindeSrc/environment/workflows/<id>/`.
pub const WORKFLOW_FILE: &str = "Workflow.ts";
/// The translated module.
pub const MODULE_FILE: &str = "rust-module.js";
/// Its type declarations.
pub const MODULE_TYPES_FILE: &str = "rust-module.d.ts";

/// A method of the bindings object the shim passes to Rust. Each is a separate import
/// of the compiled module, so the set a workflow uses is read off its `.wasm`, and only
/// the adapters a workflow uses are emitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Adapter {
    /// `kinde.fetch`
    Fetch,
    /// `kinde.secureFetch`
    SecureFetch,
    /// `kinde.env.get`
    Env,
    /// `createKindeAPI(event)[method]`
    ManagementApi,
    /// `kinde.widget.invalidateFormField`
    InvalidateFormField,
    /// `kinde.auth.denyAccess`
    DenyAccess,
    /// `console[level]`
    Log,
    /// `kinde.idToken.setCustomClaim`
    SetIdTokenClaim,
    /// `kinde.accessToken.setCustomClaim`
    SetAccessTokenClaim,
    /// `kinde.m2mToken.setCustomClaim`
    SetM2mTokenClaim,
    /// `kinde.idToken.getCustomClaims`
    IdTokenClaims,
    /// `kinde.accessToken.getCustomClaims`
    AccessTokenClaims,
    /// `kinde.m2mToken.getCustomClaims`
    M2mTokenClaims,
    /// `kinde.mfa.setEnforcementPolicy`
    SetMfaEnforcementPolicy,
    /// `kinde.plan.denySelection`
    DenyPlanSelection,
    /// `kinde.plan.denyCancellation`
    DenyPlanCancellation,
    /// `kinde.localization.get`
    Localization,
    /// `getM2MToken` (client credentials through `kinde.fetch`, cached by `kinde.cache`)
    M2mToken,
}

impl Adapter {
    /// Every adapter, in the order they are emitted.
    pub const ALL: [Adapter; 18] = [
        Adapter::Fetch,
        Adapter::SecureFetch,
        Adapter::Env,
        Adapter::ManagementApi,
        Adapter::InvalidateFormField,
        Adapter::DenyAccess,
        Adapter::Log,
        Adapter::SetIdTokenClaim,
        Adapter::SetAccessTokenClaim,
        Adapter::SetM2mTokenClaim,
        Adapter::IdTokenClaims,
        Adapter::AccessTokenClaims,
        Adapter::M2mTokenClaims,
        Adapter::SetMfaEnforcementPolicy,
        Adapter::DenyPlanSelection,
        Adapter::DenyPlanCancellation,
        Adapter::Localization,
        Adapter::M2mToken,
    ];

    /// The JS method name (wasm-bindgen imports it as `__wbg_<name>_<hash>`).
    pub const fn method(self) -> &'static str {
        match self {
            Adapter::Fetch => "kindeFetch",
            Adapter::SecureFetch => "kindeSecureFetch",
            Adapter::Env => "kindeEnv",
            Adapter::ManagementApi => "kindeManagementApi",
            Adapter::InvalidateFormField => "kindeInvalidateFormField",
            Adapter::DenyAccess => "kindeDenyAccess",
            Adapter::Log => "kindeLog",
            Adapter::SetIdTokenClaim => "kindeSetIdTokenClaim",
            Adapter::SetAccessTokenClaim => "kindeSetAccessTokenClaim",
            Adapter::SetM2mTokenClaim => "kindeSetM2mTokenClaim",
            Adapter::IdTokenClaims => "kindeIdTokenClaims",
            Adapter::AccessTokenClaims => "kindeAccessTokenClaims",
            Adapter::M2mTokenClaims => "kindeM2mTokenClaims",
            Adapter::SetMfaEnforcementPolicy => "kindeSetMfaEnforcementPolicy",
            Adapter::DenyPlanSelection => "kindeDenyPlanSelection",
            Adapter::DenyPlanCancellation => "kindeDenyPlanCancellation",
            Adapter::Localization => "kindeLocalization",
            Adapter::M2mToken => "kindeM2mToken",
        }
    }

    /// The Kinde bindings (`workflowSettings.bindings` keys) it needs.
    pub const fn bindings(self) -> &'static [Binding] {
        match self {
            Adapter::Fetch => &[Binding::Fetch],
            Adapter::SecureFetch => &[Binding::SecureFetch],
            Adapter::Env => &[Binding::Env],
            // createKindeAPI reads its credentials with kinde.env, caches its token with
            // kinde.cache and form-encodes the token request with URLSearchParams.
            Adapter::ManagementApi => &[Binding::Fetch, Binding::Env, Binding::Cache, Binding::Url],
            Adapter::InvalidateFormField => &[Binding::Widget],
            Adapter::DenyAccess => &[Binding::Auth],
            Adapter::Log => &[Binding::Console],
            Adapter::SetIdTokenClaim | Adapter::IdTokenClaims => &[Binding::IdToken],
            Adapter::SetAccessTokenClaim | Adapter::AccessTokenClaims => &[Binding::AccessToken],
            Adapter::SetM2mTokenClaim | Adapter::M2mTokenClaims => &[Binding::M2mToken],
            Adapter::SetMfaEnforcementPolicy => &[Binding::Mfa],
            Adapter::DenyPlanSelection | Adapter::DenyPlanCancellation => &[Binding::Plan],
            Adapter::Localization => &[Binding::Localization],
            Adapter::M2mToken => &[Binding::Fetch, Binding::Cache, Binding::Url],
        }
    }

    /// The adapters whose imports appear among `imports`.
    pub fn used_by(imports: &[String]) -> BTreeSet<Adapter> {
        Adapter::ALL
            .into_iter()
            .filter(|adapter| {
                let prefix = format!("__wbg_{}_", adapter.method());
                imports.iter().any(|name| name.starts_with(&prefix))
            })
            .collect()
    }

    /// The adapter's JS implementation (a method of the bindings object literal).
    fn source(self) -> &'static str {
        match self {
            Adapter::Fetch => "    kindeFetch: (request) => callFetch(kinde.fetch, request),\n",
            Adapter::SecureFetch => {
                "    kindeSecureFetch: (request) => callFetch(kinde.secureFetch, request),\n"
            }
            Adapter::Env => {
                "    kindeEnv: (name) => then(kinde.env.get(name), envAnswer),\n"
            }
            Adapter::ManagementApi => concat!(
                "    // One client per run, as a TypeScript workflow keeps one: creating it gets and\n",
                "    // checks the M2M token. A failed creation is not kept, so a retry tries again.\n",
                "    kindeManagementApi: (() => {\n",
                "      let client: ReturnType<typeof createKindeAPI> | undefined;\n",
                "      return async (method: ApiMethod, endpoint: string, params: unknown) => {\n",
                "        // No `??=`: goja does not parse logical assignment.\n",
                "        if (client === undefined) client = createKindeAPI(event as never);\n",
                "        const pending = client;\n",
                "        let api: Awaited<typeof pending>;\n",
                "        try {\n",
                "          api = await pending;\n",
                "        } catch (error) {\n",
                "          client = undefined;\n",
                "          throw error;\n",
                "        }\n",
                "        const answer = await api[method]({ endpoint, params } as never);\n",
                "        return (answer as { data?: unknown }).data ?? null;\n",
                "      };\n",
                "    })(),\n",
            ),
            Adapter::InvalidateFormField => {
                "    kindeInvalidateFormField: (field, message) => kinde.widget.invalidateFormField(field, message),\n"
            }
            Adapter::DenyAccess => "    kindeDenyAccess: (reason) => kinde.auth.denyAccess(reason),\n",
            Adapter::Log => "    kindeLog: (level, message) => console[level](message),\n",
            Adapter::SetIdTokenClaim => {
                "    kindeSetIdTokenClaim: (name, value) => kinde.idToken.setCustomClaim(name, JSON.parse(value)),\n"
            }
            Adapter::SetAccessTokenClaim => {
                "    kindeSetAccessTokenClaim: (name, value) => kinde.accessToken.setCustomClaim(name, JSON.parse(value)),\n"
            }
            Adapter::SetM2mTokenClaim => {
                "    kindeSetM2mTokenClaim: (name, value) => kinde.m2mToken.setCustomClaim(name, JSON.parse(value)),\n"
            }
            Adapter::IdTokenClaims => {
                "    kindeIdTokenClaims: () => then(kinde.idToken.getCustomClaims(), (c) => JSON.stringify(c ?? null)),\n"
            }
            Adapter::AccessTokenClaims => {
                "    kindeAccessTokenClaims: () => then(kinde.accessToken.getCustomClaims(), (c) => JSON.stringify(c ?? null)),\n"
            }
            Adapter::M2mTokenClaims => {
                "    kindeM2mTokenClaims: () => then(kinde.m2mToken.getCustomClaims(), (c) => JSON.stringify(c ?? null)),\n"
            }
            Adapter::SetMfaEnforcementPolicy => {
                "    kindeSetMfaEnforcementPolicy: (policy) => kinde.mfa.setEnforcementPolicy(policy),\n"
            }
            Adapter::DenyPlanSelection => concat!(
                "    kindeDenyPlanSelection: (message, details) => {\n",
                "      const parsed: unknown = JSON.parse(details);\n",
                "      return parsed === null ? kinde.plan.denySelection(message) : kinde.plan.denySelection(message, parsed);\n",
                "    },\n",
            ),
            Adapter::DenyPlanCancellation => {
                "    kindeDenyPlanCancellation: (message) => kinde.plan.denyCancellation(message),\n"
            }
            Adapter::Localization => {
                "    kindeLocalization: (key) => then(kinde.localization.get(key), (v) => JSON.stringify(v ?? null)),\n"
            }
            Adapter::M2mToken => concat!(
                "    kindeM2mToken: async (request) => {\n",
                "      const call = JSON.parse(request) as M2mTokenCall;\n",
                "      const token: unknown = await getM2MToken(call.cacheKey, {\n",
                "        domain: call.domain,\n",
                "        clientId: call.clientId,\n",
                "        clientSecret: call.clientSecret,\n",
                "        audience: call.audience,\n",
                "        scopes: call.scopes,\n",
                "        skipCache: call.skipCache,\n",
                "      });\n",
                "      // The cache may hand the token back JSON-quoted; a JWT has no quotes.\n",
                "      return (typeof token === \"string\" ? token : JSON.stringify(token ?? \"\")).replace(/\"/g, \"\");\n",
                "    },\n",
            ),
        }
    }

    /// The adapter's member of the `kinde` declaration, when the original declaration
    /// (fetch, secureFetch, env, widget, auth) does not cover it.
    fn kinde_member(self) -> Option<&'static str> {
        Some(match self {
            Adapter::SetIdTokenClaim | Adapter::IdTokenClaims => "  idToken: TokenClaims;\n",
            Adapter::SetAccessTokenClaim | Adapter::AccessTokenClaims => {
                "  accessToken: TokenClaims;\n"
            }
            Adapter::SetM2mTokenClaim | Adapter::M2mTokenClaims => "  m2mToken: TokenClaims;\n",
            Adapter::SetMfaEnforcementPolicy => {
                "  mfa: { setEnforcementPolicy(policy: string): unknown };\n"
            }
            Adapter::DenyPlanSelection | Adapter::DenyPlanCancellation => {
                "  plan: { denySelection(message: string, details?: unknown): unknown; denyCancellation(message: string): unknown };\n"
            }
            Adapter::Localization => "  localization: { get(key: string): unknown };\n",
            _ => return None,
        })
    }
}

/// What [`render`] needs.
pub struct Generated<'a> {
    /// The Rust crate's package name.
    pub crate_name: &'a str,
    /// [`crate::inputs::hash`] of the crate.
    pub inputs_hash: &'a str,
    /// The settings `#[workflow]` declared.
    pub settings: &'a Value,
    /// Adapters the compiled code imports.
    pub adapters: &'a BTreeSet<Adapter>,
    /// The short circuit `#[workflow]` declared, if any.
    pub short_circuit: Option<&'a ShortCircuit>,
    /// esbuild's IIFE of glue + translated module, defining `var __kindeRust`.
    pub factory_body: &'a str,
}

/// Events the shim answers without starting the module: declared with
/// `#[workflow(short_circuit(when = "a.b.c", resolve = "<JSON>"))]` and read from the
/// module's `kinde_workflow_short_circuit` section.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct ShortCircuit {
    /// The event's keys leading to the value tested for `true`.
    pub when: Vec<String>,
    /// What the workflow resolves with then.
    pub resolve: Value,
}

impl ShortCircuit {
    /// Reads the section's JSON.
    pub fn from_json(json: &str) -> Result<Self> {
        let short_circuit: Self = serde_json::from_str(json).map_err(|e| {
            anyhow::anyhow!("the short circuit #[workflow] stored is not readable: {e}")
        })?;
        if short_circuit.when.is_empty() {
            bail!("the short circuit #[workflow] stored has an empty `when` path");
        }
        Ok(short_circuit)
    }

    /// The TypeScript statement answering matching events, first in `Workflow`.
    fn statement(&self) -> String {
        let path = serde_json::to_string(&self.when).expect("strings serialize");
        let path_text = self.when.join(".");
        let resolve = serde_json::to_string(&self.resolve).expect("JSON serializes");
        format!(
            "  // `#[workflow(short_circuit(...))]`: `{path_text}` is true, so the answer is known\n\
             \x20 // without starting the Rust module.\n\
             \x20 if (valueAt(event, {path}) === true) return {resolve};\n"
        )
    }
}

/// Reads a value down a path of keys, for the short circuit.
const VALUE_AT: &str = r#"/** The value at `path` in `value`, or `undefined`. */
function valueAt(value: unknown, path: string[]): unknown {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

"#;

/// The message of a trap that is not a panic (`unreachable` reached).
const TRAPPED: &str = "the Rust module trapped (unreachable code)";

/// The header line holding the inputs hash, which `check` compares.
pub const INPUTS_MARKER: &str = "// cargo-kinde inputs sha256:";
/// The header line listing the bindings the compiled code uses.
pub const USES_MARKER: &str = "// cargo-kinde uses bindings: ";

/// The entry esbuild bundles: wires wasm-bindgen's glue to the translated module.
pub fn entry_js(lib_name: &str) -> String {
    format!(
        "import * as wasm from \"./{lib_name}_bg.wasm.js\";\n\
         import {{ __wbg_set_wasm }} from \"./{lib_name}_bg.js\";\n\
         __wbg_set_wasm(wasm);\n\
         export {{ kindeRun, kindeResume, kindePoll }} from \"./{lib_name}_bg.js\";\n"
    )
}

/// Renders the three generated files, as `(file name, contents)`.
pub fn render(generated: &Generated) -> Result<Vec<(&'static str, String)>> {
    let header = header(generated);
    let body = generated.factory_body;
    let module = format!(
        "{header}\
         /* eslint-disable */\n\
         {TEXT_CODING}\n\
         // wasm-bindgen glue and the wasm2js translation of the crate, wrapped in a factory so\n\
         // nothing runs until the first call. Each call of the factory is a fresh instance.\n\
         export function createRustModule() {{\n\
         var TextEncoder = HostTextEncoder, TextDecoder = HostTextDecoder;\n\
         {body}return __kindeRust;\n}}\n{}",
        module_source_map(generated.crate_name),
    );
    Ok(vec![
        (WORKFLOW_FILE, workflow_ts(&header, generated)),
        (MODULE_FILE, module),
        (MODULE_TYPES_FILE, format!("{header}{MODULE_TYPES}")),
    ])
}

/// The last lines of `rust-module.js`: an input source map that maps none of its code.
///
/// Kinde's esbuild writes an inline source map with every source's text. For the
/// translated module that meant the whole file again plus a mapping per token, about
/// 80 % of the bundle, for positions in machine-written JavaScript that lead nowhere
/// (a panic reports its Rust file and line itself). esbuild follows an input file's
/// own map, and code this map does not cover stays out of the bundle's map; the
/// one mapping is on the header comment, which esbuild drops.
fn module_source_map(crate_name: &str) -> String {
    use base64::Engine as _;
    let map = serde_json::json!({
        "version": 3,
        "sources": [format!("{crate_name} (Rust, translated by cargo-kinde)")],
        "sourcesContent": [format!(
            "The Rust crate `{crate_name}`, compiled to WebAssembly and translated to JavaScript by cargo-kinde.\n"
        )],
        "names": [],
        "mappings": "AAAA",
    });
    let encoded = base64::engine::general_purpose::STANDARD.encode(map.to_string());
    format!(
        "// Leaves this file's code out of the bundle's source map (see cargo-kinde's shim.rs).\n\
         //# sourceMappingURL=data:application/json;base64,{encoded}\n"
    )
}

fn header(generated: &Generated) -> String {
    format!(
        "// Generated by {} from the Rust crate `{}`. Do not edit.\n\
         // Rebuild with `cargo kinde build`; `cargo kinde check` fails when this is stale.\n\
         {INPUTS_MARKER}{}\n\
         {USES_MARKER}{}\n",
        crate::GENERATOR,
        generated.crate_name,
        generated.inputs_hash,
        used_bindings(generated.adapters).join(", ")
    )
}

/// The Kinde bindings the adapters need, deduplicated, in a stable order.
pub fn used_bindings(adapters: &BTreeSet<Adapter>) -> Vec<&'static str> {
    let set: BTreeSet<&'static str> = adapters
        .iter()
        .flat_map(|a| a.bindings().iter().map(|b| b.as_str()))
        .collect();
    set.into_iter().collect()
}

/// wasm2js grows memory by swapping in a new `ArrayBuffer` without detaching the old
/// one, so wasm-bindgen's "is my cached view detached?" test never fires and its views
/// keep reading the stale buffer. Rewrite each test to compare buffers instead.
pub fn patch_memory_views(glue: &str) -> Result<String> {
    let mut out = String::with_capacity(glue.len());
    let mut patched = 0;
    for line in glue.split_inclusive('\n') {
        match cached_view_test(line) {
            Some((indent, view)) => {
                let _ = writeln!(
                    out,
                    "{indent}if ({view} === null || {view}.buffer !== wasm.memory.buffer) {{"
                );
                patched += 1;
            }
            None => out.push_str(line),
        }
    }
    if patched == 0 || !out.contains("cachedUint8ArrayMemory0") {
        bail!("wasm-bindgen glue has no memory-view cache test to patch: is the glue from a different wasm-bindgen version?");
    }
    Ok(out)
}

/// wasm2js turns `unreachable` into `throw new Error('abort')`; make the message say
/// what happened. (A panic's own message reaches the shim first, through the panic
/// hook's `kindePanic`.) Every call into the module comes from the shim's `try`
/// (see the SDK's executor), so the throw always rejects the run. Applied to
/// wasm2js's output.
pub fn patch_trap(module: &str) -> Result<String> {
    const TRAP: &str = "function wasm2js_trap() { throw new Error('abort'); }";
    if module.contains(TRAP) {
        Ok(module.replace(
            TRAP,
            &format!("function wasm2js_trap() {{ throw new Error('{TRAPPED}'); }}"),
        ))
    } else if module.contains("wasm2js_trap") {
        bail!("wasm2js's trap function has an unexpected shape: is binaryen a different version?")
    } else {
        Ok(module.to_owned()) // nothing in the module can trap
    }
}

/// Recognises `if (cachedXMemory0 === null || <detached test>) {` and returns the
/// indentation and the variable.
fn cached_view_test(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let rest = trimmed.strip_prefix("if (cached")?;
    let end = rest.find(' ')?;
    let view = &trimmed[4..4 + "cached".len() + end];
    if !view.ends_with("Memory0") || !rest[end..].starts_with(" === null || ") {
        return None;
    }
    if !trimmed.trim_end().ends_with(") {") {
        return None;
    }
    Some((indent, view))
}

/// UTF-8 `TextEncoder`/`TextDecoder` for hosts without them (goja); the host's own are
/// used where they exist. Only constants are defined at the top level.
const TEXT_CODING: &str = r#"function utf8Length(text) {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) length += 1;
    else if (c < 0x800) length += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

class Utf8Encoder {
  get encoding() {
    return "utf-8";
  }
  encode(text = "") {
    const bytes = new Uint8Array(utf8Length(text));
    this.encodeInto(text, bytes);
    return bytes;
  }
  encodeInto(text, bytes) {
    let read = 0;
    let written = 0;
    while (read < text.length) {
      let c = text.charCodeAt(read);
      let units = 1;
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = read + 1 < text.length ? text.charCodeAt(read + 1) : 0;
        if (c <= 0xdbff && (next & 0xfc00) === 0xdc00) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          units = 2;
        } else c = 0xfffd;
      }
      const size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      if (written + size > bytes.length) break;
      if (size === 1) bytes[written++] = c;
      else if (size === 2) {
        bytes[written++] = 0xc0 | (c >> 6);
        bytes[written++] = 0x80 | (c & 0x3f);
      } else if (size === 3) {
        bytes[written++] = 0xe0 | (c >> 12);
        bytes[written++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[written++] = 0x80 | (c & 0x3f);
      } else {
        bytes[written++] = 0xf0 | (c >> 18);
        bytes[written++] = 0x80 | ((c >> 12) & 0x3f);
        bytes[written++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[written++] = 0x80 | (c & 0x3f);
      }
      read += units;
    }
    return { read, written };
  }
}

/** A character of a Latin-1 string that is not ASCII (made once: a literal is a new object each time). */
const NON_ASCII = /[\x80-\xff]/;

class Utf8Decoder {
  constructor(label = "utf-8", options = {}) {
    this.fatal = Boolean(options.fatal);
  }
  get encoding() {
    return "utf-8";
  }
  decode(bytes) {
    if (bytes === undefined) return "";
    const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes.buffer || bytes);
    // The host's native functions do the work: bytes to a Latin-1 string, then UTF-8
    // by way of `escape`/`decodeURIComponent`, which reject what is not UTF-8. Most
    // strings are short: they take one native call, without a view of their own.
    let latin1 = "";
    if (view.length <= 8192) latin1 = String.fromCharCode.apply(null, view);
    else {
      for (let i = 0; i < view.length; i += 8192) {
        latin1 += String.fromCharCode.apply(null, view.subarray(i, i + 8192));
      }
    }
    if (!NON_ASCII.test(latin1)) return latin1;
    try {
      return decodeURIComponent(escape(latin1));
    } catch (_) {
      return this.decodeByteByByte(view);
    }
  }
  decodeByteByByte(view) {
    let out = "";
    let units = [];
    let i = 0;
    while (i < view.length) {
      const b = view[i];
      let c = -1;
      let size = 1;
      if (b < 0x80) c = b;
      else if (b >= 0xc2 && b <= 0xdf) size = 2;
      else if (b >= 0xe0 && b <= 0xef) size = 3;
      else if (b >= 0xf0 && b <= 0xf4) size = 4;
      if (size > 1 && i + size <= view.length) {
        c = size === 2 ? b & 0x1f : size === 3 ? b & 0x0f : b & 0x07;
        for (let k = 1; k < size; k++) {
          const next = view[i + k];
          if ((next & 0xc0) !== 0x80) {
            c = -1;
            break;
          }
          c = (c << 6) | (next & 0x3f);
        }
        const min = size === 2 ? 0x80 : size === 3 ? 0x800 : 0x10000;
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) c = -1;
      }
      if (c < 0) {
        if (this.fatal) throw new TypeError("The encoded data was not valid utf-8");
        c = 0xfffd;
        size = 1;
      }
      if (c > 0xffff) {
        c -= 0x10000;
        units.push(0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
      } else units.push(c);
      i += size;
      if (units.length >= 8192) {
        out += String.fromCharCode.apply(null, units);
        units = [];
      }
    }
    return out + String.fromCharCode.apply(null, units);
  }
}

const HostTextEncoder = typeof TextEncoder === "function" ? TextEncoder : Utf8Encoder;
const HostTextDecoder = typeof TextDecoder === "function" ? TextDecoder : Utf8Decoder;
"#;

const MODULE_TYPES: &str = r#"
/** Bindings the Rust code calls; each returns a value or a Promise of one. */
export interface RustBindings {
  kindeFetch?(request: string): unknown;
  kindeSecureFetch?(request: string): unknown;
  kindeEnv?(name: string): unknown;
  kindeManagementApi?(method: "get" | "post" | "put" | "patch" | "delete", endpoint: string, params: unknown): unknown;
  kindeInvalidateFormField?(field: string, message: string): unknown;
  kindeDenyAccess?(reason: string): unknown;
  kindeLog?(level: "debug" | "log" | "info" | "warn" | "error", message: string): void;
  kindeSetIdTokenClaim?(name: string, value: string): unknown;
  kindeSetAccessTokenClaim?(name: string, value: string): unknown;
  kindeSetM2mTokenClaim?(name: string, value: string): unknown;
  kindeIdTokenClaims?(): unknown;
  kindeAccessTokenClaims?(): unknown;
  kindeM2mTokenClaims?(): unknown;
  kindeSetMfaEnforcementPolicy?(policy: string): unknown;
  kindeDenyPlanSelection?(message: string, details: string): unknown;
  kindeDenyPlanCancellation?(message: string): unknown;
  kindeLocalization?(key: string): unknown;
  kindeM2mToken?(request: string): unknown;
  /** Called by the panic hook, just before the module traps. */
  kindePanic(message: string): void;
  /** The run waits on `promise`: call `kindeResume(slot, …)` when it settles. */
  kindeAwait(slot: number, promise: Promise<unknown>): void;
  /** The run was woken from outside a call into the module: call `kindePoll(task)` soon. */
  kindeWake(task: number): void;
}

/**
 * One instance of the translated Rust module. Each of its functions answers with the
 * run's result once it has ended, `undefined` while it waits on a Promise, and throws
 * the message of a run that failed.
 */
export interface RustModule {
  /** Starts the workflow on the event and runs it as far as it goes at once. */
  kindeRun(event: unknown, bindings: RustBindings): unknown;
  /** The Promise handed over as `kindeAwait(slot, …)` settled: fulfilled (`ok`) or rejected with `value`. */
  kindeResume(slot: number, ok: boolean, value: unknown): unknown;
  /** Polls the run that asked for it with `kindeWake(task)`. */
  kindePoll(task: number): unknown;
}

/** Instantiates the module (fresh memory and state). */
export declare function createRustModule(): RustModule;
"#;

fn workflow_ts(header: &str, generated: &Generated) -> String {
    let adapters = generated.adapters;
    let uses = |a: Adapter| adapters.contains(&a);
    let mut ts = String::new();
    ts.push_str(header);
    let infrastructure: Vec<&str> = [
        (Adapter::ManagementApi, "createKindeAPI"),
        (Adapter::M2mToken, "getM2MToken"),
    ]
    .into_iter()
    .filter(|(adapter, _)| uses(*adapter))
    .map(|(_, name)| name)
    .collect();
    if !infrastructure.is_empty() {
        let _ = writeln!(
            ts,
            "import {{ {} }} from \"@kinde/infrastructure\";",
            infrastructure.join(", ")
        );
    }
    ts.push_str("import { createRustModule, type RustBindings, type RustModule } from \"./rust-module.js\";\n\n");
    let settings = serde_json::to_string_pretty(generated.settings).expect("settings serialize");
    let _ = writeln!(ts, "export const workflowSettings = {settings};\n");
    ts.push_str(&kinde_declarations(adapters));
    if uses(Adapter::Fetch) || uses(Adapter::SecureFetch) {
        ts.push_str(FETCH_HELPER);
    }
    if uses(Adapter::Env) {
        ts.push_str(ENV_HELPER);
    }
    if uses(Adapter::ManagementApi) {
        ts.push_str("type ApiMethod = \"get\" | \"post\" | \"put\" | \"patch\" | \"delete\";\n\n");
    }
    if uses(Adapter::M2mToken) {
        ts.push_str(
            "interface M2mTokenCall {\n  cacheKey: string;\n  domain: string;\n  clientId: string;\n  clientSecret: string;\n  audience: string[];\n  scopes: string[];\n  skipCache: boolean;\n}\n\n",
        );
    }
    if generated.short_circuit.is_some() {
        ts.push_str(VALUE_AT);
    }
    ts.push_str(RUN_PRELUDE_HEAD);
    if let Some(short_circuit) = generated.short_circuit {
        ts.push_str(&short_circuit.statement());
    }
    ts.push_str(RUN_PRELUDE);
    for adapter in Adapter::ALL.into_iter().filter(|a| uses(*a)) {
        ts.push_str(adapter.source());
    }
    ts.push_str(RUN_EPILOGUE);
    ts
}

/// The declarations of Kinde's globals: the original members, plus those of the
/// adapters in use (so unused bindings cost nothing, not even a type).
fn kinde_declarations(adapters: &BTreeSet<Adapter>) -> String {
    let members: BTreeSet<&str> = adapters.iter().filter_map(|a| a.kinde_member()).collect();
    let mut out = String::from(KINDE_DECLARATIONS_HEAD);
    if members.iter().any(|m| m.contains("TokenClaims")) {
        out = out.replace(
            "type Fetch = ",
            "interface TokenClaims {\n  setCustomClaim(name: string, value: unknown): unknown;\n  getCustomClaims(): unknown;\n}\n\ntype Fetch = ",
        );
    }
    for member in members {
        out.push_str(member);
    }
    out.push_str(KINDE_DECLARATIONS_TAIL);
    out
}

const KINDE_DECLARATIONS_HEAD: &str = r#"interface FetchAnswer {
  status?: number;
  ok?: boolean;
  headers?: unknown;
  text?: string;
  json?: unknown;
}

type Fetch = (url: string, init: object) => unknown;

/** The bindings Kinde's runtime provides (only those declared in the settings exist). */
declare const kinde: {
  fetch: Fetch;
  secureFetch: Fetch;
  env: { get(name: string): unknown };
  widget: { invalidateFormField(field: string, message: string): unknown };
  auth: { denyAccess(reason: string): unknown };
"#;

const KINDE_DECLARATIONS_TAIL: &str = r#"};

/** Applies `f` to a binding's answer, which may be a value or a Promise. */
function then<T>(value: unknown, f: (value: unknown) => T): T | Promise<T> {
  return value !== null && typeof value === "object" && typeof (value as PromiseLike<unknown>).then === "function"
    ? Promise.resolve(value).then(f)
    : f(value);
}

"#;

const FETCH_HELPER: &str = r#"/**
 * Calls `kinde.fetch`/`kinde.secureFetch` with a request from Rust (a head: URL, method
 * and header names and values separated by NUL characters, or as the JSON
 * `[url, method, headers]` when a field holds a NUL or a line break; then, when there
 * is a body, a line break and the body text) and hands Rust its answer as
 * `[status, headers, text, json]`: what the host gave, nothing copied, so the body
 * crosses into the module only when the workflow reads it.
 */
function callFetch(fetch: Fetch, request: string): unknown {
  const lineBreak = request.indexOf("\n");
  const head = lineBreak < 0 ? request : request.slice(0, lineBreak);
  let url: string, method: string, headers: Record<string, string>;
  if (head.charAt(0) === "[") {
    [url, method, headers] = JSON.parse(head) as [string, string, Record<string, string>];
  } else {
    const fields = head.split("\u0000");
    [url, method] = fields;
    headers = {};
    for (let i = 2; i + 1 < fields.length; i += 2) headers[fields[i]] = fields[i + 1];
  }
  const init: { method: string; headers: Record<string, string>; body?: string } = { method, headers };
  if (lineBreak >= 0) init.body = request.slice(lineBreak + 1);
  return then(fetch(url, init), (answer) => {
    const a = (answer ?? {}) as FetchAnswer;
    const headers =
      a.headers !== null && typeof a.headers === "object"
        ? Object.entries(a.headers as Record<string, unknown>).map(([name, value]) => [name, String(value)])
        : null;
    const status = typeof a.status === "number" ? a.status : null;
    return [status, headers, typeof a.text === "string" ? a.text : undefined, a.json];
  });
}

"#;

const ENV_HELPER: &str = r#"/**
 * Encodes an environment variable for Rust: `-` when it is not set, `?` when its value
 * is not a string, else `0` (plain) or `1` (secret) followed by the value.
 */
function envAnswer(found: unknown): string {
  const v = found as { value?: unknown; isSecret?: unknown } | null | undefined;
  if (v === null || v === undefined || v.value === null || v.value === undefined) return "-";
  if (typeof v.value !== "string") return "?";
  return (v.isSecret === true ? "1" : "0") + v.value;
}

"#;

const RUN_PRELUDE_HEAD: &str = r#"/** The module instance, created on the first call and rebuilt after a trap. */
let rust: RustModule | undefined;

/** Logs to the host console when it exists (it is itself a binding). */
function logError(message: string): void {
  if (typeof console !== "undefined") console.error(message);
}

export default async function Workflow(event: unknown): Promise<unknown> {
"#;

const RUN_PRELUDE: &str = r#"  if (rust === undefined) rust = createRustModule();
  const module = rust;
  let panicMessage: string | undefined;
  // Set when the run first waits on a Promise; unset once it has ended.
  let finish: ((result: unknown) => void) | undefined;
  let fail: (error: unknown) => void = () => undefined;
  /** Calls into a waiting run; settles the run when the call says it has ended. */
  const step = (call: () => unknown): void => {
    if (finish === undefined) return;
    let result: unknown;
    try {
      result = call();
    } catch (error) {
      finish = undefined;
      fail(error);
      return;
    }
    if (result !== undefined) {
      const end = finish;
      finish = undefined;
      end(result);
    }
  };
  const bindings: RustBindings = {
    kindePanic: (message) => {
      panicMessage = message;
      logError(message);
    },
    kindeAwait: (slot, promise) => {
      promise.then(
        (value) => step(() => module.kindeResume(slot, true, value)),
        (error) => step(() => module.kindeResume(slot, false, error))
      );
    },
    kindeWake: (task) => {
      Promise.resolve().then(() => step(() => module.kindePoll(task)));
    },
"#;

const RUN_EPILOGUE: &str = r#"  };
  try {
    const result = module.kindeRun(event, bindings);
    if (result !== undefined) return result;
    return await new Promise<unknown>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  } catch (error) {
    if (typeof error === "string") throw new Error(error);
    // A panic or trap leaves the instance unusable: the next call builds a new one.
    rust = undefined;
    if (panicMessage !== undefined) throw new Error(panicMessage);
    throw error instanceof Error ? error : new Error(String(error));
  }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_every_cached_view_test() {
        let glue = "function getUint8ArrayMemory0() {\n    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {\n        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);\n    }\n}\nfunction getDataViewMemory0() {\n  if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {\n  }\n}\n";
        let patched = patch_memory_views(glue).unwrap();
        assert!(patched.contains("    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.buffer !== wasm.memory.buffer) {\n"));
        assert!(patched.contains("  if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer !== wasm.memory.buffer) {\n"));
        assert!(!patched.contains("byteLength === 0") && !patched.contains("detached"));
    }

    #[test]
    fn traps_say_the_module_trapped() {
        let module = "  function wasm2js_trap() { throw new Error('abort'); }\n  x();\n";
        let patched = patch_trap(module).unwrap();
        assert!(
            patched.contains("{ throw new Error('the Rust module trapped (unreachable code)'); }")
        );
        assert!(patch_trap("function wasm2js_trap() {\n}").is_err());
        assert_eq!(patch_trap("var a;").unwrap(), "var a;");
    }

    /// Runs `harness` after the fetch and env helpers, transpiled by esbuild, in node;
    /// returns what it printed.
    fn run_helpers(harness: &str) -> String {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let source = format!("{KINDE_DECLARATIONS_TAIL}{FETCH_HELPER}{ENV_HELPER}{harness}");
        let source = source.trim_start_matches("};");
        let esbuild = root.join("node_modules/esbuild/bin/esbuild");
        let mut child = std::process::Command::new(esbuild)
            .args(["--loader=ts", "--log-level=error"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("esbuild is installed at the repository root (scripts/bootstrap)");
        use std::io::Write as _;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(source.as_bytes())
            .unwrap();
        let js = child.wait_with_output().unwrap();
        assert!(js.status.success());
        crate::run_node(&String::from_utf8(js.stdout).unwrap(), &[])
    }

    /// Requests as `kinde_workflow::wire` encodes them reach `kinde.fetch` as the
    /// workflow built them: URL, method, headers, and the body text byte for byte.
    #[test]
    fn fetch_requests_reach_the_host_as_the_sdk_encodes_them() {
        use kinde_workflow::{wire::encode_fetch, FetchRequest};
        let requests = [
            FetchRequest::post("https://a.example/t?x=1")
                .header("X-Amz-Target", "A.B")
                .text("{\"k\":\"line 1\\nline 2\"}\nsecond line"),
            FetchRequest::post("https://a.example/f").form([("a", "1 2"), ("b", "é&")]),
            FetchRequest::post("https://a.example/e").text(""),
            FetchRequest::get("https://a.example/g")
                .header("b", "1")
                .header("b", "2"),
            FetchRequest::get("https://a.example/n").header("x-odd", "line\nbreak"),
        ];
        let encoded: Vec<String> = requests.iter().map(encode_fetch).collect();
        let harness = format!(
            "const sent: unknown[] = [];\n\
             for (const request of {}) callFetch((url, init) => {{ sent.push([url, init]); return {{}}; }}, request);\n\
             console.log(JSON.stringify(sent));\n",
            serde_json::to_string(&encoded).unwrap()
        );
        let sent: serde_json::Value = serde_json::from_str(&run_helpers(&harness)).unwrap();
        assert_eq!(
            sent,
            serde_json::json!([
                ["https://a.example/t?x=1", {"method": "POST", "headers": {"X-Amz-Target": "A.B"},
                  "body": "{\"k\":\"line 1\\nline 2\"}\nsecond line"}],
                ["https://a.example/f", {"method": "POST",
                  "headers": {"Content-Type": "application/x-www-form-urlencoded"},
                  "body": "a=1+2&b=%C3%A9%26"}],
                ["https://a.example/e", {"method": "POST", "headers": {}, "body": ""}],
                ["https://a.example/g", {"method": "GET", "headers": {"b": "2"}}],
                ["https://a.example/n", {"method": "GET", "headers": {"x-odd": "line\nbreak"}}],
            ])
        );
    }

    /// The fetch and env adapters, transpiled by esbuild and run by node, answer in the
    /// shapes `kinde_workflow::wire` reads (`decode_fetch`'s array, tested against the
    /// SDK in its wasm-bindgen tests; `decode_env`'s text, here) for the answer shapes
    /// hosts give.
    #[test]
    fn fetch_and_env_answers_are_encoded_as_the_sdk_reads_them() {
        let harness = r#"
const fetched = (answer: unknown) => callFetch(() => answer, JSON.stringify(["u", "GET", {}]));
console.log(JSON.stringify([
  [
    fetched({ json: { a: 1 } }),
    fetched({ status: 404, headers: { "x-a": 1 }, text: "line 1\nline 2", json: null }),
    fetched({ status: "200", headers: "nope", text: "" }),
    fetched(undefined),
  ],
  [
    envAnswer(undefined),
    envAnswer({ value: null }),
    envAnswer({ value: 3 }),
    envAnswer({ value: "v", isSecret: true }),
    envAnswer({ value: "", isSecret: false }),
  ],
]));
"#;
        let printed = run_helpers(harness);
        let (fetched, env): (serde_json::Value, Vec<String>) =
            serde_json::from_str(&printed).unwrap();
        // `undefined` (no text, no parsed body) prints as `null` in JSON.
        assert_eq!(
            fetched,
            serde_json::json!([
                [null, null, null, {"a": 1}],
                [404, [["x-a", "1"]], "line 1\nline 2", null],
                [null, null, "", null],
                [null, null, null, null],
            ])
        );

        use kinde_workflow::wire::decode_env;
        assert_eq!(decode_env(&env[0]).unwrap(), None);
        assert_eq!(decode_env(&env[1]).unwrap(), None);
        assert_eq!(
            decode_env(&env[2]).unwrap_err(),
            "env value is not a string"
        );
        let secret = decode_env(&env[3]).unwrap().unwrap();
        assert!(secret.is_secret() && secret.value() == "v");
        let empty = decode_env(&env[4]).unwrap().unwrap();
        assert!(!empty.is_secret() && empty.value().is_empty());
    }

    #[test]
    fn a_short_circuit_answers_before_the_module_starts() {
        let settings = serde_json::json!({"id": "w"});
        let short_circuit = ShortCircuit::from_json(
            r#"{"when":["context","auth","done"],"resolve":{"outcome":"skipped"}}"#,
        )
        .unwrap();
        let adapters = BTreeSet::from([Adapter::Log]);
        let ts = workflow_ts(
            "",
            &Generated {
                crate_name: "w",
                inputs_hash: "h",
                settings: &settings,
                adapters: &adapters,
                short_circuit: Some(&short_circuit),
                factory_body: "",
            },
        );
        let check = ts
            .find(r#"  if (valueAt(event, ["context","auth","done"]) === true) return {"outcome":"skipped"};"#)
            .expect("the check is emitted");
        let entry = ts.find("export default async function Workflow").unwrap();
        let instantiation = ts.find("rust = createRustModule").unwrap();
        assert!(entry < check && check < instantiation);
        assert!(ts.contains("function valueAt(value: unknown, path: string[]): unknown {"));
        assert!(ShortCircuit::from_json(r#"{"when":[],"resolve":1}"#).is_err());
        assert!(ShortCircuit::from_json(r#"{"when":["a"]}"#).is_err());
    }

    /// The fallbacks goja gets, against node's own TextEncoder/TextDecoder: short and
    /// long (chunked) text, every UTF-8 length, and bytes that are not UTF-8.
    #[test]
    fn text_coding_fallbacks_answer_as_the_platform_does() {
        let harness = r#"
const bytes = [
  [], [104, 105], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80],
  [0xff], [0xc3], [0x61, 0xc3, 0x62], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80],
  [0xe0, 0x80, 0xaf], [0xc0, 0x80], [0x80, 0x61],
];
const long = new TextEncoder().encode("aé€😀-0123456789".repeat(1000));
bytes.push(Array.from(long));
const broken = Array.from(long);
broken[9000] = 0xff;
bytes.push(broken);
const ours = new Utf8Decoder(), fatal = new Utf8Decoder("utf-8", { fatal: true });
const node = new TextDecoder(), nodeFatal = new TextDecoder("utf-8", { fatal: true });
const outcome = (decoder, view) => {
  try {
    return decoder.decode(view);
  } catch (e) {
    return e instanceof TypeError ? "TypeError" : String(e);
  }
};
const decoded = bytes.map((b) => {
  const view = new Uint8Array(b);
  return [ours.decode(view) === node.decode(view), outcome(fatal, view) === outcome(nodeFatal, view)];
});
const texts = ["", "plain", "é€😀", "\ud800 lone", "x\udc00", "😀".repeat(5000)];
const encoded = texts.map((t) => new Utf8Encoder().encode(t).join() === new TextEncoder().encode(t).join());
console.log(JSON.stringify([decoded, encoded]));
"#;
        let printed = crate::run_node(&format!("{TEXT_CODING}\n{harness}"), &[]);
        let (decoded, encoded): (Vec<[bool; 2]>, Vec<bool>) =
            serde_json::from_str(&printed).unwrap();
        assert_eq!(decoded.len(), 15);
        for (case, same) in decoded.iter().enumerate() {
            assert_eq!(same, &[true, true], "decoding case {case}");
        }
        assert!(encoded.iter().all(|same| *same), "{encoded:?}");
    }

    #[test]
    fn glue_without_view_caches_is_refused() {
        assert!(patch_memory_views("function f() {}\n").is_err());
    }

    #[test]
    fn adapters_are_read_from_import_names() {
        let imports = vec![
            "__wbg_kindeFetch_0b1c2d3e".to_owned(),
            "__wbg_kindeLog_aa".to_owned(),
            "__wbindgen_throw".to_owned(),
        ];
        let used: Vec<_> = Adapter::used_by(&imports).into_iter().collect();
        assert_eq!(used, vec![Adapter::Fetch, Adapter::Log]);
    }

    #[test]
    fn every_sdk_import_has_an_adapter() {
        let js = include_str!("../../kinde-workflow/src/js.rs");
        let imported: BTreeSet<&str> = js
            .split("js_name = ")
            .skip(1)
            .filter_map(|rest| rest.split(')').next())
            .filter(|name| *name != "kindePanic")
            .collect();
        let adapted: BTreeSet<&str> = Adapter::ALL.iter().map(|a| a.method()).collect();
        assert_eq!(imported, adapted);
    }

    #[test]
    fn only_used_adapters_and_their_declarations_are_emitted() {
        let settings = serde_json::json!({"id": "w"});
        let render = |adapters: &[Adapter]| {
            let adapters: BTreeSet<Adapter> = adapters.iter().copied().collect();
            workflow_ts(
                "",
                &Generated {
                    crate_name: "w",
                    inputs_hash: "h",
                    settings: &settings,
                    adapters: &adapters,
                    short_circuit: None,
                    factory_body: "",
                },
            )
        };
        let minimal = render(&[Adapter::Log]);
        assert!(!minimal.contains("@kinde/infrastructure") && !minimal.contains("idToken"));
        let tokens = render(&[
            Adapter::SetIdTokenClaim,
            Adapter::M2mToken,
            Adapter::ManagementApi,
        ]);
        assert!(tokens
            .contains("import { createKindeAPI, getM2MToken } from \"@kinde/infrastructure\";"));
        assert!(tokens.contains("  idToken: TokenClaims;\n"));
        assert!(tokens.contains("kindeSetIdTokenClaim: (name, value) => kinde.idToken.setCustomClaim(name, JSON.parse(value)),"));
        assert!(!tokens.contains("accessToken"));
        let bindings = used_bindings(&[Adapter::M2mToken, Adapter::Log].into_iter().collect());
        assert_eq!(bindings, ["console", "kinde.cache", "kinde.fetch", "url"]);
    }
}
