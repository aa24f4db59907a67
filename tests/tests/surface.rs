//! Snapshot of the generated surface: every operation (method, path, Rust method,
//! parameters, success type) and every type (fields or variants with their types).
//! Any change to the spec changes this summary, so it shows up as a reviewable
//! snapshot diff (`cargo insta review`).

use std::collections::BTreeMap;
use std::fmt::Write;

use quote::ToTokens;
use syn::{Fields, GenericArgument, ImplItem, Item, PathArguments, ReturnType, Type};

#[test]
fn generated_surface() {
    let path = crewsense_tests::workspace_root().join("crewsense-gen/src/generated.rs");
    let file = syn::parse_file(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = String::new();
    operations(&file, &mut out);
    types(&file, &mut out);
    insta::assert_snapshot!(out);
}

fn module<'a>(file: &'a syn::File, name: &str) -> &'a [Item] {
    file.items
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| &items[..]),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no module {name}"))
}

fn operations(file: &syn::File, out: &mut String) {
    let builder = module(file, "builder");
    let mut params = BTreeMap::new();
    let mut responses = BTreeMap::new();
    for item in builder {
        match item {
            Item::Struct(s) => {
                let fields: Vec<String> = s
                    .fields
                    .iter()
                    .filter(|f| f.ident.as_ref().is_some_and(|i| i != "client"))
                    .map(|f| {
                        let ty = first_generic(&f.ty).unwrap_or(&f.ty);
                        format!("{}: {}", f.ident.as_ref().unwrap(), render(ty))
                    })
                    .collect();
                params.insert(s.ident.to_string(), fields);
            }
            Item::Impl(imp) => {
                let name = render(&imp.self_ty).replace("<'a>", "");
                for item in &imp.items {
                    if let ImplItem::Fn(f) = item
                        && f.sig.ident == "send"
                        && let ReturnType::Type(_, ret) = &f.sig.output
                    {
                        let value = first_generic(ret).and_then(first_generic).unwrap();
                        responses.insert(name.clone(), render(value));
                    }
                }
            }
            _ => {}
        }
    }

    writeln!(out, "# Operations\n").unwrap();
    for op in &crewsense_gen::OPERATIONS {
        let builder = pascal(op.id);
        match (params.get(&builder), responses.get(&builder)) {
            (Some(params), Some(response)) => writeln!(
                out,
                "{} {}\n    Client::{}({}) -> {response}",
                op.method,
                op.path,
                op.id,
                params.join(", ")
            ),
            _ => writeln!(
                out,
                "{} {}\n    hand-written in the facade",
                op.method, op.path
            ),
        }
        .unwrap();
    }
}

fn types(file: &syn::File, out: &mut String) {
    writeln!(out, "\n# Types\n").unwrap();
    for item in module(file, "types") {
        match item {
            Item::Struct(s) => match &s.fields {
                Fields::Named(named) => {
                    writeln!(out, "struct {}", s.ident).unwrap();
                    for f in &named.named {
                        let name = f.ident.as_ref().unwrap();
                        writeln!(out, "    {name}: {}", render(&f.ty)).unwrap();
                    }
                }
                Fields::Unnamed(fields) => {
                    let inner: Vec<String> = fields.unnamed.iter().map(|f| render(&f.ty)).collect();
                    writeln!(out, "struct {}({})", s.ident, inner.join(", ")).unwrap();
                }
                Fields::Unit => writeln!(out, "struct {}", s.ident).unwrap(),
            },
            Item::Enum(e) => {
                writeln!(out, "enum {}", e.ident).unwrap();
                for v in &e.variants {
                    let payload: Vec<String> = v.fields.iter().map(|f| render(&f.ty)).collect();
                    if payload.is_empty() {
                        writeln!(out, "    {}", v.ident).unwrap();
                    } else {
                        writeln!(out, "    {}({})", v.ident, payload.join(", ")).unwrap();
                    }
                }
            }
            _ => {}
        }
    }
}

/// `Result<A, B>` or `ResponseValue<A>` -> `A`.
fn first_generic(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// A type as a short, readable string: paths of std, serde_json and our wire types dropped.
fn render(ty: &impl ToTokens) -> String {
    let mut text = ty.to_token_stream().to_string();
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" < ", "<"),
        (" >", ">"),
        ("< ", "<"),
        (" ,", ","),
        (" <", "<"),
        (",>", ">"),
    ] {
        text = text.replace(from, to);
    }
    for prefix in [
        "::std::option::",
        "::std::vec::",
        "::std::string::",
        "::std::collections::",
        "::std::primitive::",
        "::serde_json::",
        "::crewsense_gen::wire::",
        "types::builder::",
        "types::",
        "super::",
    ] {
        text = text.replace(prefix, "");
    }
    text
}

fn pascal(id: &str) -> String {
    id.split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
