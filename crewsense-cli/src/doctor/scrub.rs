//! Scrubbing answers of personal data, by allow-list: a string passes unchanged only
//! where the spec gives it a kind that carries none (ids, dates and times, numbers,
//! flags, colours, enumerations, links; see [`Kind::is_impersonal`]) or where its
//! member names a code. Every other string, and every string of a member the spec
//! does not know, is replaced by a pseudonym of the same sort: a name by a name, an
//! e-mail by an e-mail, a phone number by digits, a link by a link, free text by text.
//!
//! Pseudonyms are handed out in order of first sight and remembered, so one value has
//! one pseudonym everywhere in a capture (a person keeps one name across `/users` and
//! `/schedule`, and names are replaced word by word, so that `full_name` agrees with
//! `first_name` and `last_name`). They say nothing of the value they replace, and the
//! table is never written.

use std::collections::BTreeMap;

use crewsense_gen::spec_shape::{JsonType, Kind, SyntaxError, Visitor, rewrite};
use foldhash::HashMap;
use serde::Serialize;

/// Pseudonyms of names: words no seed, and few people, use as names.
const NAMES: [&str; 24] = [
    "Alder", "Aspen", "Basil", "Briar", "Cedar", "Clover", "Cypress", "Fennel", "Hazel", "Juniper",
    "Laurel", "Linden", "Maple", "Myrtle", "Olive", "Poppy", "Sage", "Sorrel", "Tansy", "Thyme",
    "Violet", "Willow", "Yarrow", "Zinnia",
];

/// The sorts of personal strings, each with its own pseudonyms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// A person's (or a unit's) name, replaced word by word.
    Name,
    /// An e-mail address.
    Email,
    /// A phone number.
    Phone,
    /// A link.
    Url,
    /// Anything else: notes, addresses, free text.
    Text,
}

impl Sort {
    const ALL: [Sort; 5] = [Sort::Name, Sort::Email, Sort::Phone, Sort::Url, Sort::Text];

    /// The sort of `value`, held by the member `key`.
    fn of(key: &str, value: &str) -> Sort {
        if names(key, "email") || (value.contains('@') && !value.contains(' ')) {
            Sort::Email
        } else if names(key, "phone") || names(key, "mobile") || names(key, "fax") {
            Sort::Phone
        } else if names(key, "url") || value.starts_with("http://") || value.starts_with("https://")
        {
            Sort::Url
        } else if names(key, "name") {
            Sort::Name
        } else {
            Sort::Text
        }
    }
}

/// Whether the member name `key` holds `word`, in any case.
fn names(key: &str, word: &str) -> bool {
    key.as_bytes()
        .windows(word.len())
        .any(|part| part.eq_ignore_ascii_case(word.as_bytes()))
}

/// One place that was scrubbed, and how often.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scrubbed {
    /// The operation whose answers held it.
    pub operation: String,
    /// The place in the answer (see `crewsense_gen::spec_shape`).
    pub path: String,
    /// The sort of pseudonym it got.
    pub sort: Sort,
    /// How many values were replaced there.
    pub count: usize,
}

/// Replaces personal strings with pseudonyms, the same for the same value across
/// every answer it scrubs.
#[derive(Debug, Default)]
pub struct Scrubber {
    /// The pseudonym of each value (each word of a name), by sort.
    pseudonyms: [HashMap<String, String>; Sort::ALL.len()],
    /// What was replaced, by operation, path and sort.
    scrubbed: BTreeMap<(String, String, Sort), usize>,
    /// The pseudonym of the name being replaced.
    name: String,
}

