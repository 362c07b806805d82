//! Each rewrite against the code it rewrites: every rewrite's check holds on
//! the code generated from the project's spec and fails on the code generated
//! without that rewrite (so that a rewrite that silently stopped working is
//! seen), and every rewrite fails, naming its file, when its input is not
//! there (here, run a second time on its own output).

use std::path::Path;
use std::sync::OnceLock;

use super::super::facts::Facts;
use super::super::settings::{ALWAYS_PRESENT, SPEC_PATH};
use super::{REWRITES, constructors};

const PROJECT_SPEC: &str = include_str!("../../openapi/cryptomate.yaml");

/// The shapes the project's spec does not have yet: two versions of a path
/// (D21), deprecated parameters, answers that are not JSON objects.
const SHAPES_SPEC: &str = include_str!("../../tests/fixtures/shapes.yaml");
const SHAPES_PATH: &str = "tests/fixtures/shapes.yaml";

/// The rewrites that have nothing to do on the project's spec today, checked
/// on the shapes spec instead.
const ON_SHAPES: &[&str] = &["fragments", "fixed_headers", "deprecated_parameters"];

fn project_spec() -> openapiv3::OpenAPI {
    super::super::parse(Path::new(SPEC_PATH), PROJECT_SPEC).expect("the project's spec parses")
}

fn shapes_spec() -> openapiv3::OpenAPI {
    super::super::parse(Path::new(SHAPES_PATH), SHAPES_SPEC).expect("the shapes spec parses")
}

/// The spec a rewrite is checked on.
fn spec_for(rewrite: &str) -> openapiv3::OpenAPI {
    if ON_SHAPES.contains(&rewrite) {
        shapes_spec()
    } else {
        project_spec()
    }
}

/// The generated code of the spec a rewrite is checked on.
fn code_for(rewrite: &str) -> &'static str {
    static SHAPES: OnceLock<String> = OnceLock::new();
    if ON_SHAPES.contains(&rewrite) {
        SHAPES.get_or_init(|| {
            super::super::generate_from_str(Path::new(SHAPES_PATH), SHAPES_SPEC)
                .unwrap_or_else(|e| panic!("the shapes spec generates: {e}"))
        })
    } else {
        project_code()
    }
}

/// The project's generated code, as the crate compiles it.
fn project_code() -> &'static str {
    static CODE: OnceLock<String> = OnceLock::new();
    CODE.get_or_init(|| {
        super::super::generate_from_str(Path::new(SPEC_PATH), PROJECT_SPEC)
            .unwrap_or_else(|e| panic!("the project's spec generates: {e}"))
    })
}

/// progenitor's output for the project's spec, parsed, before any rewrite.
fn progenitor_file(spec: &openapiv3::OpenAPI) -> syn::File {
    let tokens = super::super::progenitor_tokens(spec).expect("progenitor generates");
    syn::parse2(tokens).expect("progenitor's output parses")
}

/// The code generated with every rewrite but `skipped` (the others' failures,
/// which may follow from the skipped one's absence, ignored).
fn code_without(skipped: &str) -> String {
    let spec = spec_for(skipped);
    let facts = Facts::of(&spec);
    let tokens = super::super::progenitor_tokens(&spec).expect("progenitor generates");
    let tokens = if skipped == "constructors" {
        tokens
    } else {
        constructors::apply_to_tokens(tokens).expect("constructors")
    };
    let mut file: syn::File = syn::parse2(tokens).expect("parses");
    for (name, rewrite) in REWRITES {
        if *name != skipped {
            let _ = rewrite(&mut file, &facts);
        }
    }
    prettyplease::unparse(&file)
}

