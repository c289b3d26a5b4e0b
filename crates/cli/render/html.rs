//! `entralint report`: one self-contained HTML page for a customer's security lead. First the
//! verdict per privileged role (each activation chain drawn as inline SVG), the findings per
//! severity and what was not evaluated; then the findings grouped by severity and rule, each with
//! the excerpt of its file; the coverage of the admin roles; the inventory.
//!
//! The page loads nothing: its style is inline, its diagrams are inline SVG, it has no script
//! (a Content-Security-Policy of `default-src 'none'` says so to the browser), and the only links
//! that leave it are to the rules' documentation. It prints to PDF as it shows. Every string from
//! the export or the configuration is made [`printable`] (no control characters) and then
//! HTML-escaped. Same input, same bytes: no timestamp.

use crate::tenants::TenantInfo;
use entralint_lint::chains::{ChainRow, PolicyRow};
use entralint_lint::coverage::{Cell, CoverageRow, Status, CONTROLS};
use entralint_lint::diagnostic::printable;
use entralint_lint::{rules, Report, Resolved, Severity};
use entralint_parser::{Kind, Tenant};
use std::fmt::Write;

/// What the page shows.
pub struct Page<'a> {
    pub tenant: &'a Tenant,
    pub tenants: &'a [TenantInfo],
    pub report: &'a Report,
    pub chains: &'a [ChainRow],
    pub coverage: &'a [CoverageRow],
    /// Base URL of docs/rules/ (`--docs-url`); else the repository's.
    pub docs_url: Option<&'a str>,
    /// entralint's own outputs met among the inputs and not read.
    pub skipped: &'a [(String, &'static str)],
}

/// Text from the export or the configuration, as the page holds it: without control characters,
/// HTML-escaped (fit for element content and quoted attribute values alike).
pub fn text(s: &str) -> String {
    escape(&printable(s))
}

/// HTML-escapes `&`, `<`, `>`, `"` and `'`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page of a rule's documentation.
pub fn docs_link(docs_url: Option<&str>, code: &str) -> String {
    match docs_url {
        Some(base) => format!("{}/{code}.md", base.trim_end_matches('/')),
        None => format!(
            "{}/blob/main/docs/rules/{code}.md",
            env!("CARGO_PKG_REPOSITORY")
        ),
    }
}

const STYLE: &str = r#"
:root { --critical:#b00020; --high:#d9480f; --medium:#b07d00; --low:#1c7ed6; --ok:#2b8a3e;
        --weak:#e67700; --broken:#c92a2a; --muted:#868e96; --line:#dee2e6; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:#212529;
       margin: 0 auto; max-width: 1180px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 28px 0 10px;
  border-bottom: 2px solid var(--line); padding-bottom: 4px; } h3 { font-size: 16px; margin: 18px 0 8px; }
