//! Rewrites of progenitor's output so that one unreadable value degrades its own field,
//! never the whole call.
//!
//! progenitor decodes every answer with `ResponseValue::from_response`, a plain
//! `serde_json::from_slice`, and typify derives `#[serde(untagged)]` for one-of unions,
//! whose error names no variant and no path. Two rewrites fix both at the source:
//!
//! 1. every `ResponseValue::from_response(response)` becomes
//!    `client.decode_response(response, &info)` (`crewsense-gen/src/hooks.rs`), which
//!    decodes strictly and, only when that fails, repairs the payload field by field;
//! 2. every untagged union whose variants differ in JSON shape (array, object, scalar)
//!    deserializes by that shape through `wire::ShapeUnion`, so an error inside the
//!    chosen variant keeps its path and a list with one garbled user is still a list.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::visit_mut::VisitMut;
use syn::{Expr, Fields, Item, ItemEnum, Type, parse_quote};

/// Applies both rewrites to the generated file.
pub fn rewrite(file: &mut syn::File) -> Result<(), String> {
    let mut responses = ResponseDecoding { rewritten: 0 };
    responses.visit_file_mut(file);
    if responses.rewritten == 0 {
        return Err("no `ResponseValue::from_response` call found to rewrite".to_owned());
    }
    let types = module_mut(file, "types").ok_or("generated code has no types module")?;
    let structs: Vec<String> = types
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut impls = Vec::new();
    for item in types.iter_mut() {
        let Item::Enum(e) = item else { continue };
        if is_untagged(e) {
            impls.push(shape_union(e, &structs)?);
            crate::derives::remove(&mut e.attrs, "Deserialize");
        }
    }
    for tokens in impls {
        let file: syn::File = syn::parse2(tokens).map_err(|e| format!("shape union: {e}"))?;
        types.extend(file.items);
    }
    Ok(())
}

/// Replaces `ResponseValue::from_response(x)` with `client.decode_response(x, &info)`.
struct ResponseDecoding {
    rewritten: usize,
}

impl VisitMut for ResponseDecoding {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let Expr::Call(call) = expr else { return };
        let Expr::Path(func) = &*call.func else {
            return;
        };
        let names: Vec<String> = func
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if names != ["ResponseValue", "from_response"] || call.args.len() != 1 {
            return;
        }
        let response = &call.args[0];
        *expr = parse_quote!(client.decode_response(#response, &info));
        self.rewritten += 1;
    }
}

fn module_mut<'a>(file: &'a mut syn::File, name: &str) -> Option<&'a mut Vec<Item>> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

fn is_untagged(e: &ItemEnum) -> bool {
    e.attrs.iter().any(|attr| {
        attr.path().is_ident("serde")
            && attr.meta.to_token_stream().to_string().contains("untagged")
    })
}

/// The JSON shape a variant's payload takes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    Array,
    Object,
    Scalar,
}

impl Shape {
    fn describe(self) -> &'static str {
        match self {
            Shape::Array => "an array",
            Shape::Object => "an object",
            Shape::Scalar => "a string or a number",
        }
    }
}

/// The shape of `ty`, a variant payload of a generated union.
fn shape(ty: &Type, structs: &[String]) -> Option<Shape> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?.ident.to_string();
    let wire = p.path.segments.iter().any(|s| s.ident == "wire");
    match last.as_str() {
        "Vec" => Some(Shape::Array),
        "Map" | "BTreeMap" | "HashMap" => Some(Shape::Object),
        "String" | "bool" | "i64" | "u64" | "f64" | "i32" | "u32" => Some(Shape::Scalar),
        "Id" | "Integer" | "Decimal" | "Flag" | "Date" | "LocalDateTime" | "Timestamp"
        | "Color"
            if wire =>
        {
            Some(Shape::Scalar)
        }
        name if structs.iter().any(|s| s == name) => Some(Shape::Object),
        _ => None,
    }
}

/// `impl ShapeUnion` and `impl Deserialize` for an untagged union.
fn shape_union(e: &ItemEnum, structs: &[String]) -> Result<TokenStream, String> {
    let name = &e.ident;
    let mut arms: Vec<(Shape, &syn::Ident)> = Vec::new();
    for variant in &e.variants {
        let Fields::Unnamed(fields) = &variant.fields else {
            return Err(format!(
                "{name}::{}: not a one-field variant",
                variant.ident
            ));
        };
        let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
            return Err(format!(
                "{name}::{}: not a one-field variant",
                variant.ident
            ));
        };
        let shape = shape(&field.ty, structs).ok_or_else(|| {
            format!(
                "{name}::{}: cannot tell the JSON shape of `{}`",
                variant.ident,
                field.ty.to_token_stream()
            )
        })?;
        if arms.iter().any(|(s, _)| *s == shape) {
            return Err(format!(
                "{name}: two variants are {}; a union must differ in JSON shape",
                shape.describe()
            ));
        }
        arms.push((shape, &variant.ident));
    }
    let expecting = arms
        .iter()
        .map(|(s, _)| s.describe())
        .collect::<Vec<_>>()
        .join(" or ");
    let methods = arms.iter().map(|(shape, variant)| match shape {
        Shape::Array => quote! {
            fn from_seq<'de, A: ::serde::de::SeqAccess<'de>>(seq: A) -> ::std::result::Result<Self, A::Error> {
                ::serde::Deserialize::deserialize(::serde::de::value::SeqAccessDeserializer::new(seq)).map(Self::#variant)
            }
        },
        Shape::Object => quote! {
            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(map: A) -> ::std::result::Result<Self, A::Error> {
                ::serde::Deserialize::deserialize(::serde::de::value::MapAccessDeserializer::new(map)).map(Self::#variant)
            }
        },
        Shape::Scalar => quote! {
            fn from_scalar<'de, D: ::serde::Deserializer<'de>>(scalar: D) -> ::std::result::Result<Self, D::Error> {
                ::serde::Deserialize::deserialize(scalar).map(Self::#variant)
            }
        },
    });
    Ok(quote! {
        impl ::crewsense_gen::wire::ShapeUnion for #name {
            const EXPECTING: &'static str = #expecting;
            #(#methods)*
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::crewsense_gen::wire::deserialize_by_shape(deserializer)
            }
        }
    })
}
