//! `--format human`: findings most severe first, each a header line and the excerpt of its file
//! (miette), or one line each (`--output-format concise`), or a count per rule (`--statistics`);
//! then a summary of at most three lines.

use crate::baseline::Outcome;
use crate::tenants::TenantInfo;
use entralint_lint::diagnostic::{diagnostic, printable, FindingDiagnostic, Sources};
use entralint_lint::{Report, Resolved, Severity, Suppressed};
use entralint_parser::{Kind, Tenant};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::cmp::Reverse;
use std::fmt;

/// How the findings are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// A header line per finding, then the excerpt of its file.
    #[default]
    Full,
    /// One line per finding (`--output-format concise`).
    Concise,
    /// The number of findings of each rule (`--statistics`).
    Statistics,
}

pub struct Style {
    pub color: bool,
    pub width: usize,
    pub docs_url: Option<String>,
    /// Show suppressed findings in full rather than as one line each.
    pub show_suppressed: bool,
    /// End each header line with the object id a suppression names (`--show-ids`).
    pub show_ids: bool,
    /// The run's tenants, named in the verbose summary.
    pub tenants: Vec<TenantInfo>,
    pub layout: Layout,
    /// The findings only: no summary.
    pub quiet: bool,
    /// The summary in full: every kind loaded, every unrecognized file, one line per reason a
    /// rule was not evaluated, the configuration of each tenant.
    pub verbose: bool,
    /// entralint's own outputs met among the inputs and not read: path, what it is.
    pub skipped: Vec<(String, &'static str)>,
}

/// The findings in the layout the style asks for, then (unless quiet) the summary. Text from the
/// export and the settings is shown [`printable`].
pub fn render(
    tenant: &Tenant,
    report: &Report,
    baseline: Option<&Outcome>,
    style: &Style,
) -> String {
    let findings = ordered(tenant, report);
    let mut out = match style.layout {
        Layout::Full => full(tenant, &findings, style),
        Layout::Concise => concise(tenant, &findings, style),
        Layout::Statistics => statistics(&findings),
    };
    if !style.quiet {
        if style.layout != Layout::Full && !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&summary_lines(tenant, report, baseline, style));
    }
    out
}

/// The order human output shows findings in: those not suppressed first; then the most severe
/// first, then by rule code, then by location (file, line, column). Ties keep the report's order
/// (file, offset, code, message), so the output is the same from run to run. The machine formats
/// keep the report's order, which DESIGN fixes for them.
pub fn ordered<'a>(tenant: &Tenant, report: &'a Report) -> Vec<&'a Resolved> {
    let mut findings: Vec<&Resolved> = report.findings.iter().collect();
    findings.sort_by(|a, b| {
        let key = |r: &'a Resolved| {
            (
                r.suppressed.is_some(),
                Reverse(r.finding.severity),
                r.finding.code,
                tenant.sources.path(r.file),
                r.start.line,
                r.start.column,
            )
        };
        key(a).cmp(&key(b))
    });
    // One root cause, several rules (the exclusion behind BG004, BG006 and HYG006): the findings
    // located on the same value follow the most severe of them.
    let mut placed = vec![false; findings.len()];
    let mut out = Vec::with_capacity(findings.len());
    for i in 0..findings.len() {
        if placed[i] {
            continue;
        }
        placed[i] = true;
        out.push(findings[i]);
        if findings[i].suppressed.is_some() {
            continue;
        }
        for j in i + 1..findings.len() {
            if !placed[j] && same_place(findings[i], findings[j]) {
                placed[j] = true;
                out.push(findings[j]);
            }
        }
    }
    out
}

/// Whether two active findings point at the same value of the same file.
fn same_place(a: &Resolved, b: &Resolved) -> bool {
    a.suppressed.is_none() && b.suppressed.is_none() && a.file == b.file && a.span == b.span
}

