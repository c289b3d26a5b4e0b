//! `entralint check --add-suppressions`: a `[[suppress]]` entry for each current finding, with a
//! TODO justification, appended to the entralint.toml of the finding's tenant (as ruff's
//! `--add-noqa` marks each current violation). What the file held is kept byte for byte; the new
//! text is checked to parse before anything is written, and every file is checked before any is.

use crate::init::toml_string;
use crate::render::suppression_object;
use entralint_lint::diagnostic::printable;
use entralint_lint::Report;
use entralint_parser::{FileId, SourceMap};
use std::collections::{BTreeMap, BTreeSet};

/// How much of a finding's message the comment above its entry quotes.
const MESSAGE_CHARS: usize = 120;

/// The justification each new entry carries until a person writes the real one.
pub const TODO: &str = "TODO: say why this finding is accepted, or fix it and delete this entry";

/// The entries to append to each configuration file, in report order, one per rule and object;
/// and the findings no entry can cover (no object: about the tenant as a whole, or about a file
/// that could not be read).
pub struct Plan {
    pub files: BTreeMap<String, String>,
    pub added: usize,
    pub uncovered: Vec<String>,
}

/// Plans the entries. `config_of` names the entralint.toml of the tenant a file belongs to
/// (`None`: the tenant has none, which is an error naming the tenant).
pub fn plan(
    sources: &SourceMap,
    report: &Report,
    config_of: impl Fn(FileId) -> Result<String, String>,
) -> Result<Plan, String> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut added = 0;
    let mut uncovered = Vec::new();
    for r in report.findings.iter().filter(|r| r.suppressed.is_none()) {
        let at = format!(
            "{}:{}:{}",
            sources.path(r.file),
            r.start.line,
            r.start.column
        );
        let Some(object) = suppression_object(r) else {
            uncovered.push(format!("{} at {at}", r.finding.code));
            continue;
        };
        let config = config_of(r.file)?;
        if !seen.insert((config.clone(), r.finding.code, object.to_owned())) {
            continue;
        }
        let text = files.entry(config).or_default();
        // The comment says what the entry accepts, on one line.
        let mut message: String = printable(&r.finding.message)
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if let Some((cut, _)) = message.char_indices().nth(MESSAGE_CHARS) {
            message.truncate(cut);
            message.push('…');
        }
        text.push_str(&format!(
            "\n[[suppress]]\n# {} [{}] {message} ({at})\nrule = \"{}\"\nobject = {}\njustification = {}\n",
            r.finding.code,
            r.finding.severity,
            r.finding.code,
            toml_string(object),
            toml_string(TODO)
        ));
        added += 1;
    }
    Ok(Plan {
        files,
        added,
        uncovered,
    })
}

/// The file's text with the entries appended after a line saying where they came from.
pub fn appended(existing: &str, entries: &str) -> String {
    let mut text = existing.to_owned();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(
        "\n# Added by `entralint check --add-suppressions`: replace each TODO with the reason the\n\
         # finding is accepted, or fix the finding and delete its entry.\n",
    );
    text.push_str(entries);
    text
}
