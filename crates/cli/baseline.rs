//! `--baseline FILE` and `--write-baseline FILE`: accept today's findings as known debt and report
//! only new ones.
//!
//! The file lists the fingerprints of the findings it accepts. A fingerprint is made of the rule,
//! the identity of the object the finding is about and the pointer below that object without array
//! indices, so it survives a re-export that reorders, reformats or moves files. A baseline is not a
//! suppression: it needs no justification, and entries that no longer match anything are counted
//! as stale so that the file can be refreshed.
//!
//! ```json
//! {"version": 1, "findings": [{"fingerprint": "e8bbb39a8aed0c99", "code": "PIM009",
//!   "file": "tenant/Identity/...json", "message": "..."}]}
//! ```

use crate::args::BaselineArgs;
use crate::files;
use entralint_lint::Report;
use entralint_parser::Tenant;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

/// One accepted finding. Only the fingerprint matters; the rest tells a reader what it was.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    file: String,
    #[serde(default)]
    message: String,
}

/// What applying a baseline did to the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Findings left out because the baseline holds their fingerprint.
    pub baselined: usize,
    /// Baseline entries that match no finding of this run (fixed, or no longer selected).
    pub stale: usize,
}

impl Outcome {
    /// `2 findings baselined, 1 stale baseline entry`, for the human summary.
    pub fn describe(&self) -> String {
        format!(
            "{} finding{} baselined, {} stale baseline entr{}",
            self.baselined,
            if self.baselined == 1 { "" } else { "s" },
            self.stale,
            if self.stale == 1 { "y" } else { "ies" }
        )
    }
}

/// What `--baseline` and `--write-baseline` did to a run.
pub struct Baseline {
    /// With `--baseline`: what leaving the accepted findings out did.
    pub outcome: Option<Outcome>,
    /// With `--write-baseline`: where to write which baseline, of how many entries.
    new: Option<(PathBuf, String, usize)>,
}

impl Baseline {
    /// Applies `--baseline` to a fresh report. The baseline `--write-baseline` asks for is made
    /// first, so it records every finding of today, whatever an older baseline accepted.
    pub fn apply(
        args: &BaselineArgs,
        tenant: &Tenant,
        report: &mut Report,
    ) -> Result<Self, String> {
        let new = args.write_baseline.as_ref().map(|path| {
            let (text, entries) = render(tenant, report);
            (path.clone(), text, entries)
        });
        let outcome = match &args.baseline {
            Some(path) => Some(filter(path, report)?),
            None => None,
        };
        Ok(Baseline { outcome, new })
    }

    /// Writes the new baseline, if `--write-baseline` asked for one, and says so in one line:
    /// `wrote 12 entries to entralint.baseline.json`.
    pub fn write(&self) -> Result<Option<String>, String> {
        let Some((path, text, entries)) = &self.new else {
            return Ok(None);
        };
        std::fs::write(path, text)
            .map_err(|e| format!("cannot write baseline {}: {e}", path.display()))?;
        Ok(Some(format!(
            "wrote {entries} entr{} to {}",
            if *entries == 1 { "y" } else { "ies" },
            crate::discover::display(path)
        )))
    }

    /// Whether a baseline is written (the run then exits 0).
    pub fn writes(&self) -> bool {
        self.new.is_some()
    }
}

/// Reads the baseline at `path` and removes the findings it holds from `report`. Suppressed
/// findings stay in the report (they are decisions with a justification, shown as such).
fn filter(path: &Path, report: &mut Report) -> Result<Outcome, String> {
    let accepted = read(path)?;
    let found: BTreeSet<&str> = report
        .findings
        .iter()
        .map(|r| r.fingerprint.as_str())
        .collect();
    let stale = accepted
        .iter()
        .filter(|fp| !found.contains(fp.as_str()))
        .count();
    let before = report.findings.len();
    report
        .findings
        .retain(|r| r.suppressed.is_some() || !accepted.contains(&r.fingerprint));
    Ok(Outcome {
        baselined: before - report.findings.len(),
        stale,
    })
}

/// The distinct fingerprints of a baseline file (`-`: standard input). Any problem with the file
/// is a usage error.
fn read(path: &Path) -> Result<BTreeSet<String>, String> {
    let bad = |why: String| format!("baseline {}: {why}", path.display());
    let bytes = if path.as_os_str() == "-" {
        files::read_stdin(files::MAX_BASELINE_BYTES)
    } else {
        files::read_regular(path, files::MAX_BASELINE_BYTES).map_err(|e| {
            if e.starts_with("not a regular file") {
                format!("{e}; `--baseline -` reads it from standard input")
            } else {
                e
            }
        })
    }
    .map_err(bad)?;
    let file: BaselineFile = serde_json::from_slice(&bytes).map_err(|e| {
        bad(format!(
            "not a baseline file ({e}); write one with --write-baseline"
        ))
    })?;
    if file.version != VERSION {
        return Err(bad(format!(
            "version {} is not supported (expected {VERSION})",
            file.version
        )));
    }
    if let Some(i) = file.findings.iter().position(|e| e.fingerprint.is_empty()) {
        return Err(bad(format!("finding {i} has an empty fingerprint")));
    }
    Ok(file.findings.into_iter().map(|e| e.fingerprint).collect())
}

/// The baseline file for the findings of `report`, sorted by fingerprint: same findings, same
/// bytes; and its number of entries. Suppressed findings are left out (their suppression already
/// accepts them, and when it expires they should come back).
fn render(tenant: &Tenant, report: &Report) -> (String, usize) {
    let mut findings: Vec<Entry> = report
        .findings
        .iter()
        .filter(|r| r.suppressed.is_none())
        .map(|r| Entry {
            fingerprint: r.fingerprint.clone(),
            code: r.finding.code.to_owned(),
            file: tenant.sources.path(r.file).to_owned(),
            message: r.finding.message.clone(),
        })
        .collect();
    findings.sort();
    findings.dedup();
    let entries = findings.len();
    let file = BaselineFile {
        version: VERSION,
        findings,
    };
    let mut text = serde_json::to_string_pretty(&file).expect("a baseline serialises");
    text.push('\n');
    (text, entries)
}
