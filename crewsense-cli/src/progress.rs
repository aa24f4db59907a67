//! The progress bar of work that spans pages: on stderr, and only on a terminal, so
//! pipes and redirected output stay clean.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar counting `total` pages (a spinner if unknown); hidden unless stderr is a
/// terminal.
pub fn pages(total: Option<u64>) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(total) => ProgressBar::new(total).with_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} pages {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner().with_message("pages"),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar
}
