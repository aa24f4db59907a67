//! The operation catalogue appended to the generated client: for every operation of
//! the spec, its id, method, path and the generated types of its request body and
//! success response, read back from progenitor's builders so they cannot disagree.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{FnArg, GenericArgument, Item, PathArguments, ReturnType, Type};

/// Types progenitor chose for one operation.
#[derive(Default)]
struct Signature {
    response: Option<Type>,
    body: Option<Type>,
}

pub fn table(spec: &openapiv3::OpenAPI, generated: &syn::File) -> Result<syn::File, String> {
    let signatures = signatures(generated)?;
    let mut entries = Vec::new();
    for (path, _, method, op) in operations(spec) {
        let id = op
            .operation_id
            .as_deref()
            .ok_or_else(|| format!("{method} {path} has no operationId"))?;
        let method = method.to_uppercase();
        let signature = signatures.get(id);
        let response = match signature.and_then(|s| s.response.as_ref()) {
            Some(ty) => ty.to_token_stream(),
            // Hand-written operations have no builder: name their response from the spec.
            None => spec_response_type(op).ok_or_else(|| format!("{id}: no response type"))?,
        };
        let request = match signature.and_then(|s| s.body.as_ref()) {
            Some(ty) => quote!(Some(crate::catalog::codec::<#ty>)),
            None => quote!(None),
        };
        let generated = signature.is_some();
        let idempotent = idempotent(op, &method)?;
        entries.push(quote! {
            crate::catalog::Operation {
                id: #id,
                method: #method,
                path: #path,
                generated: #generated,
                idempotent: #idempotent,
                response: crate::catalog::codec::<#response>,
                lenient_response: crate::catalog::lenient_codec::<#response>,
                request: #request,
            }
        });
    }
    let count = entries.len();
    let tokens = quote! {
        /// Every operation of the spec, in path order.
        pub static OPERATIONS: [crate::catalog::Operation; #count] = [#(#entries),*];
    };
    syn::parse2(tokens).map_err(|e| format!("catalogue: {e}"))
}

/// Every operation of the spec in path order: its path, path item, method and itself.
pub(crate) fn operations(
    spec: &openapiv3::OpenAPI,
) -> impl Iterator<
    Item = (
        &str,
        &openapiv3::PathItem,
        &'static str,
        &openapiv3::Operation,
    ),
> {
    spec.paths.paths.iter().flat_map(|(path, item)| {
        let item = item.as_item();
        [
            ("get", item.and_then(|i| i.get.as_ref())),
            ("put", item.and_then(|i| i.put.as_ref())),
            ("post", item.and_then(|i| i.post.as_ref())),
            ("patch", item.and_then(|i| i.patch.as_ref())),
            ("delete", item.and_then(|i| i.delete.as_ref())),
        ]
        .into_iter()
        .filter_map(move |(method, op)| Some((path.as_str(), item?, method, op?)))
    })
}

/// Whether the operation may be resent: its `x-crewsense-idempotent` extension, or
/// else what its HTTP method promises (RFC 9110: GET, PUT and DELETE are idempotent).
fn idempotent(op: &openapiv3::Operation, method: &str) -> Result<bool, String> {
    match op.extensions.get("x-crewsense-idempotent") {
        Some(declared) => declared.as_bool().ok_or_else(|| {
            format!(
                "{method} {:?}: x-crewsense-idempotent must be true or false, not {declared}",
                op.operation_id
            )
        }),
        None => Ok(matches!(method, "GET" | "PUT" | "DELETE")),
    }
}

fn spec_response_type(op: &openapiv3::Operation) -> Option<TokenStream> {
    let response = op.responses.responses.iter().find_map(|(code, r)| {
        matches!(code, openapiv3::StatusCode::Code(200..=299)).then_some(r)
    })?;
    let schema = response
        .as_item()?
        .content
        .get("application/json")?
        .schema
        .as_ref()?;
    let openapiv3::ReferenceOr::Reference { reference } = schema else {
        return None;
    };
    let name = reference.rsplit('/').next()?;
    let ident = syn::Ident::new(name, proc_macro2::Span::call_site());
    Some(quote!(types::#ident))
}

/// Reads each builder's `send` return type and `body` field type, keyed by operation id.
fn signatures(generated: &syn::File) -> Result<BTreeMap<String, Signature>, String> {
    let builder = generated
        .items
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| items),
            _ => None,
        })
        .ok_or("generated code has no builder module")?;

    let mut bodies = BTreeMap::new();
    for item in builder {
        if let Item::Struct(s) = item {
            for field in &s.fields {
                if field.ident.as_ref().is_some_and(|i| i == "body") {
                    bodies.insert(s.ident.to_string(), unwrap_body(&field.ty)?);
                }
            }
        }
    }

    let mut out = BTreeMap::new();
    for item in builder {
        let Item::Impl(imp) = item else { continue };
        let Type::Path(self_ty) = &*imp.self_ty else {
            continue;
        };
        let name = self_ty.path.segments.last().map(|s| s.ident.to_string());
        for item in &imp.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            if f.sig.ident != "send" || !matches!(f.sig.inputs.first(), Some(FnArg::Receiver(_))) {
                continue;
            }
            let id = operation_id(&f.block.to_token_stream())
                .ok_or_else(|| format!("send of {name:?} names no operation_id"))?;
            let ReturnType::Type(_, ret) = &f.sig.output else {
                return Err(format!("{id}: send returns nothing"));
            };
            let response = generic(ret, 0)
                .and_then(|rv| generic(rv, 0))
                .ok_or_else(|| format!("{id}: unexpected send return type"))?;
            out.insert(
                id,
                Signature {
                    response: Some(response.clone()),
                    body: name.as_ref().and_then(|n| bodies.get(n)).cloned(),
                },
            );
        }
    }
    Ok(out)
}

/// `Result<types::builder::X, String>` -> `types::X` (the builder converts into it).
fn unwrap_body(ty: &Type) -> Result<Type, String> {
    let inner = generic(ty, 0).ok_or("body field is not a Result")?;
    let text = inner
        .to_token_stream()
        .to_string()
        .replace("builder :: ", "");
    syn::parse_str(&text).map_err(|e| format!("body type {text}: {e}"))
}

/// The `index`-th generic argument of a path type: `Result<A, B>` -> `A`.
fn generic(ty: &Type, index: usize) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
        return None;
    };
    match args.args.iter().nth(index)? {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}

fn operation_id(body: &TokenStream) -> Option<String> {
    let text = body.to_string();
    let rest = &text[text.find("operation_id : \"")? + "operation_id : \"".len()..];
    Some(rest[..rest.find('"')?].to_owned())
}