h4 { font-size: 14px; margin: 14px 0 6px; }
.meta { color: var(--muted); margin: 0 0 12px; }
nav a { margin-right: 14px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; }
.card { border: 1px solid var(--line); border-left-width: 6px; border-radius: 4px; padding: 6px 14px; min-width: 120px; }
.card b { display: block; font-size: 22px; }
.card.critical { border-left-color: var(--critical); } .card.high { border-left-color: var(--high); }
.card.medium { border-left-color: var(--medium); } .card.low { border-left-color: var(--low); }
.card.broken { border-left-color: var(--broken); } .card.weak { border-left-color: var(--weak); }
.card.phishingResistant { border-left-color: var(--ok); } .card.suppressed { border-left-color: var(--muted); }
figure.chain { margin: 6px 0 12px; page-break-inside: avoid; break-inside: avoid; }
figure.chain svg { width: 100%; height: auto; max-height: 96px; }
figure.chain figcaption { font-size: 13px; margin-left: 4px; }
.verdict { font-weight: 700; text-transform: uppercase; font-size: 12px; padding: 1px 6px; border-radius: 3px; color: #fff; }
.verdict.broken { background: var(--broken); } .verdict.weak { background: var(--weak); }
.verdict.phishingResistant { background: var(--ok); }
.sev { font-weight: 700; text-transform: uppercase; font-size: 11px; padding: 1px 6px; border-radius: 3px; color: #fff; }
.sev.critical { background: var(--critical); } .sev.high { background: var(--high); }
.sev.medium { background: var(--medium); } .sev.low { background: var(--low); }
article.finding { border: 1px solid var(--line); border-radius: 4px; padding: 8px 12px; margin: 8px 0;
  page-break-inside: avoid; break-inside: avoid; }
article.finding p { margin: 3px 0; }
.message { font-weight: 600; } .where, .object { color: #495057; font-size: 13px; }
code, pre { font: 12px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
pre.excerpt { background: #f8f9fa; border: 1px solid var(--line); padding: 6px 0; overflow-x: auto;
  white-space: pre-wrap; word-break: break-all; margin: 6px 0; }
pre.excerpt span { display: block; padding: 0 10px; }
pre.excerpt span.at { background: #fff3bf; border-left: 3px solid var(--high); }
pre.excerpt i { color: var(--muted); font-style: normal; display: inline-block; min-width: 4em; user-select: none; }
.help::before { content: "Fix: "; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f1f3f5; }
td.provided { background: #ebfbee; } td.partial { background: #fff4e6; } td.missing { background: #ffe3e3; }
td.none { color: var(--muted); }
td .st { font-weight: 700; font-size: 11px; text-transform: uppercase; display: block; }
td .note { color: #495057; font-size: 12px; }
ul.plain { padding-left: 18px; margin: 4px 0; }
footer { color: var(--muted); font-size: 12px; margin-top: 28px; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  #findings { page-break-before: always; break-before: page; }
  h2, h3, h4 { page-break-after: avoid; break-after: avoid; }
  pre.excerpt { overflow: visible; }
}
"#;

pub fn render(page: &Page<'_>) -> String {
    let mut out = String::with_capacity(64 << 10);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"entralint ");
    out.push_str(env!("CARGO_PKG_VERSION"));
    out.push_str("\">\n<title>entralint report: privileged access</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
    header(&mut out, page);
    overview(&mut out, page);
    findings(&mut out, page);
    coverage(&mut out, page);
    inventory(&mut out, page);
    let _ = writeln!(
        out,
        "<footer>entralint {} · an offline reading of the export: nothing was fetched from Microsoft Graph.</footer>",
        env!("CARGO_PKG_VERSION")
    );
    out.push_str("</body>\n</html>\n");
    out
}

fn header(out: &mut String, page: &Page<'_>) {
    out.push_str("<header>\n<h1>Privileged access in Microsoft Entra ID</h1>\n");
    let roots: Vec<String> = page
        .tenants
        .iter()
        .map(|t| match &t.config {
            Some(c) => format!("{} (configuration {})", text(&t.root), text(c)),
            None => format!("{} (no entralint.toml)", text(&t.root)),
        })
        .collect();
    let _ = writeln!(
        out,
        "<p class=\"meta\">Export: {} · {} read by entralint {}</p>",
        roots.join("; "),
        plural(page.tenant.inventory.files, "file"),
        env!("CARGO_PKG_VERSION")
    );
    out.push_str("<nav><a href=\"#roles\">Roles</a><a href=\"#not-evaluated\">Not evaluated</a><a href=\"#findings\">Findings</a><a href=\"#coverage\">Coverage</a><a href=\"#inventory\">Inventory</a></nav>\n</header>\n");
}

/// The first screen: the chains, the counts, what was not evaluated.
fn overview(out: &mut String, page: &Page<'_>) {
    let report = page.report;
    out.push_str("<section id=\"summary\">\n<div class=\"cards\">\n");
    for (severity, n) in super::counts(report) {
        let _ = writeln!(
            out,
            "<div class=\"card {s}\" data-severity=\"{s}\"><b>{n}</b>{s}</div>",
            s = severity.as_str()
        );
    }
    let suppressed = super::suppressed(report);
    if suppressed > 0 {
        let _ = writeln!(
            out,
            "<div class=\"card suppressed\"><b>{suppressed}</b>suppressed</div>"
        );
    }
    for (verdict, label) in [
        ("broken", "broken chains"),
        ("weak", "weak chains"),
        ("phishingResistant", "phishing-resistant chains"),
    ] {
        let n = page.chains.iter().filter(|r| r.verdict == verdict).count();
        let _ = writeln!(
            out,
            "<div class=\"card {verdict}\" data-chains=\"{verdict}\"><b>{n}</b>{label}</div>"
        );
    }
    out.push_str("</div>\n</section>\n");

    out.push_str("<section id=\"not-evaluated\">\n<h2>Not evaluated</h2>\n");
    let groups = not_evaluated(report);
    if groups.is_empty() {
        out.push_str("<p>Every rule that ran had the input it needs.</p>\n");
    } else {
        out.push_str("<p class=\"meta\">These rules need input the export does not hold; their findings, if any, are not in this report.</p>\n<ul class=\"plain\">\n");
        for (reason, codes) in groups {
            let codes: Vec<String> = codes
                .iter()
                .map(|c| format!("<code data-code=\"{c}\">{c}</code>"))
                .collect();
            let _ = writeln!(out, "<li>{}: {}</li>", codes.join(", "), text(reason));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
    out.push_str("<section id=\"roles\">\n<h2>Verdict per privileged role</h2>\n");
    out.push_str("<p class=\"meta\">Each row follows an activation: role → what PIM requires → authentication context → the Conditional Access policy on that context (its state) → the strength it requires. A red link is where the chain breaks.</p>\n");
    if page.chains.is_empty() {
        out.push_str("<p>No PIM role policies in the export: no activation chain to show (export the PIM policies and their assignments).</p>\n");
    }
    // Without eligibility records (ScubaGear's export has none), a count of 0 would be a guess.
    let eligibility = page
        .tenant
        .inventory
        .has(entralint_parser::Kind::RoleEligibilitySchedule);
    for row in page.chains {
        chain_figure(out, row, eligibility);
    }
    out.push_str("</section>\n");
}

/// The state of a link of a chain: drawn green, amber, red, or grey when never reached.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Link {
    Ok,
    Weak,
    Broken,
    Unreached,
    Neutral,
}

impl Link {
    fn class(self) -> &'static str {
        match self {
            Link::Ok => "ok",
            Link::Weak => "weak",
            Link::Broken => "broken",
            Link::Unreached => "unreached",
            Link::Neutral => "neutral",
        }
    }

    fn colours(self) -> (&'static str, &'static str) {
        match self {
            Link::Ok => ("#2b8a3e", "#ebfbee"),
            Link::Weak => ("#e67700", "#fff4e6"),
            Link::Broken => ("#c92a2a", "#ffe3e3"),
            Link::Unreached => ("#adb5bd", "#f8f9fa"),
            Link::Neutral => ("#495057", "#f1f3f5"),
        }
    }
}

/// The five boxes of a chain: (heading, text, state).
fn links(row: &ChainRow) -> [(&'static str, String, Link); 5] {
    let role = ("Role", row.role_name.clone(), Link::Neutral);
    let unreached = |h: &'static str| (h, "not reached".to_owned(), Link::Unreached);
    match row.requirement {
        "none" => [
            role,
            ("PIM requires", "nothing".to_owned(), Link::Broken),
            unreached("Context"),
            unreached("CA policy"),
            unreached("Strength"),
        ],
        "mfaClaim" => [
            role,
            ("PIM requires", "an MFA claim".to_owned(), Link::Broken),
            unreached("Context"),
            unreached("CA policy"),
            unreached("Strength"),
        ],
        _ => {
            let context = row.context.clone().unwrap_or_else(|| "?".to_owned());
            let pim = ("PIM requires", "auth context".to_owned(), Link::Ok);
            let Some(p) = row.policies.first() else {
                return [
                    role,
                    pim,
                    ("Context", context, Link::Broken),
                    ("CA policy", "none targets it".to_owned(), Link::Broken),
                    unreached("Strength"),
                ];
            };
            let more = if row.policies.len() > 1 {
                format!(" +{}", row.policies.len() - 1)
            } else {
                String::new()
            };
            let (state, on) = state(p);
            let policy_link = if on { Link::Ok } else { Link::Broken };
            let strength = match (p.strength_class, &p.strength) {
                ("phishingResistant", Some(s)) => (s.clone(), Link::Ok),
                ("block", _) => ("block".to_owned(), Link::Ok),
                ("mfa", Some(s)) => (s.clone(), Link::Weak),
                ("mfa", None) => ("plain MFA".to_owned(), Link::Weak),
                ("unresolved", s) => (
                    s.clone().unwrap_or_else(|| "unknown strength".to_owned()),
                    Link::Broken,
                ),
                _ => ("none".to_owned(), Link::Broken),
            };
            let strength_link = if on { strength.1 } else { Link::Unreached };
            // A chain judged weak for its scope or conditions shows it on the policy.
            let policy_link = if on && row.verdict == "weak" && strength.1 == Link::Ok {
                Link::Weak
            } else {
                policy_link
            };
            [
                role,
                pim,
                ("Context", context, Link::Ok),
                (
                    "CA policy",
                    format!("{} ({state}){more}", p.display_name),
                    policy_link,
                ),
                ("Strength", strength.0, strength_link),
            ]
        }
    }
}

/// A policy's state in words, and whether it is enforced.
fn state(p: &PolicyRow) -> (&str, bool) {
    match p.state.as_str() {
        "enabled" => ("on", true),
        "enabledForReportingButNotEnforced" => ("report-only", false),
        "disabled" => ("off", false),
        other => (other, false),
    }
}

/// The first `max` characters of `s`, with `…` when cut.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}

const BOX_W: usize = 178;
const GAP: usize = 30;
const BOX_H: usize = 54;

fn chain_figure(out: &mut String, row: &ChainRow, eligibility: bool) {
    let links = links(row);
    let width = 5 * BOX_W + 4 * GAP + 4;
    let height = BOX_H + 8;
    let _ = writeln!(
        out,
        "<figure class=\"chain\" data-role=\"{}\" data-verdict=\"{}\">",
        text(&row.role_name),
        row.verdict
    );
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        text(&format!("activation chain of {}: {}", row.role_name, verdict_words(row.verdict)))
    );
    for (i, (heading, label, link)) in links.iter().enumerate() {
        let x = 2 + i * (BOX_W + GAP);
        let (stroke, fill) = link.colours();
        if i > 0 {
            // The arrow into this box takes its colour when it breaks the chain.
            let arrow = match link {
                Link::Broken => "#c92a2a",
                Link::Weak => "#e67700",
                Link::Unreached => "#ced4da",
                _ => "#495057",
            };
            let y = 4 + BOX_H / 2;
            let x0 = x - GAP + 2;
            let x1 = x - 3;
            let _ = writeln!(
                out,
                "<g class=\"arrow {}\"><line x1=\"{x0}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{arrow}\" stroke-width=\"{}\"/><path d=\"M{} {} L{x1} {y} L{} {} Z\" fill=\"{arrow}\"/></g>",
                link.class(),
                x1 - 6,
                if *link == Link::Broken { 3 } else { 2 },
                x1 - 8,
                y - 5,
                x1 - 8,
                y + 5
            );
        }
        let dash = if *link == Link::Unreached {
            " stroke-dasharray=\"4 3\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<g class=\"link {}\"><title>{}: {}</title><rect x=\"{x}\" y=\"4\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"{dash}/><text x=\"{}\" y=\"22\" font-size=\"11\" fill=\"#495057\" font-family=\"system-ui, sans-serif\">{}</text><text x=\"{}\" y=\"43\" font-size=\"13\" font-weight=\"600\" fill=\"{}\" font-family=\"system-ui, sans-serif\">{}</text></g>",
            link.class(),
            text(heading),
            text(label),
            if *link == Link::Broken { "3" } else { "1.5" },
            x + 10,
            text(heading),
            x + 10,
            if *link == Link::Unreached { "#868e96" } else { "#212529" },
            text(&clip(label, 21)),
        );
    }
    out.push_str("</svg>\n<figcaption>");
    let _ = write!(
        out,
        "<span class=\"verdict {}\">{}</span> <b>{}</b> · {}",
        row.verdict,
        verdict_words(row.verdict),
        text(&row.role_name),
        if eligibility || !row.eligible.is_empty() {
            plural(row.eligible.len(), "eligible principal")
        } else {
            "eligibility not in the export".to_owned()
        }
    );
    if !row.weakest_link.is_empty() {
        let _ = write!(out, " · weakest link: {}", text(&row.weakest_link));
    }
    if row.policies.len() > 1 {
        let names: Vec<String> = row
            .policies
            .iter()
            .map(|p| format!("{} ({})", text(&p.display_name), state(p).0))
            .collect();
        let _ = write!(out, " · context policies: {}", names.join(", "));
    }
    if !row.findings.is_empty() {
        let codes: Vec<String> = row
            .findings
            .iter()
            .map(|c| format!("<a href=\"#rule-{c}\">{c}</a>"))
            .collect();
        let _ = write!(out, " · findings: {}", codes.join(" "));
    }
    out.push_str("</figcaption>\n</figure>\n");
}

fn verdict_words(verdict: &str) -> &str {
    match verdict {
        "phishingResistant" => "phishing-resistant",
        other => other,
    }
}

/// The rules not evaluated, grouped by reason, in code order.
fn not_evaluated(report: &Report) -> Vec<(&str, Vec<&'static str>)> {
    let mut groups: Vec<(&str, Vec<&'static str>)> = Vec::new();
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

/// The findings in the order the report and the action plan show them: not suppressed first, then
/// the most severe, then by rule, then by location.
pub fn ordered<'a>(tenant: &Tenant, report: &'a Report) -> Vec<&'a Resolved> {
    let mut findings: Vec<&Resolved> = report.findings.iter().collect();
    findings.sort_by(|a, b| {
        let key = |r: &'a Resolved| {
            (
                r.suppressed.is_some(),
                std::cmp::Reverse(r.finding.severity),
                r.finding.code,
                tenant.sources.path(r.file),
                r.start.line,
                r.start.column,
            )
        };
        key(a).cmp(&key(b))
    });
    findings
}

fn findings(out: &mut String, page: &Page<'_>) {
    out.push_str("<section id=\"findings\">\n<h2>Findings</h2>\n");
    let all = ordered(page.tenant, page.report);
    let active: Vec<&Resolved> = all
        .iter()
        .copied()
        .filter(|r| r.suppressed.is_none())
        .collect();
    if active.is_empty() {
        out.push_str("<p>No findings.</p>\n");
    }
    let mut index = 0;
    for severity in Severity::ALL {
        let of: Vec<&Resolved> = active
            .iter()
            .copied()
            .filter(|r| r.finding.severity == severity)
            .collect();
        if of.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<section class=\"severity\" data-severity=\"{s}\">\n<h3><span class=\"sev {s}\">{s}</span> {}</h3>",
            plural(of.len(), "finding"),
            s = severity.as_str()
        );
        let mut i = 0;
        while i < of.len() {
            let code = of[i].finding.code;
            let n = of[i..]
                .iter()
                .take_while(|r| r.finding.code == code)
                .count();
            rule_heading(out, page, code, of[i].finding.name, n);
            for r in &of[i..i + n] {
                index += 1;
                finding(out, page, r, index);
            }
            out.push_str("</section>\n");
            i += n;
        }
        out.push_str("</section>\n");
    }
    let suppressed: Vec<&Resolved> = all
        .iter()
        .copied()
        .filter(|r| r.suppressed.is_some())
        .collect();
    if !suppressed.is_empty() {
        let _ = writeln!(
            out,
            "<section class=\"suppressed\">\n<h3>Suppressed ({})</h3>\n<ul class=\"plain\">",
            suppressed.len()
        );
        for r in suppressed {
            let s = r.suppressed.as_ref().expect("suppressed");
            let expires = s
                .expires
                .as_deref()
                .map_or_else(String::new, |e| format!(" (expires {})", text(e)));
            let _ = writeln!(
                out,
                "<li data-code=\"{}\"><code>{}</code> {} — {}: {}{expires}</li>",
                r.finding.code,
                r.finding.code,
                text(&r.finding.message),
                location(page.tenant, r),
                text(&s.justification)
            );
        }
        out.push_str("</ul>\n</section>\n");
    }
    out.push_str("</section>\n");
}

/// Opens the section of one rule's findings (closed by the caller).
fn rule_heading(out: &mut String, page: &Page<'_>, code: &str, name: &str, n: usize) {
    let summary = rules::by_code(code).map_or("", |r| r.summary());
    let _ = writeln!(
        out,
        "<section class=\"rule\" id=\"rule-{code}\" data-code=\"{code}\">\n<h4>{code} {} — {} ({n})</h4>\n<p class=\"meta\"><a class=\"docs\" href=\"{}\">Rule documentation: {code}</a></p>",
        escape(name),
        escape(summary),
        escape(&docs_link(page.docs_url, code))
    );
}

/// `path:line:column`
fn location(tenant: &Tenant, r: &Resolved) -> String {
    format!(
        "{}:{}:{}",
        text(tenant.sources.path(r.file)),
        r.start.line,
        r.start.column
    )
}

fn finding(out: &mut String, page: &Page<'_>, r: &Resolved, index: usize) {
    let f = &r.finding;
    let _ = writeln!(
        out,
        "<article class=\"finding\" id=\"finding-{index}\" data-code=\"{}\" data-severity=\"{}\" data-fingerprint=\"{}\">",
        f.code,
        f.severity.as_str(),
        text(&r.fingerprint)
    );
    let _ = writeln!(
        out,
        "<p class=\"message\"><span class=\"sev {}\">{}</span> {}</p>",
        f.severity.as_str(),
        f.code,
        text(&f.message)
    );
    let _ = writeln!(
        out,
        "<p class=\"where\">{} <code>{}</code></p>",
        location(page.tenant, r),
        text(&r.pointer)
    );
    if let Some(s) = &f.subject {
        let name = s.display_name.as_deref().map(text);
        let id = s.id.as_deref().map(text);
        let shown = match (name, id) {
            (Some(n), Some(id)) => format!("{n} <code>{id}</code>"),
            (Some(n), None) => n,
            (None, Some(id)) => format!("<code>{id}</code>"),
            (None, None) => String::new(),
        };
        let _ = writeln!(
            out,
            "<p class=\"object\">{}: {shown}</p>",
            escape(s.kind.as_str())
        );
    }
    out.push_str(&excerpt(page.tenant, r));
    if let Some(help) = &f.help {
        let _ = writeln!(out, "<p class=\"help\">{}</p>", text(help));
    }
    if !r.related.is_empty() {
        out.push_str("<ul class=\"plain related\">\n");
        for rel in &r.related {
            let _ = writeln!(
                out,
                "<li>{} — {}:{}:{}</li>",
                text(&rel.message),
                text(page.tenant.sources.path(rel.file)),
                rel.start.line,
                rel.start.column
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</article>\n");
}

/// Lines shown before and after the located line.
const CONTEXT_LINES: usize = 2;
/// The longest line shown, in characters.
const MAX_LINE: usize = 200;

/// The lines of the file around the finding's location, the located line marked; empty for a
/// finding about a folder or an unreadable file.
pub fn excerpt(tenant: &Tenant, r: &Resolved) -> String {
    let source = tenant.sources.file(r.file);
    if source.text.is_empty() {
        return String::new();
    }
    let at = r.start.line.max(1);
    let first = at.saturating_sub(CONTEXT_LINES).max(1);
    let mut out = String::from("<pre class=\"excerpt\"><code>");
    for (i, line) in source
        .text
        .lines()
        .enumerate()
        .skip(first - 1)
        .take(at + CONTEXT_LINES + 1 - first)
    {
        let n = i + 1;
        let class = if n == at { " class=\"at\"" } else { "" };
        let _ = write!(
            out,
            "<span{class} data-line=\"{n}\"><i>{n}</i>{}</span>",
            text(&clip(line, MAX_LINE))
        );
    }
    out.push_str("</code></pre>\n");
    out
}

fn coverage(out: &mut String, page: &Page<'_>) {
    out.push_str("<section id=\"coverage\">\n<h2>Coverage of the admin roles</h2>\n");
    out.push_str("<p class=\"meta\">Which Conditional Access policy provides each control to each administrative role: provided (an enabled policy for all resources, with no condition that lets sign-ins skip it), partial (only a policy that falls short, and why), missing. Activation context is the verdict of the role's PIM activation chain.</p>\n");
    if page.coverage.is_empty() {
        out.push_str("<p>No administrative roles to show.</p>\n</section>\n");
        return;
    }
    out.push_str("<table class=\"coverage\">\n<thead><tr><th>Role</th>");
    for c in CONTROLS {
        let _ = write!(out, "<th>{c}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in page.coverage {
        let _ = write!(
            out,
            "<tr data-role=\"{}\"><th scope=\"row\">{}</th>",
            text(&row.role_name),
            text(&row.role_name)
        );
        for cell in row.cells() {
            coverage_cell(out, cell);
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn coverage_cell(out: &mut String, cell: &Cell) {
    let status = cell.status.as_str();
    let word = match cell.status {
        Status::None => "no PIM policy",
        _ => status,
    };
    let _ = write!(
        out,
        "<td class=\"{status}\"><span class=\"st\">{word}</span>"
    );
    if !cell.policies.is_empty() {
        let names: Vec<String> = cell.policies.iter().map(|p| text(p)).collect();
        let _ = write!(out, "{}", names.join("<br>"));
    }
    if !cell.note.is_empty() && cell.status != Status::None {
        let _ = write!(out, "<span class=\"note\"> {}</span>", text(&cell.note));
    }
    out.push_str("</td>");
}

fn inventory(out: &mut String, page: &Page<'_>) {
    let inv = &page.tenant.inventory;
    out.push_str("<section id=\"inventory\">\n<h2>Inventory</h2>\n");
    let _ = writeln!(out, "<p>{} read.</p>", plural(inv.files, "file"));
    out.push_str("<table class=\"inventory\">\n<thead><tr><th>Object kind</th><th>Count</th></tr></thead>\n<tbody>\n");
    for kind in Kind::ALL.iter().filter(|k| inv.has(**k)) {
        let n = inv.count(*kind);
        let label = kind.label(n);
        let name = label
            .split_once(' ')
            .map_or(label.as_str(), |(_, rest)| rest);
        let _ = writeln!(
            out,
            "<tr data-kind=\"{}\"><td>{}</td><td>{n}</td></tr>",
            kind.key(),
            escape(name)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if !inv.unrecognized.is_empty() {
        out.push_str(
            "<p>Valid JSON of no shape entralint knows (not read):</p>\n<ul class=\"plain\">\n",
        );
        for f in &inv.unrecognized {
            let _ = writeln!(out, "<li>{}</li>", text(page.tenant.sources.path(*f)));
        }
        out.push_str("</ul>\n");
    }
    if !page.skipped.is_empty() {
        out.push_str("<p>entralint's own outputs met among the inputs (not read):</p>\n<ul class=\"plain\">\n");
        for (path, what) in page.skipped {
            let _ = writeln!(out, "<li>{} ({what})</li>", text(path));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::{clip, escape, text};

    #[test]
    fn customer_text_is_escaped_and_stripped_of_control_characters() {
        assert_eq!(
            text("<script>alert(1)</script>\"onerror='x'&\u{1b}[31m"),
            "&lt;script&gt;alert(1)&lt;/script&gt;&quot;onerror=&#39;x&#39;&amp;\\u{1b}[31m"
        );
        assert_eq!(escape("a\nb"), "a\nb");
        assert_eq!(text("a\nb"), "a\\nb");
        assert_eq!(clip("Global Administrator", 10), "Global Ad…");
    }
}
