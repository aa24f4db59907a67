//! Who is this person: the organisation's users, found by employee id, user id,
//! e-mail or name.
//!
//! A [`Directory`] holds one `/users` answer. [`Directory::find`] matches a query
//! against every user's employee id, user id, e-mail addresses and name, and answers
//! [`Match::One`], [`Match::Ambiguous`] with every candidate, or [`Match::None`]:
//! never a silent first match. Ids and e-mail addresses match exactly, ignoring case
//! and surrounding space; names match ignoring case, accents, punctuation and extra
//! space, written `first last` or `last, first`.
//!
//! [`Client::directory`](crate::Client::directory) keeps one directory per client,
//! read once and refreshed after
//! [`directory_max_age`](crate::ClientBuilder::directory_max_age) or on request.
//!
//! ```
//! use crewsense::directory::{Directory, Match};
//! use crewsense::types::User;
//! use crewsense::wire::Id;
//!
//! let user = |id: u64, first: &str, last: &str, employee: &str| User {
//!     user_id: Some(Id(id)),
//!     first_name: Some(first.to_owned()),
//!     last_name: Some(last.to_owned()),
//!     employee_id: Some(employee.to_owned()),
//!     ..User::default()
//! };
//! let directory = Directory::new(vec![
//!     user(1001, "José", "Peña", "E0100"),
//!     user(1002, "Jose", "Pena", "E0101"),
//!     user(1003, "Avery", "Holt", "E0102"),
//! ]);
//! assert!(matches!(directory.find("holt, avery"), Match::One(u) if u.user_id == Some(Id(1003))));
//! assert!(matches!(directory.find("e0101"), Match::One(u) if u.user_id == Some(Id(1002))));
//! assert!(matches!(directory.find("JOSE PENA"), Match::Ambiguous(both) if both.len() == 2));
//! assert!(matches!(directory.find("Quinn Vance"), Match::None));
//! ```

use std::collections::HashMap;

use crewsense_gen::types::User;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::ids::UserId;

/// The users of one `/users` answer, indexed for [`find`](Self::find).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    users: Vec<User>,
    by_user_id: HashMap<u64, usize>,
    /// Each user's name keys, folded: the full name and `first last`.
    names: Vec<[Option<String>; 2]>,
}

/// What a [`Directory::find`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum Match<T> {
    /// Exactly one user matches.
    One(T),
    /// Several users match, in the directory's order.
    Ambiguous(Vec<T>),
    /// No user matches.
    None,
}

impl<T> Match<T> {
    /// The user, if exactly one matched.
    pub fn one(self) -> Option<T> {
        match self {
            Match::One(user) => Some(user),
            Match::Ambiguous(_) | Match::None => None,
        }
    }

    /// Every user that matched: none, one or several.
    pub fn candidates(self) -> Vec<T> {
        match self {
            Match::One(user) => vec![user],
            Match::Ambiguous(users) => users,
            Match::None => Vec::new(),
        }
    }

    fn of(mut found: Vec<T>) -> Self {
        match found.len() {
            0 => Match::None,
            1 => found.pop().map_or(Match::None, Match::One),
            _ => Match::Ambiguous(found),
        }
    }
}

impl Directory {
    /// A directory of `users`, in the order given.
    pub fn new(users: Vec<User>) -> Self {
        let by_user_id = users
            .iter()
            .enumerate()
            .filter_map(|(i, u)| Some((u.user_id?.get(), i)))
            .collect();
        let names = users
            .iter()
            .map(|u| {
                let first_last = match (&u.first_name, &u.last_name) {
                    (Some(first), Some(last)) => Some(fold(&format!("{first} {last}"))),
                    _ => None,
                };
                [u.full_name.as_deref().map(fold), first_last]
            })
            .collect();
        Self {
            users,
            by_user_id,
            names,
        }
    }

