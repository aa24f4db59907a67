//! `--jq EXPR`: a jq filter over the JSON output, run by jaq (the Rust implementation
//! of jq). Each result is written on its own line: strings as raw text, as `gh --jq`
//! does, everything else as compact JSON.

use std::io::Write;

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;

use crate::failure::Failure;

type Data = data::JustLut<Val>;

/// A compiled `--jq` filter.
pub struct Jq {
    filter: jaq_core::Filter<Data>,
}

impl std::fmt::Debug for Jq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Jq")
    }
}

impl Jq {
    /// Compiles `expr`; a bad one is a usage error that says where.
    pub fn parse(expr: &str) -> Result<Jq, Failure> {
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let arena = Arena::default();
        let program = File {
            code: expr,
            path: (),
        };
        let modules = Loader::new(defs).load(&arena, program).map_err(|errors| {
            let found = errors.into_iter().flat_map(|(_, error)| match error {
                jaq_core::load::Error::Io(errors) => errors,
                jaq_core::load::Error::Lex(errors) => errors
                    .into_iter()
                    .map(|(expected, found)| (found, format!("expected {}", expected.as_str())))
                    .collect(),
                jaq_core::load::Error::Parse(errors) => errors
                    .into_iter()
                    .map(|(expected, found)| (found, format!("expected {}", expected.as_str())))
                    .collect(),
            });
            bad(expr, found)
        })?;
        let filter = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errors| {
                let found = errors.into_iter().flat_map(|(_, errors)| {
                    errors.into_iter().map(|(found, undefined)| {
                        (found, format!("undefined {} `{found}`", undefined.as_str()))
                    })
                });
                bad(expr, found)
            })?;
        Ok(Jq { filter })
    }

    /// Runs the filter on the JSON document `input` and writes each result on a line.
    pub fn run(&self, input: &[u8], out: &mut impl Write) -> Result<(), Failure> {
        let input = jaq_json::read::parse_single(input)
            .map_err(|e| Failure::Api(format!("--jq: the output is not JSON: {e}")))?;
        let ctx = Ctx::<Data>::new(&self.filter.lut, Vars::new([]));
        for result in self.filter.id.run((ctx, input)).map(unwrap_valr) {
            let value = result.map_err(|e| Failure::usage(format!("--jq: {e}")))?;
            match &value {
                Val::TStr(text) => out.write_all(text)?,
                other => jaq_json::write::write(out, &Default::default(), 0, other)?,
            }
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// The usage error of a filter that does not compile: each problem with the column
/// (counted in characters from 1) where it was found.
fn bad<'a>(expr: &'a str, found: impl Iterator<Item = (&'a str, String)>) -> Failure {
    let problems: Vec<String> = found
        .map(|(found, why)| {
            // `found` is a slice of `expr` (or empty at its end).
            let offset = (found.as_ptr() as usize)
                .checked_sub(expr.as_ptr() as usize)
                .filter(|&o| o <= expr.len())
                .unwrap_or(expr.len());
            let column = expr.get(..offset).map_or(0, |s| s.chars().count()) + 1;
            let near: String = found.chars().take(12).collect();
            if near.is_empty() {
                format!("at column {column} (the end): {why}")
            } else {
                format!("at column {column} (`{near}`): {why}")
            }
        })
        .collect();
    Failure::usage(format!("--jq `{expr}`: {}", problems.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(expr: &str, input: &str) -> String {
        let mut out = Vec::new();
        Jq::parse(expr)
            .unwrap()
            .run(input.as_bytes(), &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_come_out_raw_and_other_values_as_compact_json() {
        let input = r#"[{"email":"a@x.org","id":1},{"email":"b@x.org","id":2}]"#;
        assert_eq!(run(".[].email", input), "a@x.org\nb@x.org\n");
        assert_eq!(run("map(.id)", input), "[1,2]\n");
        assert_eq!(run(".[0] | keys", input), "[\"email\",\"id\"]\n");
    }

    #[test]
    fn a_bad_expression_is_a_usage_error_that_says_where() {
        let error = Jq::parse(".[] | select(.id ==").unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(error.to_string().contains("column"), "{error}");
        let error = Jq::parse(".[] | nosuchfilter").unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("column 7") && text.contains("nosuchfilter"),
            "{text}"
        );
    }
}