/// The code without its whitespace, for checks that do not depend on how
/// prettyplease breaks lines.
fn squeezed(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A check of what one rewrite does, on formatted code.
type Check = fn(&str, &Facts) -> Result<(), String>;

/// One check per rewrite, by the rewrite's name.
const CHECKS: &[(&str, Check)] = &[
    ("constructors", |code, _| {
        let file = syn::parse_file(code).map_err(|e| e.to_string())?;
        let public: Vec<String> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Impl(block)
                    if block.trait_.is_none() && super::is_client(&block.self_ty) =>
                {
                    Some(block)
                }
                _ => None,
            })
            .flat_map(|block| &block.items)
            .filter_map(|member| match member {
                syn::ImplItem::Fn(f)
                    if f.sig.receiver().is_none()
                        && matches!(f.vis, syn::Visibility::Public(_)) =>
                {
                    Some(f.sig.ident.to_string())
                }
                _ => None,
            })
            .collect();
        if !public.is_empty() || !squeezed(code).contains("pub(crate)fnnew_with_client(") {
            return Err(format!("public constructors of Client: {public:?}"));
        }
        Ok(())
    }),
    ("error_type", |code, _| {
        let import = code
            .lines()
            .find(|l| l.starts_with("pub use progenitor_client::{"))
            .unwrap_or_default();
        if !code.contains("pub use crate::Error;") || import.contains("Error") {
            return Err(format!("progenitor's Error is imported: {import}"));
        }
        Ok(())
    }),
    ("decoding", |code, facts| {
        let code = squeezed(code);
        let unexpected = code.matches("crate::decode::unexpected(client,").count();
        let documented = facts
            .operations
            .iter()
            .filter(|o| !o.default_response)
            .count();
        if code.contains("ResponseValue::from_response(")
            || code.contains("Error::UnexpectedResponse(")
            || unexpected != documented
        {
            return Err("progenitor's decoding is left".into());
        }
        Ok(())
    }),
    ("redirects", |code, facts| {
        let code = squeezed(code);
        for operation in &facts.operations {
            for status in &operation.redirects {
                let arm = format!(
                    "{status}u16=>{{Err(Error::ErrorResponse(crate::decode::from_response(client,response).await?"
                );
                if !code.contains(&arm) {
                    return Err(format!("{}: no error arm for {status}", operation.id));
                }
            }
        }
        if facts.operations.iter().all(|o| o.redirects.is_empty()) {
            return Err("the project's spec documents no 3xx to check".into());
        }
        Ok(())
    }),
    ("hooks", |code, _| {
        let code = squeezed(code);
        if code.contains(".pre(&mutrequest,&info)") || code.contains(".post(&result,&info)") {
            return Err("a hook call is left".into());
        }
        Ok(())
    }),
    ("api_version", |code, _| {
        if code.contains("\"api-version\"") {
            return Err("the api-version header is sent".into());
        }
        Ok(())
    }),
    ("fragments", |code, facts| {
        let versioned: Vec<_> = facts
            .operations
            .iter()
            .filter(|o| o.path.contains('#'))
            .collect();
        if versioned.is_empty() {
            return Err("no path key with a fragment to check".into());
        }
        for operation in versioned {
            // The dispatcher's table names the path key; nothing else may.
            let named = code.matches(&operation.path).count();
            let in_table = code
                .matches(&format!("path: \"{}\"", operation.path))
                .count();
            if named != in_table {
                return Err(format!("{} is left with its fragment", operation.path));
            }
            // progenitor's format string: `{}` for the base URL and for
            // each path parameter.
            let mut url = String::from("\"{}");
            let mut in_parameter = false;
            for c in operation.wire_path().chars() {
                match c {
                    '{' => in_parameter = true,
                    '}' => {
                        in_parameter = false;
                        url.push_str("{}");
                    }
                    _ if in_parameter => {}
                    c => url.push(c),
                }
            }
            url.push('"');
            if !code.contains(&url) {
                return Err(format!("no URL {url} for {}", operation.id));
            }
        }
        Ok(())
    }),
    ("path_segments", |code, facts| {
        let code = squeezed(code);
        let segments = code
            .matches("crate::path::segment(\"thepathparameter`")
            .count();
        let parameters = facts
            .operations
            .iter()
            .flat_map(|o| &o.parameters)
            .filter(|p| p.location == super::super::facts::Location::Path)
            .count();
        if code.contains("encode_path") || segments != parameters {
            return Err(format!(
                "{segments} path parameters go through crate::path::segment, not {parameters}, \
                 or encode_path is left"
            ));
        }
        Ok(())
    }),
    ("fixed_headers", |code, facts| {
        let code = squeezed(code);
        let mut fixed = 0;
        for operation in &facts.operations {
            for parameter in &operation.parameters {
                let Some(value) = &parameter.fixed else {
                    continue;
                };
                fixed += 1;
                let name = super::super::names::snake(&parameter.name);
                if code.contains(&format!("pubfn{name}<V>(")) {
                    return Err(format!("{} has a setter {name}", operation.id));
                }
                if !code.contains(&format!("{name}:\"{value}\".parse()")) {
                    return Err(format!("{} does not start {name} at {value}", operation.id));
                }
            }
        }
        if fixed == 0 {
            return Err("no fixed header to check".into());
        }
        Ok(())
    }),
    ("header_map", |code, facts| {
        // Only the operations with header parameters (the idempotency keys of
        // the virtual balance) still build a header map.
        let built = squeezed(code).matches("letmutheader_map=").count();
        let with_headers = facts
            .operations
            .iter()
            .filter(|o| !o.headers.is_empty())
            .count();
        if built != with_headers {
            return Err(format!(
                "{built} header maps are built, not {with_headers} (one per operation with \
                 header parameters): an empty header map is built"
            ));
        }
        Ok(())
    }),
    ("idempotency", |code, facts| {
        let code = squeezed(code);
        // A required key's field starts with the key, an optional one's
        // with `Some` key.
        let fresh = code.matches("Ok(crate::idempotency::fresh_key())").count()
            + code
                .matches("Ok(Some(crate::idempotency::fresh_key()))")
                .count();
        let getters = code.matches("pubfnidempotency_key_in_use(&self)").count();
        let keys = facts.idempotency_keys.len();
        if fresh != keys || getters != keys {
            return Err(format!(
                "{fresh} fresh keys and {getters} getters for {keys} operations"
            ));
        }
        Ok(())
    }),
    ("bodies", |code, facts| {
        let held = squeezed(code).matches("crate::body::Body<").count();
        let bodies = facts.operations.iter().filter(|o| o.body).count();
        if held != bodies {
            return Err(format!(
                "{held} bodies held as crate::body::Body, not {bodies}"
            ));
        }
        Ok(())
    }),
    ("deprecated", |code, facts| {
        let code = squeezed(code);
        for operation in &facts.operations {
            if let Some(note) = &operation.deprecated {
                let marked = format!(
                    "#[deprecated(note=\"{}\")]pubfn{}(",
                    note.replace(' ', ""),
                    operation.id
                );
                if !code.contains(&marked) {
                    return Err(format!("Client::{} is not #[deprecated]", operation.id));
                }
            }
        }
        Ok(())
    }),
    ("deprecated_parameters", |code, facts| {
        let code = squeezed(code);
        let mut deprecated = 0;
        for operation in &facts.operations {
            for parameter in operation.parameters.iter().filter(|p| p.deprecated) {
                deprecated += 1;
                let name = super::super::names::snake(&parameter.name);
                let marked = format!(
                    "#[deprecated(note=\"thevendordeprecatedtheparameter`{}`\")]pubfn{name}<",
                    parameter.name
                );
                if !code.contains(&marked) {
                    return Err(format!(
                        "{}'s setter {name} is not #[deprecated]",
                        operation.id
                    ));
                }
            }
        }
        if deprecated == 0 {
            return Err("no deprecated parameter to check".into());
        }
        Ok(())
    }),
    ("doc_fences", |code, _| {
        if code.contains("```ignore") {
            return Err("an ignored doctest is left".into());
        }
        Ok(())
    }),
    ("schemars", |code, _| {
        let code = squeezed(code);
        let all = code.matches("schemars::JsonSchema").count();
        let gated = code
            .matches("#[cfg_attr(feature=\"schemars\",derive(schemars::JsonSchema))]")
            .count();
        if all == 0 || all != gated {
            return Err(format!(
                "{gated} of {all} JsonSchema derives are behind the feature"
            ));
        }
        Ok(())
    }),
    ("spec_types", |code, facts| {
        let code = squeezed(code);
        for open in &facts.spec_types.open_enums {
            let name = &open.name;
            if !code.contains(&format!("pubenum{name}{{"))
                || !code.contains(&format!("open_enum_impls!{{{name},"))
            {
                return Err(format!("the open enum {name} is not written"));
            }
        }
        for id in &facts.spec_types.ids {
            let name = &id.name;
            if !code.contains(&format!("pubstruct{name}(::std::string::String);"))
                || !code.contains(&format!("checked_string_impls!{{{name},"))
            {
                return Err(format!("the checked id {name} is not written"));
            }
        }
        if facts.spec_types.names().count() == 0 {
            return Err("the project's spec has no open enum or checked id".into());
        }
        Ok(())
    }),
    ("products", |code, facts| {
        let file = syn::parse_file(code).map_err(|e| e.to_string())?;
        for operation in &facts.operations {
            let product = operation.product.as_deref().unwrap_or_default();
            let gate = format!("cfg (feature = \"{product}\")");
            let in_its_block = file.items.iter().any(|item| {
                matches!(item, syn::Item::Impl(block)
                    if super::is_client(&block.self_ty)
                        && has_attr(&block.attrs, &gate)
                        && block.items.iter().any(|m| matches!(m,
                            syn::ImplItem::Fn(f) if f.sig.ident == operation.id.as_str())))
            });
            if !in_its_block {
                return Err(format!(
                    "Client::{} is not in its product's block",
                    operation.id
                ));
            }
        }
        let types = file
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref(),
                _ => None,
            })
            .ok_or("no types module")?;
        for item in &types.1 {
            if let syn::Item::Struct(s) = item
                && !ALWAYS_PRESENT.contains(&s.ident.to_string().as_str())
                && !has_attr(&s.attrs, "cfg (feature =")
                && !has_attr(&s.attrs, "cfg (any (feature =")
            {
                return Err(format!("types::{} is not gated", s.ident));
            }
        }
        Ok(())
    }),
    ("client", |code, _| {
        let file = syn::parse_file(code).map_err(|e| e.to_string())?;
        for item in &file.items {
            let attrs = match item {
                syn::Item::Mod(m) if m.ident == "types" => continue,
                syn::Item::Mod(i) => &i.attrs,
                syn::Item::Use(i) => &i.attrs,
                syn::Item::Struct(i) => &i.attrs,
                syn::Item::Impl(i) => &i.attrs,
                // `RETRY_RULES` (codegen/retries.rs).
                syn::Item::Const(i) => &i.attrs,
                _ => return Err("an item of an unexpected kind".into()),
            };
            if !has_attr(attrs, "cfg (feature = \"client\")") {
                return Err("an item outside `types` does not need the client".into());
            }
        }
        Ok(())
    }),
];

