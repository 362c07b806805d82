//! The dispatcher: generated code that calls any operation by its id with
//! JSON arguments through the operation's typed builder, and the table of the
//! operations it knows, for `crate::dynamic` (feature `dynamic`: spec-driven
//! tests and tools, which then need no code per operation).
//!
//! It runs after the rewrites, on their output, and emits one module,
//! `dynamic`, with:
//! - `OPERATIONS`: every operation of the spec (id, product, whether its
//!   feature is on, method, path key, parameters, body, deprecation), from
//!   the spec's facts (`facts.rs`);
//! - `call`: one `match` arm per operation, gated by the feature
//!   `features::gates` gives the method it calls, as `rewrite::products`
//!   gates the method (a second arm, without the feature, says which feature
//!   the operation needs; every type the arm names must be present with that
//!   feature, or generation fails), that decodes each parameter the caller
//!   gives into the type the builder's setter takes, the body into the body's
//!   type, sends, and hands the answer to `crate::dynamic` as JSON, a byte
//!   stream (read whole there) or nothing, by the type `send` returns.
//!
//! The setters are found by the names progenitor gives the spec's
//! parameters (`names::snake`). Generation fails, naming this file, when an
//! operation's builder does not have the shape it expects: a parameter
//! without its setter, a setter no parameter explains, a fixed header that
//! still has one (`rewrite::fixed_headers` did not run), a setter that does
//! not take `V: TryInto<T>`, a body that is not a JSON type, an answer that
//! is a stream or an error body that is neither `ApiError` nor none.

use proc_macro2::TokenStream;
use quote::{ToTokens as _, quote};

use super::facts::{Facts, Location, Operation};
use super::features;
use super::names;
use super::rewrite::builder_impls;
use super::settings::ALWAYS_PRESENT;

/// What a call does with the answer `send` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// A decoded type: serialized back to JSON.
    Json,
    /// `ByteStream` (a body that is not JSON): read whole, within the
    /// client's limit.
    Bytes,
    /// `()`: no body.
    Empty,
}

/// How the call of one operation is made.
struct Plan {
    /// The setter and the type it takes of each parameter the caller sets,
    /// by the parameter's name in the spec.
    setters: Vec<(String, syn::Ident, syn::Type)>,
    /// The type of the body, when the operation takes one.
    body: Option<syn::Type>,
    answer: Answer,
    /// Whether the operation documents an error body (`Error<ApiError>`);
    /// without one, its `send` returns `Error<()>`.
    error_body: bool,
    /// The feature the arm needs: the product of the method it calls.
    product: String,
}

/// Appends the module `dynamic` to the generated file.
pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let mut plans = plans(file, facts)
        .map_err(|message| format!("the generator codegen/dispatch.rs {message}"))?;
    gate(file, facts, &mut plans)
        .map_err(|message| format!("the generator codegen/dispatch.rs {message}"))?;
    let module = module(facts, &plans);
    let module: syn::Item = syn::parse2(module).map_err(|e| {
        format!("the generator codegen/dispatch.rs made code that does not parse: {e}")
    })?;
    file.items.push(module);
    Ok(())
}

/// The plan of every operation, in the facts' order.
fn plans(file: &mut syn::File, facts: &Facts) -> Result<Vec<Plan>, String> {
    let impls = builder_impls(file);
    let mut out = Vec::new();
    for operation in &facts.operations {
        let block = impls.get(&operation.id).ok_or_else(|| {
            format!(
                "expected a builder of the operation {} with a `send`, and found none",
                operation.id
            )
        })?;
        out.push(plan(operation, block).map_err(|m| format!("expected {m}"))?);
    }
    Ok(out)
}

