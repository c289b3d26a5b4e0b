//! Output formats.

pub mod chains;
pub mod human;
pub mod json;

use entralint_lint::{Report, Severity};

/// Findings per severity, most severe first (suppressed findings are counted apart).
pub fn counts(report: &Report) -> [(Severity, usize); 4] {
    Severity::ALL.map(|s| {
        let n = report
            .findings
            .iter()
            .filter(|f| f.suppressed.is_none() && f.finding.severity == s)
            .count();
        (s, n)
    })
}

pub fn suppressed(report: &Report) -> usize {
    report
        .findings
        .iter()
        .filter(|f| f.suppressed.is_some())
        .count()
}
