//! Edits of the `#[derive(...)]` lists progenitor writes: taking a derive out (the
//! untagged unions get a hand-made `Deserialize`, see `decoding`), and moving the
//! derives only some users need behind a cargo feature of crewsense-gen.
//!
//! `schemars::JsonSchema` is derived for every type so that the generated command
//! tree could print schemas, which it never does; expanding it for some 560 types
//! (and building schemars) is a cost every user of crewsense paid. It now sits behind
//! crewsense-gen's `schemars` feature.

use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Attribute, Path, Token, parse_quote};

/// Derives moved behind a feature: the derive's last path segment, and the feature.
const GATED: &[(&str, &str)] = &[("JsonSchema", "schemars")];

/// Removes from `attrs` the derives whose last path segment is `name`, and returns
/// them.
pub fn remove(attrs: &mut [Attribute], name: &str) -> Vec<Path> {
    let mut removed = Vec::new();
    for attr in attrs.iter_mut() {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) = attr.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
        else {
            continue;
        };
        let (gone, kept): (Vec<Path>, Vec<Path>) = paths
            .into_iter()
            .partition(|p| p.segments.last().is_some_and(|s| s.ident == name));
        if !gone.is_empty() {
            *attr = parse_quote!(#[derive(#(#kept),*)]);
            removed.extend(gone);
        }
    }
    removed
}

/// Moves every [`GATED`] derive of the file into a `cfg_attr` on its feature;
/// returns how many it moved.
pub fn gate(file: &mut syn::File) -> Result<usize, String> {
    let mut gating = Gating { moved: 0 };
    gating.visit_file_mut(file);
    if gating.moved == 0 {
        return Err("no derive found to put behind a feature; progenitor changed".to_owned());
    }
    Ok(gating.moved)
}

struct Gating {
    moved: usize,
}

impl Gating {
    fn gate(&mut self, attrs: &mut Vec<Attribute>) {
        for (name, feature) in GATED {
            for path in remove(attrs, name) {
                attrs.push(parse_quote!(#[cfg_attr(feature = #feature, derive(#path))]));
                self.moved += 1;
            }
        }
    }
}

impl VisitMut for Gating {
    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        self.gate(&mut item.attrs);
    }

    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        self.gate(&mut item.attrs);
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn a_gated_derive_moves_into_a_cfg_attr_and_the_others_stay() {
        let mut file: syn::File = parse_quote! {
            mod types {
                #[derive(Clone, schemars::JsonSchema, Debug)]
                #[serde(deny_unknown_fields)]
                pub struct A { x: u8 }
                #[derive(Clone)]
                pub enum B { X }
            }
        };
        assert_eq!(gate(&mut file), Ok(1));
        let text = file.to_token_stream().to_string();
        assert!(text.contains("# [derive (Clone , Debug)]"), "{text}");
        assert!(
            text.contains(
                "# [cfg_attr (feature = \"schemars\" , derive (schemars :: JsonSchema))]"
            ),
            "{text}"
        );
        assert!(text.contains("# [serde (deny_unknown_fields)]"), "{text}");
    }

    #[test]
    fn a_file_without_the_derive_is_an_error() {
        let mut file: syn::File = parse_quote! { #[derive(Clone)] struct A; };
        assert!(gate(&mut file).is_err());
    }
}