/// The mark of a severity at the start of a finding's line: one shape each, so that the levels
/// stay apart without colour.
pub fn symbol(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "✖",
        Severity::High => "▲",
        Severity::Medium => "●",
        Severity::Low => "○",
    }
}

/// The ANSI colour of a severity.
fn paint(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "\u{1b}[1;31m",
        Severity::High => "\u{1b}[31m",
        Severity::Medium => "\u{1b}[33m",
        Severity::Low => "\u{1b}[36m",
    }
}

const RESET: &str = "\u{1b}[0m";

/// `✖ PIM001 [critical]`, coloured when the style says so.
fn tag(r: &Resolved, color: bool) -> String {
    let f = &r.finding;
    let suppressed = if r.suppressed.is_some() {
        ", suppressed"
    } else {
        ""
    };
    let text = format!(
        "{} {} [{}{suppressed}]",
        symbol(f.severity),
        f.code,
        f.severity
    );
    if color {
        format!("{}{text}{RESET}", paint(f.severity))
    } else {
        text
    }
}

/// `path:line:column`
fn location(tenant: &Tenant, r: &Resolved) -> String {
    format!(
        "{}:{}:{}",
        printable(tenant.sources.path(r.file)),
        r.start.line,
        r.start.column
    )
}

/// The header line of a finding: `✖ PIM001 [critical] <message> — <path>:<line>:<column>`,
/// then, with `show_ids`, ` (object <id>)`.
fn header(tenant: &Tenant, r: &Resolved, style: &Style) -> String {
    let mut line = format!(
        "{} {} — {}",
        tag(r, style.color),
        printable(&r.finding.message),
        location(tenant, r)
    );
    if style.show_ids {
        if let Some(id) = super::suppression_object(r) {
            line.push_str(&format!(" (object {})", printable(id)));
        }
    }
    line
}

/// Every finding: its header line, the excerpt of its file, help and related links; a suppressed
/// finding as its header line and the suppression (in full too with `show_suppressed`).
fn full(tenant: &Tenant, findings: &[&Resolved], style: &Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(style.width);
    let sources = Sources::new(&tenant.sources);
    let mut out = String::new();
    let mut previous: Option<&Resolved> = None;
    for r in findings {
        out.push_str(&header(tenant, r, style));
        let repeat = previous.is_some_and(|p| same_place(p, r));
        previous = Some(r);
        if repeat {
            // The excerpt above shows the value: say only what this rule adds.
            out.push_str("\n  ↳ the same value as the finding above");
            if let Some(help) = &r.finding.help {
                out.push_str(&format!("; help: {}", printable(help)));
            }
            out.push_str(&format!(" (entralint explain {})\n\n", r.finding.code));
            continue;
        }
        match &r.suppressed {
            Some(s) if !style.show_suppressed => {
                out.push_str(&format!(" · {}\n", suppression(s)));
            }
            _ => {
                out.push('\n');
                let d = diagnostic(r, &sources, style.docs_url.as_deref());
                // A finding about the tenant as a whole, located on its root directory, has no
                // text to show.
                let text = !tenant.sources.file(r.file).text.is_empty();
                out.push_str(&excerpt(&handler, &d, text));
                if let Some(s) = &r.suppressed {
                    out.push_str(&format!("  {}\n", suppression(s)));
                }
            }
        }
        out.push('\n');
    }
    out
}

/// What miette shows of a finding below its header line: the excerpt with its labels, the help
/// (and the rule's page), the related links in other files. The code line and the title, which
/// the header already says, are left out, and so is the file's name in the excerpt's frame;
/// without `text`, the excerpt too.
fn excerpt(handler: &GraphicalReportHandler, d: &FindingDiagnostic, text: bool) -> String {
    let Some(source) = d.source_code() else {
        return String::new();
    };
    let help = match (d.help(), d.url()) {
        (Some(h), Some(u)) => Some(format!("{h}\n{u}")),
        (Some(h), None) => Some(h.to_string()),
        (None, Some(u)) => Some(u.to_string()),
        (None, None) => None,
    };
    let below = Below {
        inner: d,
        source: Unnamed(source),
        help,
        text,
    };
    let mut text = String::new();
    if handler.render_report(&mut text, &below).is_err() {
        return String::new();
    }
    // The first line is the placeholder title.
    match text.split_once('\n') {
        Some((_, rest)) => rest.to_owned(),
        None => String::new(),
    }
}

