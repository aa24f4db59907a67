//! `crewsense users --find`: the one user a text names, from the facade's
//! [`directory`](crewsense::directory).

use crewsense::Client;
use crewsense::directory::Match;
use crewsense::types::User;

use crate::failure::Failure;
use crate::output::Output;
use crate::rows::UserRow;
use crate::tasks::write_all;

/// Writes the user `query` names; nobody is [`Failure::NoMatch`], several are
/// [`Failure::Ambiguous`] with each candidate on a line of its own.
pub async fn find_user(client: &Client, query: &str, output: &Output) -> Result<(), Failure> {
    let directory = client.directory().await?;
    match directory.find(query) {
        Match::One(user) => write_all(std::iter::once(UserRow::from(user)), output),
        Match::None => Err(Failure::NoMatch(format!("no user matches `{query}`"))),
        Match::Ambiguous(users) => {
            let lines: Vec<String> = users.iter().map(|u| candidate(u)).collect();
            Err(Failure::Ambiguous(format!(
                "{} users match `{query}`; name one by its user id or employee id:\n{}",
                users.len(),
                lines.join("\n")
            )))
        }
    }
}

/// `  user_id 1001  employee_id E0100  Avery Holt  avery.holt@example.org`.
fn candidate(user: &User) -> String {
    let mut parts = vec![
        format!("user_id {}", text(user.user_id)),
        format!("employee_id {}", text(user.employee_id.as_deref())),
    ];
    parts.extend(user.full_name.clone());
    parts.extend(user.emails.iter().flatten().cloned());
    format!("  {}", parts.join("  "))
}

fn text<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}
