//! The `#[workflow]` attribute. Use it through `kinde_workflow::workflow`.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::quote;
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{Error, FnArg, Ident, ItemFn, LitStr, Type};

/// Declares an async function as a Kinde workflow; see `kinde_workflow::workflow`.
#[proc_macro_attribute]
pub fn workflow(attr: TokenStream, item: TokenStream) -> TokenStream {
    let function = syn::parse_macro_input!(item as ItemFn);
    let mut args = Args::default();
    let parser = syn::meta::parser(|meta| args.parse(meta));
    if let Err(err) = parser.parse(attr) {
        return err.to_compile_error().into();
    }
    expand(args, function)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

#[derive(Default)]
struct Args {
    id: Option<LitStr>,
    name: Option<LitStr>,
    failure_policy: Option<Ident>,
    bindings: Vec<Ident>,
    short_circuit: Option<ShortCircuit>,
}

/// `short_circuit(when = "a.b.c", resolve = "<JSON>")`: the shim resolves with the
/// JSON, without starting the Rust module, when the event's value at the path is `true`.
struct ShortCircuit {
    when: Vec<String>,
    resolve: serde_json::Value,
}

impl ShortCircuit {
    fn parse(meta: syn::meta::ParseNestedMeta) -> syn::Result<Self> {
        let mut when = None;
        let mut resolve = None;
        meta.parse_nested_meta(|inner| {
            if inner.path.is_ident("when") {
                let lit: LitStr = inner.value()?.parse()?;
                when = Some(parse_event_path(&lit.value()).map_err(|e| Error::new(lit.span(), e))?);
            } else if inner.path.is_ident("resolve") {
                let lit: LitStr = inner.value()?.parse()?;
                let value = serde_json::from_str(&lit.value())
                    .map_err(|e| Error::new(lit.span(), format!("`resolve` must be JSON: {e}")))?;
                resolve = Some(value);
            } else {
                return Err(
                    inner.error("unknown short_circuit setting; expected `when` or `resolve`")
                );
            }
            Ok(())
        })?;
        let missing = |what| meta.error(format!("short_circuit needs `{what} = \"...\"`"));
        Ok(Self {
            when: when.ok_or_else(|| missing("when"))?,
            resolve: resolve.ok_or_else(|| missing("resolve"))?,
        })
    }

    /// What the `kinde_workflow_short_circuit` custom section holds.
    fn json(&self) -> String {
        serde_json::json!({ "when": self.when, "resolve": self.resolve }).to_string()
    }
}

/// Splits `context.auth.hasUserRecordInKinde` into its keys: each a JS identifier.
fn parse_event_path(path: &str) -> Result<Vec<String>, String> {
    let keys: Vec<String> = path.split('.').map(str::to_owned).collect();
    let identifier = |key: &str| {
        let mut chars = key.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
    };
    if keys.iter().all(|key| identifier(key)) {
        Ok(keys)
    } else {
        Err(format!(
            "`when` must be a dotted path of event fields, like `context.auth.hasUserRecordInKinde`; got `{path}`"
        ))
    }
}

impl Args {
    fn parse(&mut self, meta: syn::meta::ParseNestedMeta) -> syn::Result<()> {
        if meta.path.is_ident("id") {
            self.id = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("name") {
            self.name = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("failure_policy") {
            self.failure_policy = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("bindings") {
            meta.parse_nested_meta(|binding| {
                let ident = binding.path.require_ident()?.clone();
                self.bindings.push(ident);
                Ok(())
            })?;
        } else if meta.path.is_ident("short_circuit") {
            self.short_circuit = Some(ShortCircuit::parse(meta)?);
        } else {
            return Err(meta.error(
                "unknown setting; expected `id`, `name`, `failure_policy`, `bindings(...)` or `short_circuit(...)`",
            ));
        }
        Ok(())
    }
}

fn expand(args: Args, function: ItemFn) -> syn::Result<TokenStream2> {
    let id = args
        .id
        .ok_or_else(|| Error::new(Span::call_site(), "missing `id = \"...\"`"))?;
    check_id(&id)?;
    let name = args.name.unwrap_or_else(|| id.clone());
    let failure_policy = args
        .failure_policy
        .unwrap_or_else(|| Ident::new("Stop", Span::call_site()));
    let bindings = &args.bindings;

    if function.sig.asyncness.is_none() {
        return Err(Error::new(
            function.sig.fn_token.span(),
            "a workflow must be an `async fn(event, &impl Host)`",
        ));
    }
    let event_type = event_type(&function)?;
    let fn_name = &function.sig.ident;
    let short_circuit = short_circuit_items(args.short_circuit.as_ref());

    Ok(quote! {
        #function

        /// Settings of this crate's workflow, as declared by `#[workflow]`.
        pub const WORKFLOW_SETTINGS: ::kinde_workflow::WorkflowSettings =
            ::kinde_workflow::WorkflowSettings {
                id: #id,
                name: #name,
                trigger: <#event_type as ::kinde_workflow::events::Event>::TRIGGER,
                failure_policy: ::kinde_workflow::FailurePolicy::#failure_policy,
                bindings: &[#(::kinde_workflow::Binding::#bindings),*],
            };

        #[cfg(target_arch = "wasm32")]
        #[doc(hidden)]
        #[link_section = "kinde_workflow_settings"]
        #[used]
        static __KINDE_WORKFLOW_SETTINGS_JSON: [u8; WORKFLOW_SETTINGS.json_len()] =
            WORKFLOW_SETTINGS.json_bytes::<{ WORKFLOW_SETTINGS.json_len() }>();

        #short_circuit

        #[cfg(target_arch = "wasm32")]
        #[doc(hidden)]
        #[::kinde_workflow::__private::wasm_bindgen::prelude::wasm_bindgen(
            js_name = "kindeRun",
            wasm_bindgen = ::kinde_workflow::__private::wasm_bindgen,
        )]
        pub fn __kinde_run(
            event: ::kinde_workflow::__private::wasm_bindgen::JsValue,
            bindings: ::kinde_workflow::js::Bindings,
        ) -> ::std::result::Result<
            ::kinde_workflow::__private::wasm_bindgen::JsValue,
            ::kinde_workflow::__private::wasm_bindgen::JsValue,
        > {
            ::kinde_workflow::js::start_run::<#event_type, _, _, _>(event, bindings, |event, host| async move {
                #fn_name(event, &host).await
            })
        }
    })
}

/// `WORKFLOW_SHORT_CIRCUIT` and, on wasm32, the custom section `cargo kinde build`
/// reads it from.
fn short_circuit_items(short_circuit: Option<&ShortCircuit>) -> TokenStream2 {
    let Some(short_circuit) = short_circuit else {
        return quote! {
            /// This workflow declares no short circuit: every event runs the Rust code.
            pub const WORKFLOW_SHORT_CIRCUIT: ::core::option::Option<::kinde_workflow::ShortCircuit> =
                ::core::option::Option::None;
        };
    };
    let when = &short_circuit.when;
    let resolve = short_circuit.resolve.to_string();
    let json = short_circuit.json();
    let len = json.len();
    let bytes = proc_macro2::Literal::byte_string(json.as_bytes());
    quote! {
        /// The short circuit `#[workflow]` declared: the shim answers these events itself.
        pub const WORKFLOW_SHORT_CIRCUIT: ::core::option::Option<::kinde_workflow::ShortCircuit> =
            ::core::option::Option::Some(::kinde_workflow::ShortCircuit {
                when: &[#(#when),*],
                resolve: #resolve,
            });

        #[cfg(target_arch = "wasm32")]
        #[doc(hidden)]
        #[link_section = "kinde_workflow_short_circuit"]
        #[used]
        static __KINDE_WORKFLOW_SHORT_CIRCUIT_JSON: [u8; #len] = *#bytes;
    }
}

/// Kinde ids are used in URLs and file names: keep them to ASCII letters, digits, `_`, `-`.
fn check_id(id: &LitStr) -> syn::Result<()> {
    let value = id.value();
    let valid = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if valid {
        Ok(())
    } else {
        Err(Error::new(
            id.span(),
            "workflow id must be non-empty ASCII letters, digits, `_` or `-`",
        ))
    }
}

/// The type of the first argument: the event.
fn event_type(function: &ItemFn) -> syn::Result<Type> {
    let inputs = &function.sig.inputs;
    if inputs.len() != 2 {
        return Err(Error::new(
            inputs.span(),
            "a workflow takes two arguments: `(event: SomeEvent, kinde: &impl Host)`",
        ));
    }
    match &inputs[0] {
        FnArg::Typed(arg) => Ok((*arg.ty).clone()),
        FnArg::Receiver(receiver) => Err(Error::new(
            receiver.span(),
            "a workflow is a free function, not a method",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_paths_are_dotted_identifiers() {
        assert_eq!(
            parse_event_path("context.auth.hasUserRecordInKinde").unwrap(),
            ["context", "auth", "hasUserRecordInKinde"]
        );
        for bad in ["", "a..b", "a.1b", "a.b-c", "a[0]"] {
            let err = parse_event_path(bad).unwrap_err();
            assert!(err.contains(&format!("got `{bad}`")), "{err}");
        }
    }

    #[test]
    fn short_circuits_need_both_settings_and_valid_json() {
        let parse = |attr: &str| {
            let mut args = Args::default();
            let parser = syn::meta::parser(|meta| args.parse(meta));
            parser
                .parse_str(attr)
                .map(|()| args.short_circuit.map(|s| s.json()))
                .map_err(|e| e.to_string())
        };
        assert_eq!(
            parse(r#"short_circuit(when = "a.b", resolve = "{\"x\": 1}")"#).unwrap(),
            Some(r#"{"resolve":{"x":1},"when":["a","b"]}"#.to_owned())
        );
        assert!(parse(r#"short_circuit(when = "a.b")"#)
            .unwrap_err()
            .contains("short_circuit needs `resolve"));
        assert!(parse(r#"short_circuit(when = "a", resolve = "{x}")"#)
            .unwrap_err()
            .contains("`resolve` must be JSON"));
        assert!(parse(r#"short_circuit(if = "a")"#)
            .unwrap_err()
            .contains("expected `when` or `resolve`"));
    }
}
