//! Output formats.

pub mod chains;
pub mod human;
pub mod json;

use entralint_lint::{Report, Severity};

/// Findings per severity, most severe first.
pub fn counts(report: &Report) -> [(Severity, usize); 4] {
    Severity::ALL.map(|s| {
        (
            s,
            report
                .findings
                .iter()
                .filter(|f| f.finding.severity == s)
                .count(),
        )
    })
}