/// A finding's diagnostic without its code and title (its `Display` is a one-line placeholder,
/// dropped after rendering).
struct Below<'a> {
    inner: &'a FindingDiagnostic,
    source: Unnamed<'a>,
    help: Option<String>,
    /// Whether to show the excerpt.
    text: bool,
}

impl fmt::Debug for Below<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for Below<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("-")
    }
}

impl std::error::Error for Below<'_> {}

impl Diagnostic for Below<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.text.then_some(&self.source as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.inner.labels().filter(|_| self.text)
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        self.inner.related()
    }
}

/// A file's text without its name: the header line names the file.
struct Unnamed<'a>(&'a dyn SourceCode);

impl SourceCode for Unnamed<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let c = self
            .0
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new(
            c.data(),
            *c.span(),
            c.line(),
            c.column(),
            c.line_count(),
        )))
    }
}

/// One line per finding: `path:line:column: CODE [severity] message (object ID)`, the object
/// being the id a `[[suppress]]` entry names; a suppressed finding says so at the end.
fn concise(tenant: &Tenant, findings: &[&Resolved], style: &Style) -> String {
    let mut out = String::new();
    for r in findings {
        let f = &r.finding;
        let code = format!("{} [{}]", f.code, f.severity);
        let code = if style.color {
            format!("{}{code}{RESET}", paint(f.severity))
        } else {
            code
        };
        out.push_str(&format!(
            "{}: {code} {}",
            location(tenant, r),
            printable(&f.message)
        ));
        if let Some(id) = super::suppression_object(r) {
            out.push_str(&format!(" (object {})", printable(id)));
        }
        if let Some(s) = &r.suppressed {
            out.push_str(&format!(" · {}", suppression(s)));
        }
        out.push('\n');
    }
    out
}

/// The number of findings of each rule (suppressed ones left out), most severe first:
/// `count  CODE  severity  name`.
fn statistics(findings: &[&Resolved]) -> String {
    let mut rows: Vec<(Severity, &str, &str, usize)> = Vec::new();
    for r in findings.iter().filter(|r| r.suppressed.is_none()) {
        let f = &r.finding;
        match rows
            .iter_mut()
            .find(|(s, code, _, _)| *s == f.severity && *code == f.code)
        {
            Some(row) => row.3 += 1,
            None => rows.push((f.severity, f.code, f.name, 1)),
        }
    }
    rows.sort_by_key(|(s, code, _, _)| (Reverse(*s), *code));
    let count_width = rows
        .iter()
        .map(|r| r.3.to_string().len())
        .max()
        .unwrap_or(1);
    let code_width = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (severity, code, name, n) in rows {
        out.push_str(&format!(
            "{n:>count_width$}  {code:<code_width$}  {:<8}  {name}\n",
            severity.as_str()
        ));
    }
    out
}

/// `suppressed: <justification> (expires <date>)`
fn suppression(s: &Suppressed) -> String {
    let mut text = format!("suppressed: {}", printable(&s.justification));
    if let Some(expires) = &s.expires {
        text.push_str(&format!(" (expires {expires})"));
    }
    text
}

