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

/// Keeps the block of `file` between `begin` and END equal to `expected`.
fn keep_current(file: &str, begin: &str, expected: &str) {
    let path = root().join(file);
    let doc = std::fs::read_to_string(&path).unwrap();
    let start = doc
        .find(begin)
        .unwrap_or_else(|| panic!("{file} marks the output"))
        + begin.len();
    let end = start + doc[start..].find(END).expect("the output ends");
    if doc[start..end] == *expected {
        return;
    }
    if update() {
        let mut text = doc[..start].to_owned();
        text.push_str(expected);
        text.push_str(&doc[end..]);
        std::fs::write(&path, text).unwrap();
    } else {
        panic!(
            "{file} shows an outdated output; run `UPDATE_DOCS=1 cargo test --test readme` and \
             review the change.\nexpected:\n{expected}"
        );
    }
}

#[test]
fn docs_show_the_current_output_of_diff_and_whatif() {
    let o = entralint(&[
        "diff",
        "examples/contoso-risky",
        "examples/contoso-hardened",
    ]);
    let out = stdout(&o);
    // The resolved findings are many: the first three, then the changes and the summary.
    let (head, rest) = out.split_once("\n\nchanged").expect("changes");
    let kept: Vec<&str> = head.lines().take(4).collect();
    let expected = format!(
        "$ entralint diff examples/contoso-risky examples/contoso-hardened\n{}\n  ...\n\nchanged{rest}",
        kept.join("\n")
    );
    keep_current(
        "docs/review.md",
        "<!-- output of `entralint diff examples/contoso-risky examples/contoso-hardened`, kept current by tests/readme.rs -->\n```text\n",
        &expected,
    );
    let args = [
        "whatif",
        "examples/contoso-hardened",
        "--user",
        "1a2b3c4d-0001-4000-8000-000000000001",
        "--activate",
        "Global Administrator",
    ];
    let o = entralint(&args);
    let expected = format!(
        "$ entralint whatif examples/contoso-hardened --user 1a2b3c4d-0001-4000-8000-000000000001 --activate \"Global Administrator\"\n{}",
        stdout(&o)
    );
    keep_current(
        "docs/review.md",
        "<!-- output of `entralint whatif examples/contoso-hardened --user 1a2b3c4d-0001-4000-8000-000000000001 --activate \"Global Administrator\"`, kept current by tests/readme.rs -->\n```text\n",
        &expected,
    );
}