impl Scrubber {
    /// A scrubber with no pseudonyms yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Scrubs the JSON text `answer`, an answer of `operation` whose shape is the node
    /// at `root` (see `crewsense_gen::spec_shape`; `None`: the spec gives none, and
    /// every string is scrubbed), and returns it scrubbed. The same reading tells
    /// `unknown` of every member the spec does not know (see `Visitor::unknown`).
    pub fn scrub(
        &mut self,
        operation: &str,
        answer: &[u8],
        root: Option<usize>,
        unknown: impl FnMut(&str, JsonType),
    ) -> Result<Vec<u8>, SyntaxError> {
        let mut pass = Pass {
            scrubber: self,
            counts: HashMap::default(),
            unknown,
        };
        let scrubbed = rewrite(answer, root, &mut pass)?;
        for (path, counts) in pass.counts {
            for (sort, count) in Sort::ALL.into_iter().zip(counts) {
                if count > 0 {
                    *self
                        .scrubbed
                        .entry((operation.to_owned(), path.clone(), sort))
                        .or_default() += count;
                }
            }
        }
        Ok(scrubbed)
    }

    /// Every place scrubbed so far, in order of operation and path.
    pub fn report(&self) -> Vec<Scrubbed> {
        self.scrubbed
            .iter()
            .map(|((operation, path, sort), count)| Scrubbed {
                operation: operation.clone(),
                path: path.clone(),
                sort: *sort,
                count: *count,
            })
            .collect()
    }

    /// The pseudonym of `value` of `sort`.
    fn pseudonym(&mut self, sort: Sort, value: &str) -> &str {
        if sort == Sort::Name {
            return self.name(value);
        }
        self.word(sort, value)
    }

    /// A name, word by word; what is not a letter (spaces, commas, digits) is kept.
    fn name(&mut self, value: &str) -> &str {
        let mut out = std::mem::take(&mut self.name);
        out.clear();
        let mut word = None;
        for (at, c) in value.char_indices().chain([(value.len(), ' ')]) {
            if c.is_alphabetic() || c == '\'' {
                word.get_or_insert(at);
                continue;
            }
            if let Some(start) = word.take() {
                out.push_str(self.word(Sort::Name, &value[start..at]));
            }
            if at < value.len() {
                out.push(c);
            }
        }
        self.name = out;
        &self.name
    }

    /// The pseudonym of one value (or one word of a name) of `sort`.
    fn word(&mut self, sort: Sort, value: &str) -> &str {
        let known = &mut self.pseudonyms[sort as usize];
        if !known.contains_key(value) {
            let n = known.len();
            let pseudonym = match sort {
                Sort::Name => name_pseudonym(n),
                Sort::Email => format!("user-{}@example.invalid", n + 1),
                Sort::Phone => format!("555{:07}", n + 1),
                Sort::Url => format!("https://example.invalid/{}", n + 1),
                Sort::Text => format!("text {}", n + 1),
            };
            known.insert(value.to_owned(), pseudonym);
        }
        known.get(value).map_or("", String::as_str)
    }
}

/// The `n`-th name pseudonym: the names alone, then pairs of them, then numbered pairs.
fn name_pseudonym(n: usize) -> String {
    let count = NAMES.len();
    let Some(paired) = n.checked_sub(count) else {
        return NAMES[n].to_owned();
    };
    let pair = paired % (count * count);
    let first = NAMES[pair % count];
    let second = NAMES[pair / count].to_ascii_lowercase();
    match paired / (count * count) {
        0 => format!("{first}{second}"),
        round => format!("{first}{second}{round}"),
    }
}

/// One answer's walk: the scrubber, how many values of each sort it replaced at each
/// path, and who hears of the members the spec does not know.
struct Pass<'s, U> {
    scrubber: &'s mut Scrubber,
    counts: HashMap<String, [usize; Sort::ALL.len()]>,
    unknown: U,
}

impl<U: FnMut(&str, JsonType)> Visitor for Pass<'_, U> {
    fn unknown(&mut self, path: &str, json_type: JsonType) {
        (self.unknown)(path, json_type);
    }

    fn string(&mut self, path: &str, key: &str, kind: Option<Kind>, value: &str) -> Option<&str> {
        if value.is_empty() || kind.is_some_and(Kind::is_impersonal) || is_code(key) {
            return None;
        }
        let sort = Sort::of(key, value);
        match self.counts.get_mut(path) {
            Some(counts) => counts[sort as usize] += 1,
            None => {
                let mut counts = [0; Sort::ALL.len()];
                counts[sort as usize] = 1;
                self.counts.insert(path.to_owned(), counts);
            }
        }
        Some(self.scrubber.pseudonym(sort, value))
    }
}