/// `tenant: tenant, with tenant/entralint.toml` (or `tenants: a, with ...; b, with no
/// entralint.toml`): which configuration applied to which files.
fn tenants(tenants: &[TenantInfo]) -> String {
    if tenants.is_empty() {
        return String::new();
    }
    let each: Vec<String> = tenants
        .iter()
        .map(|t| match &t.config {
            Some(c) => format!("{}, with {}", printable(&t.root), printable(c)),
            None => format!("{}, with no entralint.toml", printable(&t.root)),
        })
        .collect();
    let noun = if tenants.len() == 1 {
        "tenant"
    } else {
        "tenants"
    };
    format!("{noun}: {}\n", each.join("; "))
}

/// The kinds the short summary names first when they were loaded: the activation chain's.
const TOP_KINDS: [Kind; 6] = [
    Kind::ConditionalAccessPolicy,
    Kind::RoleManagementPolicy,
    Kind::AuthenticationContext,
    Kind::AuthenticationStrength,
    Kind::RoleEligibilitySchedule,
    Kind::User,
];

/// How many kinds the short summary names.
const SHOWN_KINDS: usize = 3;

/// The summary of human output, at most three lines:
///
/// ```text
/// 56 findings (8 critical, 26 high, 14 medium, 8 low) in 75 files
/// loaded 10 CA policies, 8 PIM policies, 5 contexts and 13 more kinds (--verbose lists them)
/// 24 rules not evaluated, for 3 reasons (--verbose lists them)
/// ```
///
/// Verbose, every kind and unrecognized file, one line per reason, and the tenants.
pub fn summary_lines(
    tenant: &Tenant,
    report: &Report,
    baseline: Option<&Outcome>,
    style: &Style,
) -> String {
    let mut first = counts_line(tenant, report);
    if let Some(b) = baseline {
        first.push_str(" · ");
        first.push_str(&b.describe());
    }
    let mut lines = vec![first];

    let inv = &tenant.inventory;
    let present: Vec<Kind> = TOP_KINDS
        .iter()
        .copied()
        .chain(Kind::ALL.iter().copied().filter(|k| !TOP_KINDS.contains(k)))
        .filter(|k| inv.has(*k))
        .collect();
    let mut loaded = if present.is_empty() {
        "loaded nothing entralint recognises".to_owned()
    } else if style.verbose || present.len() <= SHOWN_KINDS {
        let all: Vec<String> = Kind::ALL
            .iter()
            .filter(|k| inv.has(**k))
            .map(|k| k.label(inv.count(*k)))
            .collect();
        format!("loaded {}", all.join(", "))
    } else {
        let top: Vec<String> = present[..SHOWN_KINDS]
            .iter()
            .map(|k| k.label(inv.count(*k)))
            .collect();
        let more = present.len() - SHOWN_KINDS;
        format!(
            "loaded {} and {more} more kind{} (--verbose lists them)",
            top.join(", "),
            if more == 1 { "" } else { "s" }
        )
    };
    if !inv.unrecognized.is_empty() {
        // Named, so that a file meant as an export and not read as one does not go unnoticed.
        let shown = if style.verbose { usize::MAX } else { 1 };
        loaded.push_str(" · ");
        loaded.push_str(&unrecognized(tenant, shown));
    }
    if !style.skipped.is_empty() {
        let shown = if style.verbose { usize::MAX } else { 1 };
        loaded.push_str(" · ");
        loaded.push_str(&skipped(&style.skipped, shown));
    }
    lines.push(loaded);

    let groups = not_evaluated(report);
    if style.verbose || groups.len() == 1 {
        for (reason, codes) in &groups {
            lines.push(format!(
                "not evaluated: {} ({})",
                codes.join(", "),
                printable(reason)
            ));
        }
    } else if !groups.is_empty() {
        let rules: usize = groups.iter().map(|(_, codes)| codes.len()).sum();
        lines.push(format!(
            "{rules} rules not evaluated, for {} reasons (--verbose lists them)",
            groups.len()
        ));
    }
    let mut out = lines.join("\n");
    out.push('\n');
    if style.verbose {
        out.push_str(&tenants(&style.tenants));
    }
    out
}

