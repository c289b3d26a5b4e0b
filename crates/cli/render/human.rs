//! `--format human`: rustc-like diagnostics (miette) and a one-line summary.

use crate::baseline::Outcome;
use crate::tenants::TenantInfo;
use entralint_lint::diagnostic::{diagnostic, printable, Sources};
use entralint_lint::{Report, Resolved, Suppressed};
use entralint_parser::{Kind, Tenant};
use miette::{GraphicalReportHandler, GraphicalTheme};

pub struct Style {
    pub color: bool,
    pub width: usize,
    pub docs_url: Option<String>,
    /// Show suppressed findings in full rather than as one line each.
    pub show_suppressed: bool,
    /// The run's tenants, named after the summary.
    pub tenants: Vec<TenantInfo>,
}

/// Every finding in full, a suppressed one as one line (in full too with `show_suppressed`, marked
/// as such), then the summary line. Text from the export and the settings is shown
/// [`printable`].
pub fn render(
    tenant: &Tenant,
    report: &Report,
    baseline: Option<&Outcome>,
    style: &Style,
) -> String {
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
    for r in &report.findings {
        match &r.suppressed {
            Some(s) if !style.show_suppressed => {
                out.push_str(&suppressed_line(tenant, r, s));
                out.push('\n');
            }
            _ => {
                let d = diagnostic(r, &sources, style.docs_url.as_deref());
                if handler.render_report(&mut out, &d).is_err() {
                    out.push_str(&format!(
                        "{}: {}\n",
                        r.finding.code,
                        printable(&r.finding.message)
                    ));
                }
                if let Some(s) = &r.suppressed {
                    out.push_str(&format!("  {}\n", suppression(s)));
                }
            }
        }
        out.push('\n');
    }
    out.push_str(&summary(tenant, report, baseline));
    out.push('\n');
    out.push_str(&tenants(&style.tenants));
    out
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

/// `entralint::PIM013 (high) <file>:<line>:<column>: <message> · suppressed: <why> (expires <date>)`
fn suppressed_line(tenant: &Tenant, r: &Resolved, s: &Suppressed) -> String {
    let f = &r.finding;
    format!(
        "entralint::{} ({}) {}:{}:{}: {} · {}",
        f.code,
        f.severity,
        printable(tenant.sources.path(r.file)),
        r.start.line,
        r.start.column,
        printable(&f.message),
        suppression(s)
    )
}

/// `suppressed: <justification> (expires <date>)`
fn suppression(s: &Suppressed) -> String {
    let mut text = format!("suppressed: {}", printable(&s.justification));
    if let Some(expires) = &s.expires {
        text.push_str(&format!(" (expires {expires})"));
    }
    text
}

/// `4 findings (2 critical, 1 high, 1 medium) in 23 files · loaded 9 CA policies, ... · not evaluated: ...`
pub fn summary(tenant: &Tenant, report: &Report, baseline: Option<&Outcome>) -> String {
    let n = report.findings.len() - super::suppressed(report);
    let inv = &tenant.inventory;
    let by_severity: Vec<String> = super::counts(report)
        .iter()
        .filter(|(_, c)| *c > 0)
        .map(|(s, c)| format!("{c} {s}"))
        .collect();
    let mut parts = vec![match n {
        0 => format!("no findings in {}", files(inv.files)),
        _ => format!(
            "{n} finding{} ({}) in {}",
            if n == 1 { "" } else { "s" },
            by_severity.join(", "),
            files(inv.files)
        ),
    }];
    if super::suppressed(report) > 0 {
        parts[0].push_str(&format!(" ({} suppressed)", super::suppressed(report)));
    }
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
        // Named, so that a file meant as an export and not read as one does not go unnoticed.
        let u = inv.unrecognized.len();
        let shown: Vec<String> = inv
            .unrecognized
            .iter()
            .take(3)
            .map(|f| printable(tenant.sources.path(*f)).into_owned())
            .collect();
        let more = if u > shown.len() {
            format!(" and {} more", u - shown.len())
        } else {
            String::new()
        };
        parts.push(format!(
            "{u} unrecognized file{} ({}{more})",
            if u == 1 { "" } else { "s" },
            shown.join(", ")
        ));
    }
    if !report.not_evaluated.is_empty() {
        // Rules skipped for the same reason are listed together, in code order.
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        for ne in &report.not_evaluated {
            match groups.iter_mut().find(|(reason, _)| *reason == ne.reason) {
                Some((_, codes)) => codes.push(ne.code),
                None => groups.push((&ne.reason, vec![ne.code])),
            }
        }
        let list: Vec<String> = groups
            .iter()
            .map(|(reason, codes)| format!("{} ({})", codes.join(", "), printable(reason)))
            .collect();
        parts.push(format!("not evaluated: {}", list.join("; ")));
    }
    parts.join(" · ")
}

fn files(n: usize) -> String {
    format!("{n} file{}", if n == 1 { "" } else { "s" })
}