/// Whether the member `key` holds a code (a work code, a time-off type's code), which
/// names a category, never a person.
fn is_code(key: &str) -> bool {
    key.ends_with("code") || key == "abbreviation"
}

#[cfg(test)]
mod tests {
    use crewsense_gen::spec_shape::OperationShape;
    use serde_json::json;

    use super::*;

    /// `users` scrubbed as an answer of `GET /users`, and the paths of the members
    /// the spec does not know, as the same reading found them.
    fn scrub_users(
        scrubber: &mut Scrubber,
        users: &serde_json::Value,
    ) -> (serde_json::Value, Vec<String>) {
        let root = OperationShape::by_id("list_users").and_then(|shape| shape.response);
        assert!(root.is_some());
        let json = serde_json::to_vec(users).unwrap();
        let mut unknown = Vec::new();
        let scrubbed = scrubber
            .scrub("list_users", &json, root, |path, _| {
                unknown.push(path.to_owned())
            })
            .unwrap();
        (serde_json::from_slice(&scrubbed).unwrap(), unknown)
    }

    #[test]
    fn names_are_replaced_word_by_word_so_full_names_agree_with_first_and_last() {
        let users = json!([
            {"user_id": 1, "first_name": "Ann", "last_name": "Lee", "full_name": "Ann Lee"},
            {"user_id": 2, "first_name": "Bo", "last_name": "Lee", "full_name": "Lee, Bo"}
        ]);
        let (users, _) = scrub_users(&mut Scrubber::new(), &users);
        let first = users[0]["first_name"].as_str().unwrap();
        let last = users[0]["last_name"].as_str().unwrap();
        assert_eq!(users[0]["full_name"], format!("{first} {last}"));
        assert_eq!(users[1]["last_name"], last, "one value, one pseudonym");
        assert_eq!(
            users[1]["full_name"],
            format!("{last}, {}", users[1]["first_name"].as_str().unwrap())
        );
        assert_ne!(first, "Ann");
        assert_eq!(users[0]["user_id"], 1);
    }

    #[test]
    fn ids_dates_and_codes_pass_and_contacts_get_pseudonyms_of_their_sort() {
        let users = json!([{
            "user_id": "1001",
            "date_of_hire": "2013-01-06",
            "emails": ["ann@station.example"],
            "phone_numbers": ["5205551234"],
            "avatar_url": "https://photos.example/ann.png",
            "role": "Deputy chief",
            "badge": {"holder": "Ann Lee", "work_code": "REG"}
        }]);
        let mut scrubber = Scrubber::new();
        let (users, unknown) = scrub_users(&mut scrubber, &users);
        assert_eq!(unknown, ["[].badge"]);
        let user = &users[0];
        assert_eq!(user["user_id"], "1001");
        assert_eq!(user["date_of_hire"], "2013-01-06");
        assert_eq!(user["emails"][0], "user-1@example.invalid");
        assert_eq!(user["phone_numbers"][0], "5550000001");
        assert_eq!(user["avatar_url"], "https://example.invalid/1");
        assert!(user["role"].as_str().unwrap().starts_with("text "));
        // A member the spec does not know: its strings are scrubbed, codes kept.
        assert!(
            user["badge"]["holder"]
                .as_str()
                .unwrap()
                .starts_with("text ")
        );
        assert_eq!(user["badge"]["work_code"], "REG");
        let report = scrubber.report();
        assert!(
            report
                .iter()
                .any(|s| s.path == "[].badge.holder" && s.count == 1),
            "{report:?}"
        );
    }

    #[test]
    fn pseudonyms_of_names_stay_distinct_past_the_list() {
        let names: std::collections::BTreeSet<String> = (0..2000).map(name_pseudonym).collect();
        assert_eq!(names.len(), 2000);
    }
}
