//! README.md shows what `entralint check examples/contoso-risky` prints: the first finding, then
//! the summary. This test runs the command and fails when the README's excerpt differs;
//! `UPDATE_DOCS=1` (or `INSTA_UPDATE=always`, with the snapshots) rewrites it.

mod common;

use common::{entralint, root, stdout};

/// The lines around the excerpt in README.md.
const BEGIN: &str = "<!-- output of `entralint check examples/contoso-risky`, kept current by tests/readme.rs -->\n```text\n";
const END: &str = "```\n<!-- end of output -->\n";

fn update() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some()
        || std::env::var("INSTA_UPDATE").is_ok_and(|v| v == "always")
}

/// The first finding in full (up to the blank line after it), `...`, and the summary (the lines
/// after the last blank line).
fn excerpt(out: &str) -> String {
    let (first, _) = out.split_once("\n\n").expect("a finding");
    let (_, summary) = out.rsplit_once("\n\n").expect("a summary");
    format!("$ entralint check examples/contoso-risky\n{first}\n...\n{summary}")
}

#[test]
fn readme_shows_the_current_output_of_the_risky_example() {
    let o = entralint(&["check", "examples/contoso-risky"]);
    assert_eq!(o.status.code(), Some(1));
    let expected = excerpt(&stdout(&o));
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme.find(BEGIN).expect("README.md marks the excerpt") + BEGIN.len();
    let end = start + readme[start..].find(END).expect("the excerpt ends");
    if readme[start..end] == expected {
        return;
    }
    if update() {
        let mut text = readme[..start].to_owned();
        text.push_str(&expected);
        text.push_str(&readme[end..]);
        std::fs::write(&path, text).unwrap();
    } else {
        panic!(
            "README.md shows an outdated output of `entralint check examples/contoso-risky`; \
             run `UPDATE_DOCS=1 cargo test --test readme` and review the change.\nexpected:\n{expected}"
        );
    }
}