fn has_attr(attrs: &[syn::Attribute], text: &str) -> bool {
    use quote::ToTokens as _;
    attrs
        .iter()
        .any(|a| a.to_token_stream().to_string().contains(text))
}

#[test]
fn every_rewrite_has_a_check() {
    let mut names: Vec<&str> = REWRITES.iter().map(|(name, _)| *name).collect();
    names.insert(0, "constructors");
    let checked: Vec<&str> = CHECKS.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, checked);
}

#[test]
fn every_check_holds_on_the_projects_code() {
    for (name, check) in CHECKS {
        let facts = Facts::of(&spec_for(name));
        if let Err(e) = check(code_for(name), &facts) {
            panic!("the check of {name} fails on the project's code: {e}");
        }
    }
}

#[test]
fn every_check_fails_without_its_rewrite() {
    for (name, check) in CHECKS {
        let facts = Facts::of(&spec_for(name));
        let code = code_without(name);
        assert!(
            check(&code, &facts).is_err(),
            "the check of {name} holds on code generated without it"
        );
    }
}

/// The list of rewrites in the module docs of `rewrite/mod.rs` is the list
/// that runs, in its order.
#[test]
fn the_documented_list_is_the_list_that_runs() {
    let docs: Vec<String> = include_str!("mod.rs")
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .filter_map(|l| l.strip_prefix("//! - `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect();
    let mut names: Vec<&str> = REWRITES.iter().map(|(name, _)| *name).collect();
    names.insert(0, "constructors");
    assert_eq!(docs, names);
}

#[test]
fn every_rewrite_fails_by_name_when_its_input_is_gone() {
    for (spec, shapes) in [(project_spec(), false), (shapes_spec(), true)] {
        rewrites_fail_by_name_when_their_input_is_gone(&spec, shapes);
    }
}

/// Runs every rewrite on the spec's code, and each again on its own output,
/// which must fail naming it: those of `ON_SHAPES` on the shapes spec, the
/// others on the project's.
fn rewrites_fail_by_name_when_their_input_is_gone(spec: &openapiv3::OpenAPI, shapes: bool) {
    let facts = Facts::of(spec);
    let tokens = super::super::progenitor_tokens(spec).expect("progenitor generates");
    let once = constructors::apply_to_tokens(tokens).expect("constructors");
    let error = constructors::apply_to_tokens(once.clone()).expect_err("no constructor left");
    assert!(
        error.starts_with("the rewrite codegen/rewrite/constructors.rs expected"),
        "{error}"
    );
    let mut file: syn::File = syn::parse2(once).expect("parses");
    for (name, rewrite) in REWRITES {
        rewrite(&mut file, &facts).unwrap_or_else(|e| panic!("{name}: {e}"));
        if ON_SHAPES.contains(name) != shapes {
            continue;
        }
        let mut again = file.clone();
        let error = rewrite(&mut again, &facts)
            .map_err(|e| super::failure(name, &e))
            .expect_err("its input is gone");
        let prefix = format!("the rewrite codegen/rewrite/{name}.rs ");
        assert!(error.starts_with(&prefix), "{error}");
        assert!(
            error.contains("expected") || error.contains("found") || error.contains("left"),
            "{error}"
        );
    }
}

/// A spec of two operations, with the header parameters `api-version` (a real
/// one, which stays) and `x-trace`.
const HEADERS: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
tags: [{name: management}]
paths:
  /things:
    get:
      tags: [management]
      operationId: list_things
      parameters:
        - {name: api-version, in: header, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
  /others:
    get:
      tags: [management]
      operationId: list_others
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
"#;

#[test]
fn a_header_parameter_named_api_version_stays() {
    let code = super::super::generate_from_str(Path::new("headers.yaml"), HEADERS)
        .unwrap_or_else(|e| panic!("generates: {e}"));
    let code = squeezed(&code);
    // The parameter's own header is appended from its value, once; the map
    // of the operation without header parameters is gone.
    assert_eq!(
        code.matches("header_map.append(\"api-version\",").count(),
        1,
        "{code}"
    );
    assert_eq!(code.matches("letmutheader_map=").count(), 1, "{code}");
    assert!(!code.contains("api_version()),"), "{code}");
}

#[test]
fn an_api_version_header_left_in_one_operation_fails_naming_it() {
    let spec = project_spec();
    let facts = Facts::of(&spec);
    let mut file = progenitor_file(&spec);
    // progenitor's `api-version` statement removed from one operation only:
    // the rewrite then matches 11 sites of 12.
    let text = quote::ToTokens::to_token_stream(&file).to_string();
    let statement = "header_map . append (:: reqwest :: header :: HeaderName :: from_static (\"api-version\") , :: reqwest :: header :: HeaderValue :: from_static (super :: Client :: api_version ()) ,) ;";
    assert_eq!(
        text.matches(statement).count(),
        facts.operations.len(),
        "progenitor's statement"
    );
    file = syn::parse_str(&text.replacen(statement, "", 1)).expect("parses");
    let error = super::api_version::apply(&mut file, &facts).expect_err("one site is missing");
    assert!(error.contains("list_individual_clients: 0"), "{error}");
}

/// A spec whose request body is a string: typify gives it no builder, and
/// the operation's builder holds it as it is.
const STRING_BODY: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
tags: [{name: management}]
paths:
  /notes:
    post:
      tags: [management]
      operationId: create_note
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Note'}}}
      responses:
        '204': {description: created}
components:
  schemas:
    Note: {type: string, maxLength: 64}
"#;

#[test]
fn a_body_without_a_builder_is_held_as_it_is() {
    let code = super::super::generate_from_str(Path::new("note.yaml"), STRING_BODY)
        .unwrap_or_else(|e| panic!("generates: {e}"));
    let code = squeezed(&code);
    assert!(code.contains("body:Result<types::Note,String>"), "{code}");
    assert!(!code.contains("crate::body::Body"), "{code}");
}

/// The rewritten code of the project's spec, before the dispatcher.
fn rewritten_file(spec: &openapiv3::OpenAPI, facts: &Facts) -> syn::File {
    let tokens = super::super::progenitor_tokens(spec).expect("progenitor generates");
    let tokens = constructors::apply_to_tokens(tokens).expect("constructors");
    let mut file: syn::File = syn::parse2(tokens).expect("parses");
    super::apply(&mut file, facts).expect("the rewrites");
    file
}

#[test]
fn the_dispatcher_calls_every_operation_through_its_builder() {
    let spec = project_spec();
    let facts = Facts::of(&spec);
    let mut file = rewritten_file(&spec, &facts);
    super::super::dispatch::apply(&mut file, &facts).expect("the dispatcher");
    let code = squeezed(&prettyplease::unparse(&file));
    for operation in &facts.operations {
        let id = &operation.id;
        assert!(
            code.contains(&format!("letmutrequest=client.{id}();")),
            "{id}"
        );
        assert_eq!(
            code.matches(&format!("Operation{{id:\"{id}\",")).count(),
            1,
            "{id}"
        );
    }
    assert!(
        code.contains("request=request.product_request_id(value);"),
        "a setter by progenitor's name of productRequestId"
    );
}

#[test]
fn the_dispatcher_fails_naming_a_parameter_without_its_setter() {
    let spec = project_spec();
    let facts = Facts::of(&spec);
    let mut file = rewritten_file(&spec, &facts);
    let mut impls = super::builder_impls(&mut file);
    let block = impls.get_mut("get_individual_client").expect("its builder");
    block
        .items
        .retain(|item| !matches!(item, syn::ImplItem::Fn(f) if f.sig.ident == "id"));
    let error = super::super::dispatch::apply(&mut file, &facts).expect_err("no setter");
    assert!(
        error.starts_with("the generator codegen/dispatch.rs expected a setter `id` for the parameter id in the builder of get_individual_client"),
        "{error}"
    );
}

/// The shapes spec's answers that are not JSON objects: the PDF stays a
/// `ByteStream` the caller streams, which the dispatcher reads whole; a bare
/// number, `{}` and a `204` are JSON or nothing.
#[test]
fn answers_that_are_not_json_objects_are_streamed_or_decoded() {
    let code = squeezed(code_for("fragments"));
    assert!(
        code.contains("Result<ResponseValue<ByteStream>,Error<types::ApiError>>"),
        "the PDF's send returns a stream"
    );
    assert_eq!(code.matches("ResponseValue::stream(response)").count(), 1);
    assert_eq!(
        code.matches("crate::dynamic::stream(client,request.send().await).await")
            .count(),
        1,
        "the dispatcher reads the PDF whole"
    );
    assert_eq!(code.matches("crate::dynamic::empty(").count(), 1, "the 204");
    assert!(code.contains("Result<ResponseValue<crate::Decimal>,Error<types::ApiError>>"));
}