/// The plan of one operation, from its builder's `impl`.
fn plan(operation: &Operation, block: &syn::ItemImpl) -> Result<Plan, String> {
    let id = &operation.id;
    let methods: Vec<&syn::ImplItemFn> = block
        .items
        .iter()
        .filter_map(|item| match item {
            syn::ImplItem::Fn(f) if f.sig.receiver().is_some() => Some(f),
            _ => None,
        })
        .collect();
    let find = |name: &str| methods.iter().find(|f| f.sig.ident == name).copied();
    let mut setters = Vec::new();
    let mut explained = vec!["send".to_string()];
    // An operation with an idempotency key also has its getter
    // (`rewrite::idempotency`), which sets nothing.
    if operation.parameters.iter().any(|p| {
        super::rewrite::idempotency::HEADERS.contains(&p.name.to_ascii_lowercase().as_str())
    }) {
        explained.push("idempotency_key_in_use".to_string());
    }
    for parameter in &operation.parameters {
        let name = names::snake(&parameter.name);
        match (&parameter.fixed, find(&name)) {
            (Some(_), Some(_)) => {
                return Err(format!(
                    "no setter `{name}` in the builder of {id}, since its header {} is fixed, and \
                     found one",
                    parameter.name
                ));
            }
            (Some(_), None) => {}
            (None, None) => {
                return Err(format!(
                    "a setter `{name}` for the parameter {} in the builder of {id}, and found \
                     none (its methods: {})",
                    parameter.name,
                    names_of(&methods)
                ));
            }
            (None, Some(setter)) => {
                let ty = taken(setter).ok_or_else(|| {
                    format!("the setter `{name}` of {id} to take `V: TryInto<T>`")
                })?;
                setters.push((parameter.name.clone(), setter.sig.ident.clone(), ty));
                explained.push(name);
            }
        }
    }
    let body = if operation.body {
        let setter = find("body")
            .ok_or_else(|| format!("a setter `body` in the builder of {id}, and found none"))?;
        let ty = taken(setter)
            .ok_or_else(|| format!("the setter `body` of {id} to take `V: TryInto<T>`"))?;
        if !ty.to_token_stream().to_string().starts_with("types ::") {
            return Err(format!(
                "the body of {id} to be a JSON type of `types`, and found `{}`",
                ty.to_token_stream()
            ));
        }
        explained.extend(["body".to_string(), "body_map".to_string()]);
        Some(ty)
    } else {
        None
    };
    if let Some(extra) = methods
        .iter()
        .find(|f| !explained.contains(&f.sig.ident.to_string()))
    {
        return Err(format!(
            "every method of the builder of {id} to set a parameter of the spec, and found \
             `{}`, which none of its parameters ({}) is named as",
            extra.sig.ident,
            operation
                .parameters
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let send = find("send").ok_or_else(|| format!("a `send` in the builder of {id}"))?;
    let (answer, error_body) = answer(&send.sig.output)
        .map_err(|found| format!("the `send` of {id} to return {found}"))?;
    Ok(Plan {
        setters,
        body,
        answer,
        error_body,
        product: String::new(),
    })
}

/// Gives each plan the feature of the method it calls, as `features::gates`
/// works it out for `rewrite::products`, and checks that every generated type
/// the arm names is present with that feature.
fn gate(file: &syn::File, facts: &Facts, plans: &mut [Plan]) -> Result<(), String> {
    let gates = features::gates(
        &file.items,
        &facts.products_by_operation(),
        ALWAYS_PRESENT,
        &|_| features::Beyond::default(),
    );
    for (operation, plan) in facts.operations.iter().zip(plans.iter_mut()) {
        let id = &operation.id;
        let product = gates.methods.get(id).ok_or_else(|| {
            format!("expected the method Client::{id} with a product's feature, and found none")
        })?;
        let named = plan
            .setters
            .iter()
            .map(|(_, _, ty)| ty)
            .chain(&plan.body)
            .flat_map(|ty| features::types_named(&ty.to_token_stream()));
        for name in named {
            if let Some(Some(needs)) = gates.types.get(&name)
                && !needs.contains(product)
            {
                return Err(format!(
                    "expected the type types::{name}, which the call of {id} names, to be \
                     present with the feature {product}, and it needs one of {needs:?}"
                ));
            }
        }
        plan.product = product.clone();
    }
    Ok(())
}

fn names_of(methods: &[&syn::ImplItemFn]) -> String {
    methods
        .iter()
        .map(|f| f.sig.ident.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `T` of a setter `fn x<V>(self, value: V) -> Self where V: TryInto<T>`.
fn taken(setter: &syn::ImplItemFn) -> Option<syn::Type> {
    let generics = &setter.sig.generics;
    let [syn::GenericParam::Type(param)] = generics.params.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let bounds = param.bounds.iter().chain(
        generics
            .where_clause
            .iter()
            .flat_map(|w| &w.predicates)
            .filter_map(|p| match p {
                syn::WherePredicate::Type(t)
                    if matches!(&t.bounded_ty, syn::Type::Path(b) if b.path.is_ident(&param.ident)) =>
                {
                    Some(&t.bounds)
                }
                _ => None,
            })
            .flatten(),
    );
    for bound in bounds {
        let syn::TypeParamBound::Trait(bound) = bound else {
            continue;
        };
        let Some(last) = bound.path.segments.last() else {
            continue;
        };
        if last.ident != "TryInto" {
            continue;
        }
        if let syn::PathArguments::AngleBracketed(args) = &last.arguments
            && let [syn::GenericArgument::Type(ty)] = args.args.iter().collect::<Vec<_>>()[..]
        {
            return Some(ty.clone());
        }
    }
    None
}

/// What a call does with the answer of a `send` returning
/// `Result<ResponseValue<T>, Error<E>>`, and whether `E` is
/// `types::ApiError` (else `()`: no documented error); `Err`: what it should
/// have returned, and what it returns.
fn answer(output: &syn::ReturnType) -> Result<(Answer, bool), String> {
    let syn::ReturnType::Type(_, ty) = output else {
        return Err("`Result<…>`, and found nothing".into());
    };
    let wrong = || {
        format!(
            "`Result<ResponseValue<T>, Error<E>>` with a JSON type, `()` or `ByteStream` \
             for `T` and `types::ApiError` or `()` for `E`, and found `{}`",
            ty.to_token_stream()
        )
    };
    let [ok, error] = generic_arguments(ty, "Result").ok_or_else(wrong)?[..] else {
        return Err(wrong());
    };
    let [inner] = generic_arguments(ok, "ResponseValue").ok_or_else(wrong)?[..] else {
        return Err(wrong());
    };
    let [body] = generic_arguments(error, "Error").ok_or_else(wrong)?[..] else {
        return Err(wrong());
    };
    let error_body = match body.to_token_stream().to_string().as_str() {
        "types :: ApiError" => true,
        "()" => false,
        _ => return Err(wrong()),
    };
    let answer = match inner.to_token_stream().to_string().as_str() {
        "()" => Answer::Empty,
        "ByteStream" => Answer::Bytes,
        "reqwest :: Upgraded" => return Err(wrong()),
        _ => Answer::Json,
    };
    Ok((answer, error_body))
}

/// The type arguments of `ty` when it is `name<…>` (its last segment).
fn generic_arguments<'a>(ty: &'a syn::Type, name: &str) -> Option<Vec<&'a syn::Type>> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args
        .iter()
        .map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// The module `dynamic`.
fn module(facts: &Facts, plans: &[Plan]) -> TokenStream {
    let table = facts
        .operations
        .iter()
        .map(|operation| entry(operation, facts.idempotency_keys.get(&operation.id)));
    let arms = facts
        .operations
        .iter()
        .zip(plans)
        .enumerate()
        .map(|(index, (operation, plan))| arms(index, operation, plan));
    quote! {
        /// The dispatcher of `crate::dynamic`: every operation of the spec,
        /// called by its id through its builder.
        #[cfg(feature = "client")]
        #[cfg(feature = "dynamic")]
        pub mod dynamic {
            #[allow(unused_imports)]
            use super::types;
            use crate::dynamic::{Answer, Arguments, Location, Operation, Parameter};

            /// Every operation of the spec, in the order of its paths.
            pub const OPERATIONS: &[Operation] = &[#(#table),*];

            /// Calls the operation `operation_id` with `arguments`.
            #[allow(
                deprecated,
                unused_variables,
                reason = "a deprecated operation or parameter is called like any other; \
                          without a product's feature, nothing is called"
            )]
            pub(crate) async fn call(
                client: &super::Client,
                operation_id: &str,
                arguments: Arguments,
            ) -> Result<super::ResponseValue<Answer>, crate::Error> {
                match operation_id {
                    #(#arms)*
                    _ => Err(crate::dynamic::unknown(operation_id)),
                }
            }
        }
    }
}

/// An operation's entry of `OPERATIONS`; `key` is the Rust name of its
/// idempotency-key parameter, which its builder supplies, if it has one.
fn entry(operation: &Operation, key: Option<&String>) -> TokenStream {
    let Operation {
        id, method, path, ..
    } = operation;
    let product = operation.product.clone().unwrap_or_default();
    let body = operation.body;
    let deprecated = operation.deprecated.is_some();
    let parameters = operation.parameters.iter().map(|p| {
        let name = &p.name;
        let location = match p.location {
            Location::Path => quote!(Location::Path),
            Location::Query => quote!(Location::Query),
            Location::Header => quote!(Location::Header),
        };
        let required = p.required;
        let deprecated = p.deprecated;
        let fixed = match &p.fixed {
            Some(value) => quote!(Some(#value)),
            None => quote!(None),
        };
        // The builder starts with a fresh idempotency key
        // (`rewrite::idempotency`).
        let supplied =
            matches!(p.location, Location::Header) && key == Some(&names::snake(&p.name));
        quote! {
            Parameter {
                name: #name,
                location: #location,
                required: #required,
                deprecated: #deprecated,
                fixed: #fixed,
                supplied: #supplied,
            }
        }
    });
    quote! {
        Operation {
            id: #id,
            product: #product,
            enabled: cfg!(feature = #product),
            method: #method,
            path: #path,
            parameters: &[#(#parameters),*],
            body: #body,
            deprecated: #deprecated,
        }
    }
}

/// The two arms of an operation in `call`: with its product's feature, and
/// without.
fn arms(index: usize, operation: &Operation, plan: &Plan) -> TokenStream {
    let id = &operation.id;
    let product = &plan.product;
    let method = syn::Ident::new(id, proc_macro2::Span::call_site());
    let setters = plan.setters.iter().map(|(name, setter, ty)| {
        quote! {
            if let Some(value) = arguments.parameter::<#ty>(#name)? {
                request = request.#setter(value);
            }
        }
    });
    let body = plan.body.as_ref().map(|ty| {
        quote! {
            if let Some(value) = arguments.body::<#ty>()? {
                request = request.body(value);
            }
        }
    });

    let sent = if plan.error_body {
        quote!(request.send().await)
    } else {
        quote!(
            request
                .send()
                .await
                .map_err(crate::dynamic::without_error_body)
        )
    };
    let answer = match plan.answer {
        Answer::Json => quote!(crate::dynamic::json(#sent)),
        Answer::Bytes => quote!(crate::dynamic::stream(client, #sent).await),
        Answer::Empty => quote!(crate::dynamic::empty(#sent)),
    };
    quote! {
        #[cfg(feature = #product)]
        #id => {
            let mut arguments = arguments.check(&OPERATIONS[#index])?;
            let mut request = client.#method();
            #(#setters)*
            #body
            #answer
        }
        #[cfg(not(feature = #product))]
        #id => Err(crate::dynamic::disabled(&OPERATIONS[#index])),
    }
}