/// `4 findings (2 critical, 1 high, 1 medium) in 23 files (1 suppressed)`, or `no findings in …`.
fn counts_line(tenant: &Tenant, report: &Report) -> String {
    let n = report.findings.len() - super::suppressed(report);
    let files = tenant.inventory.files;
    let by_severity: Vec<String> = super::counts(report)
        .iter()
        .filter(|(_, c)| *c > 0)
        .map(|(s, c)| format!("{c} {s}"))
        .collect();
    let mut line = match n {
        0 => format!("no findings in {}", plural(files, "file")),
        _ => format!(
            "{} ({}) in {}",
            plural(n, "finding"),
            by_severity.join(", "),
            plural(files, "file")
        ),
    };
    if super::suppressed(report) > 0 {
        line.push_str(&format!(" ({} suppressed)", super::suppressed(report)));
    }
    line
}

/// `2 unrecognized files (a.json, b.json)`, naming at most `shown` of them.
fn unrecognized(tenant: &Tenant, shown: usize) -> String {
    let inv = &tenant.inventory;
    let u = inv.unrecognized.len();
    let names: Vec<String> = inv
        .unrecognized
        .iter()
        .take(shown)
        .map(|f| printable(tenant.sources.path(*f)).into_owned())
        .collect();
    let more = if u > names.len() {
        format!(" and {} more", u - names.len())
    } else {
        String::new()
    };
    format!(
        "{} ({}{more})",
        plural(u, "unrecognized file"),
        names.join(", ")
    )
}

/// `2 entralint outputs not read (the report t/report.json and 1 more)`, naming at most `shown`.
pub fn skipped(outputs: &[(String, &str)], shown: usize) -> String {
    let names: Vec<String> = outputs
        .iter()
        .take(shown)
        .map(|(path, what)| format!("the {what} {}", printable(path)))
        .collect();
    let more = if outputs.len() > names.len() {
        format!(" and {} more", outputs.len() - names.len())
    } else {
        String::new()
    };
    format!(
        "{} not read ({}{more})",
        plural(outputs.len(), "entralint output"),
        names.join(", ")
    )
}

/// The rules not evaluated, grouped by reason (identical reasons once, naming every rule), in
/// code order.
fn not_evaluated(report: &Report) -> Vec<(&str, Vec<&str>)> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for ne in &report.not_evaluated {
        match groups.iter_mut().find(|(reason, _)| *reason == ne.reason) {
            Some((_, codes)) => codes.push(ne.code),
            None => groups.push((&ne.reason, vec![ne.code])),
        }
    }
    for (_, codes) in &mut groups {
        codes.dedup();
    }
    groups
}

/// The one-line summary the GitHub formats print:
/// `4 findings (2 critical, 1 high, 1 medium) in 23 files · loaded 9 CA policies, ... · not evaluated: ...`
pub fn summary(tenant: &Tenant, report: &Report, baseline: Option<&Outcome>) -> String {
    let inv = &tenant.inventory;
    let mut parts = vec![counts_line(tenant, report)];
    if let Some(b) = baseline {
        parts.push(b.describe());
    }
    let loaded: Vec<String> = Kind::ALL
        .iter()
        .filter(|k| inv.has(**k))
        .map(|k| k.label(inv.count(*k)))
        .collect();
    parts.push(if loaded.is_empty() {
        "loaded nothing entralint recognises".to_owned()
    } else {
        format!("loaded {}", loaded.join(", "))
    });
    if !inv.unrecognized.is_empty() {
        parts.push(unrecognized(tenant, 3));
    }
    let groups = not_evaluated(report);
    if !groups.is_empty() {
        let list: Vec<String> = groups
            .iter()
            .map(|(reason, codes)| format!("{} ({})", codes.join(", "), printable(reason)))
            .collect();
        parts.push(format!("not evaluated: {}", list.join("; ")));
    }
    parts.join(" · ")
}

fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
