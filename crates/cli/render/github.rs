//! `--format github`: GitHub Actions workflow commands, one annotation per finding, and — when
//! `GITHUB_STEP_SUMMARY` names a file — a Markdown table of every finding appended to it.
//!
//! GitHub shows only the first 10 annotations of each type per step, so every finding is still
//! printed (the log keeps them) and the step summary holds the whole table.
//!
//! Text from the export is [`printable`] before the escaping workflow commands and Markdown need:
//! the log shows the terminal colour sequences it receives, so a control character in a name would
//! otherwise act.

use crate::baseline::Outcome;
use entralint_lint::diagnostic::printable;
use entralint_lint::{Report, Resolved, Severity};
use entralint_parser::Tenant;
use std::io::Write;

/// GitHub's limit on one step's summary.
const STEP_SUMMARY_LIMIT: usize = 1024 * 1024;

/// The workflow command of a severity.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    }
}

/// The annotations, then the human summary line. Suppressed findings are not annotated.
pub fn render(tenant: &Tenant, report: &Report, baseline: Option<&Outcome>) -> String {
    let mut out = String::new();
    for r in report.findings.iter().filter(|r| r.suppressed.is_none()) {
        out.push_str(&annotation(tenant, r));
        out.push('\n');
    }
    out.push_str(&super::human::summary(tenant, report, baseline));
    out.push('\n');
    out
}

fn annotation(tenant: &Tenant, r: &Resolved) -> String {
    let f = &r.finding;
    let end = tenant
        .sources
        .line_col(r.file, r.span.end.max(r.span.start));
    let message = match &f.help {
        Some(help) => format!("{} — {}", printable(&f.message), printable(help)),
        None => printable(&f.message).into_owned(),
    };
    format!(
        "::{} file={},line={},endLine={},col={},endColumn={},title={}::{}",
        command(f.severity),
        property(&printable(tenant.sources.path(r.file))),
        r.start.line,
        end.line,
        r.start.column,
        end.column,
        property(&format!("{} ({})", f.code, f.severity)),
        data(&message)
    )
}

/// Escapes a workflow command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The file `GITHUB_STEP_SUMMARY` names, if it names one.
pub fn step_summary_file() -> Option<std::path::PathBuf> {
    std::env::var_os("GITHUB_STEP_SUMMARY")
        .filter(|p| !p.is_empty())
        .map(Into::into)
}

/// Appends the step summary to `path` (see [`step_summary_file`]).
pub fn append_step_summary(
    path: &std::path::Path,
    tenant: &Tenant,
    report: &Report,
    baseline: Option<&Outcome>,
) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("cannot write step summary {}: {e}", path.display());
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(fail)?;
    let used = file.metadata().map_err(fail)?.len();
    let budget = STEP_SUMMARY_LIMIT.saturating_sub(usize::try_from(used).unwrap_or(usize::MAX));
    file.write_all(step_summary(tenant, report, baseline, budget).as_bytes())
        .map_err(fail)
}

/// The Markdown summary: a heading, the summary line and a table of every finding, cut (with a
/// note saying so) where it would exceed `budget` bytes.
pub fn step_summary(
    tenant: &Tenant,
    report: &Report,
    baseline: Option<&Outcome>,
    budget: usize,
) -> String {
    let mut out = format!(
        "## entralint\n\n{}\n\n",
        cell(&super::human::summary(tenant, report, baseline))
    );
    let findings: Vec<&Resolved> = report
        .findings
        .iter()
        .filter(|r| r.suppressed.is_none())
        .collect();
    if !findings.is_empty() {
        out.push_str("| Severity | Code | Location | Message |\n| --- | --- | --- | --- |\n");
    }
    // Room kept for the note about rows left out.
    let reserve = 200;
    for (i, r) in findings.iter().enumerate() {
        let f = &r.finding;
        let row = format!(
            "| {} | {} | {}:{}:{} | {} |\n",
            f.severity,
            f.code,
            cell(tenant.sources.path(r.file)),
            r.start.line,
            r.start.column,
            cell(&f.message)
        );
        if out.len() + row.len() + reserve > budget {
            out.push_str(&format!(
                "\n{} more finding{} not shown: the summary is limited to 1 MiB. The SARIF or JSON report lists them all.\n",
                findings.len() - i,
                if findings.len() - i == 1 { "" } else { "s" }
            ));
            break;
        }
        out.push_str(&row);
    }
    out.push('\n');
    if out.len() > budget {
        return String::new();
    }
    out
}

/// Text safe inside a Markdown table cell (line breaks become spaces).
fn cell(s: &str) -> String {
    printable(&s.replace(['\r', '\n'], " "))
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(cell("a|b\n<c>"), "a\\|b &lt;c&gt;");
    }
}
