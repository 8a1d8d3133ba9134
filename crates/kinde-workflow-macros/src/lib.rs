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
        } else {
            return Err(meta.error(
                "unknown setting; expected `id`, `name`, `failure_policy` or `bindings(...)`",
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

        #[cfg(target_arch = "wasm32")]
        #[doc(hidden)]
        #[::kinde_workflow::__private::wasm_bindgen::prelude::wasm_bindgen(
            js_name = "kindeRun",
            wasm_bindgen = ::kinde_workflow::__private::wasm_bindgen,
            wasm_bindgen_futures = ::kinde_workflow::__private::wasm_bindgen_futures,
        )]
        pub async fn __kinde_run(
            event: ::std::string::String,
            bindings: ::kinde_workflow::js::Bindings,
        ) -> ::std::result::Result<::std::string::String, ::std::string::String> {
            ::kinde_workflow::js::run::<#event_type, _, _, _>(&event, bindings, |event, host| async move {
                #fn_name(event, &host).await
            })
            .await
        }
    })
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
