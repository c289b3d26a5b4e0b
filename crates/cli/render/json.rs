//! `--format json`: the version 1 report (schemas/report.schema.json).

use crate::baseline::Outcome;
use crate::tenants::TenantInfo;
use entralint_lint::{Report, Resolved};
use entralint_parser::{Kind, Tenant};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Output<'a> {
    version: u32,
    tool: Tool,
    tenants: Vec<TenantOut<'a>>,
    inventory: Inventory,
    findings: Vec<FindingOut<'a>>,
    not_evaluated: Vec<NotEvaluatedOut<'a>>,
    summary: BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// A tenant of the run: its root and the entralint.toml that applied (`null`: none).
#[derive(Serialize)]
struct TenantOut<'a> {
    root: &'a str,
    config: Option<&'a str>,
}

#[derive(Serialize)]
struct Inventory {
    files: usize,
    unrecognized: Vec<String>,
    /// entralint's own outputs met among the inputs, not read.
    skipped: Vec<SkippedOut>,
    objects: BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
struct SkippedOut {
    file: String,
    /// `report`, `SARIF report`, `baseline` or `chains table`.
    what: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FindingOut<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    location: Location,
    object: Option<ObjectOut<'a>>,
    related: Vec<RelatedOut<'a>>,
    fingerprint: &'a str,
    suppressed: Option<SuppressedOut<'a>>,
}

#[derive(Serialize)]
struct Location {
    file: String,
    pointer: String,
    line: usize,
    column: usize,
    offset: usize,
    length: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ObjectOut<'a> {
    kind: &'static str,
    id: Option<&'a str>,
    display_name: Option<&'a str>,
}

#[derive(Serialize)]
struct SuppressedOut<'a> {
    justification: &'a str,
    expires: Option<&'a str>,
}

#[derive(Serialize)]
struct RelatedOut<'a> {
    message: &'a str,
    location: Location,
}

#[derive(Serialize)]
struct NotEvaluatedOut<'a> {
    code: &'static str,
    reason: &'a str,
}

pub fn render<'a>(
    tenant: &'a Tenant,
    tenants: &'a [TenantInfo],
    report: &'a Report,
    baseline: Option<&Outcome>,
    skipped: &[(String, &'static str)],
) -> String {
    let sources = &tenant.sources;
    let inv = &tenant.inventory;
    let location = |file,
                    pointer: &str,
                    span: &std::ops::Range<usize>,
                    start: entralint_parser::LineCol| Location {
        file: sources.path(file).to_owned(),
        pointer: pointer.to_owned(),
        line: start.line,
        column: start.column,
        // From the start of the file, as SARIF's `byteOffset`: a UTF-8 byte-order mark counts.
        offset: span.start + utf8_bom(sources.file(file)),
        length: span.len(),
    };
    let finding = |r: &'a Resolved| {
        let f = &r.finding;
        FindingOut {
            code: f.code,
            name: f.name,
            severity: f.severity.as_str(),
            message: &f.message,
            help: f.help.as_deref(),
            location: location(r.file, &r.pointer, &r.span, r.start),
            object: f.subject.as_ref().map(|s| ObjectOut {
                kind: s.kind.as_str(),
                id: s.id.as_deref(),
                display_name: s.display_name.as_deref(),
            }),
            related: r
                .related
                .iter()
                .map(|rel| RelatedOut {
                    message: &rel.message,
                    location: location(rel.file, &rel.pointer, &rel.span, rel.start),
                })
                .collect(),
            fingerprint: &r.fingerprint,
            suppressed: r.suppressed.as_ref().map(|s| SuppressedOut {
                justification: &s.justification,
                expires: s.expires.as_deref(),
            }),
        }
    };
    let mut summary: BTreeMap<&'static str, usize> = super::counts(report)
        .into_iter()
        .map(|(s, n)| (s.as_str(), n))
        .collect();
    summary.insert(
        "suppressed",
        report
            .findings
            .iter()
            .filter(|f| f.suppressed.is_some())
            .count(),
    );
    if let Some(b) = baseline {
        summary.insert("baselined", b.baselined);
        summary.insert("staleBaseline", b.stale);
    }
    let out = Output {
        version: 1,
        tool: Tool {
            name: "entralint",
            version: env!("CARGO_PKG_VERSION"),
        },
        tenants: tenants
            .iter()
            .map(|t| TenantOut {
                root: &t.root,
                config: t.config.as_deref(),
            })
            .collect(),
        inventory: Inventory {
            files: inv.files,
            unrecognized: inv
                .unrecognized
                .iter()
                .map(|f| sources.path(*f).to_owned())
                .collect(),
            skipped: skipped
                .iter()
                .map(|(file, what)| SkippedOut {
                    file: file.clone(),
                    what,
                })
                .collect(),
            objects: Kind::ALL.iter().map(|k| (k.key(), inv.count(*k))).collect(),
        },
        findings: report.findings.iter().map(finding).collect(),
        not_evaluated: report
            .not_evaluated
            .iter()
            .map(|n| NotEvaluatedOut {
                code: n.code,
                reason: &n.reason,
            })
            .collect(),
        summary,
    };
    let mut text = serde_json::to_string_pretty(&out).expect("the report serialises");
    text.push('\n');
    text
}

/// The length of the UTF-8 byte-order mark a file starts with (the decoded text starts after it).
fn utf8_bom(file: &entralint_parser::SourceFile) -> usize {
    match file.encoding {
        Some(entralint_parser::Encoding::Utf8Bom) => file.bom_len,
        _ => 0,
    }
}