    /// Every user, in the answer's order.
    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// The user with this id.
    pub fn get(&self, user_id: UserId) -> Option<&User> {
        self.by_user_id
            .get(&user_id.get().get())
            .and_then(|&i| self.users.get(i))
    }

    /// The employee id of the user with this id, if they have one.
    pub fn employee_id(&self, user_id: UserId) -> Option<&str> {
        self.get(user_id)?.employee_id.as_deref()
    }

    /// The users that `query` names by employee id, user id, e-mail or name (see the
    /// [module docs](self)).
    pub fn find(&self, query: &str) -> Match<&User> {
        let query = query.trim();
        if query.is_empty() {
            return Match::None;
        }
        let user_id = query.parse::<u64>().ok();
        let name = fold(&match query.split_once(',') {
            Some((last, first)) => format!("{first} {last}"),
            None => query.to_owned(),
        });
        let same = |text: &str| text.trim().eq_ignore_ascii_case(query);
        let found = self
            .users
            .iter()
            .zip(&self.names)
            .filter(|(user, names)| {
                (user_id.is_some() && user.user_id.map(|id| id.get()) == user_id)
                    || user.employee_id.as_deref().is_some_and(same)
                    || user.emails.iter().flatten().any(|e| same(e))
                    || (!name.is_empty() && names.iter().flatten().any(|n| *n == name))
            })
            .map(|(user, _)| user)
            .collect();
        Match::of(found)
    }
}

/// `text` without case, accents or punctuation, words separated by one space:
/// `"  Peña-Núñez, José "` is `"pena nunez jose"`. Apostrophes join (`O'Brien` is
/// `obrien`); other punctuation separates words.
fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if space && !folded.is_empty() {
                folded.push(' ');
            }
            space = false;
            folded.extend(c.to_lowercase());
        } else if !matches!(c, '\'' | '\u{2019}') {
            space = true;
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crewsense_gen::wire::Id;

    fn user(id: u64, first: &str, last: &str) -> User {
        User {
            user_id: Some(Id(id)),
            first_name: Some(first.to_owned()),
            last_name: Some(last.to_owned()),
            full_name: Some(format!("{first} {last}")),
            emails: Some(vec![format!("{}@example.org", first.to_lowercase())]),
            ..User::default()
        }
    }

    fn ids(found: Match<&User>) -> Vec<u64> {
        found
            .candidates()
            .iter()
            .filter_map(|u| u.user_id.map(|id| id.get()))
            .collect()
    }

    #[test]
    fn names_fold_case_accents_and_punctuation() {
        assert_eq!(fold("  Peña-Núñez,  José "), "pena nunez jose");
        assert_eq!(fold("O’Brien"), "obrien");
        assert_eq!(fold("ZOË"), "zoe");
        assert_eq!(fold("--"), "");
    }

    #[test]
    fn a_directory_with_two_people_of_one_name_answers_both() {
        let directory = Directory::new(vec![
            user(1, "Avery", "Holt"),
            user(2, "Avery", "Holt"),
            user(3, "Quinn", "Holt"),
        ]);
        let found = directory.find("Holt, Avery");
        assert!(matches!(found, Match::Ambiguous(_)));
        assert_eq!(ids(found), [1, 2]);
        assert_eq!(ids(directory.find("quinn holt")), [3]);
        assert_eq!(ids(directory.find("2")), [2]);
        assert_eq!(ids(directory.find("QUINN@example.org")), [3]);
    }

    #[test]
    fn a_query_that_is_one_users_id_and_anothers_employee_id_is_ambiguous() {
        let mut numbered = user(5, "Reese", "Nagy");
        numbered.employee_id = Some("7".to_owned());
        let directory = Directory::new(vec![numbered, user(7, "Drew", "Santos")]);
        assert_eq!(ids(directory.find(" 7 ")), [5, 7]);
        assert_eq!(directory.find(""), Match::None);
        assert_eq!(directory.find(","), Match::None);
        assert_eq!(directory.employee_id(UserId::new(5)), Some("7"));
    }
}
