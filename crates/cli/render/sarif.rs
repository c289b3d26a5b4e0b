//! `--format sarif`: SARIF 2.1.0 (OASIS), the format code scanning reads.
//!
//! One run; one rule descriptor per rule that ran, with its documentation and the severity the
//! run's settings give it; one result per finding with its physical location (line and column in
//! characters, byte offsets for UTF-8 files), the JSON pointer as a logical location, the other
//! links of the chain as related locations, the stable fingerprint, and the suppression when the
//! configuration suppresses it.

use entralint_lint::settings::RunPolicy;
use entralint_lint::{docs, rules, Report, Resolved, Rule, Severity};
use entralint_parser::decode::Encoding;
use entralint_parser::{FileId, Tenant};
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of our fingerprint in `partialFingerprints`; bump the version if its recipe changes.
const FINGERPRINT_KEY: &str = "entralint/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    automation_details: AutomationDetails,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: DescriptorProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties {
    tags: [&'static str; 2],
    precision: &'static str,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
    properties: ResultProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    logical_locations: [LogicalLocation; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    status: &'static str,
    justification: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<SuppressionProperties<'a>>,
}

#[derive(Serialize)]
struct SuppressionProperties<'a> {
    expires: &'a str,
}

#[derive(Serialize)]
struct ResultProperties {
    severity: &'static str,
    /// Only when the finding's severity is not its rule's (some rules raise or lower it per
    /// finding): code scanning otherwise takes the rule's.
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

/// SARIF level of a severity, as docs/ci.md ("Formats") documents it.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub code scanning's `security-severity` (a number, as a string) of a severity.
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// Renders the report; `run` gives each rule its severity (`[rules.severity]` in entralint.toml),
/// `docs_url` is the absolute base URL of docs/rules/ (for `helpUri`).
pub fn render(tenant: &Tenant, report: &Report, run: &RunPolicy, docs_url: Option<&str>) -> String {
    // The rules that ran, plus any rule a finding names that did not (findings the runner adds
    // itself), in registry order.
    let ran: Vec<&'static Rule> = rules::ALL
        .iter()
        .copied()
        .filter(|r| {
            report.rules.iter().any(|ran| ran.code == r.code)
                || report.findings.iter().any(|f| f.finding.code == r.code)
        })
        .collect();
    // The severity of each rule in this run: its findings have it, except those the rule itself
    // rates above or below it.
    let severity: Vec<Severity> = ran
        .iter()
        .map(|r| run.severity_of(r.code, r.severity))
        .collect();
    let index: BTreeMap<&str, usize> = ran.iter().enumerate().map(|(i, r)| (r.code, i)).collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "entralint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: ran
                        .iter()
                        .zip(&severity)
                        .map(|(r, s)| descriptor(r, *s, docs_url))
                        .collect(),
                },
            },
            automation_details: AutomationDetails { id: "entralint/" },
            column_kind: "unicodeCodePoints",
            results: report
                .findings
                .iter()
                .map(|r| {
                    let i = index.get(r.finding.code).copied();
                    result(tenant, r, i, i.map(|i| severity[i]))
                })
                .collect(),
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).expect("a SARIF log serialises");
    text.push('\n');
    text
}

/// The descriptor of a rule, with its severity in this run (GitHub code scanning ranks alerts by
/// the rule's `security-severity`: "SARIF support for code scanning", GitHub Docs).
fn descriptor(rule: &'static Rule, severity: Severity, docs_url: Option<&str>) -> Descriptor {
    let why = docs::section(rule, "Why is this bad?").unwrap_or_default();
    let fix = docs::section(rule, "How to fix").unwrap_or_default();
    Descriptor {
        id: rule.code,
        name: rule.name,
        short_description: Text {
            text: rule.summary().to_owned(),
        },
        full_description: Text {
            text: first_paragraph(&why).unwrap_or_else(|| rule.summary().to_owned()),
        },
        help: Help {
            text: unwrap_lines(&fix),
            markdown: docs::markdown(rule),
        },
        help_uri: docs_url.map(|base| format!("{}/{}.md", base.trim_end_matches('/'), rule.code)),
        default_configuration: Configuration {
            level: level(severity),
        },
        properties: DescriptorProperties {
            tags: ["security", "entra-id"],
            precision: "high",
            security_severity: security_severity(severity),
        },
    }
}

fn result<'a>(
    tenant: &Tenant,
    r: &'a Resolved,
    rule_index: Option<usize>,
    rule_severity: Option<Severity>,
) -> SarifResult<'a> {
    let f = &r.finding;
    let message = match &f.help {
        Some(help) => format!("{} — {help}", f.message),
        None => f.message.clone(),
    };
    SarifResult {
        rule_id: f.code,
        rule_index,
        level: level(f.severity),
        message: Text { text: message },
        locations: [location(tenant, None, r.file, &r.pointer, &r.span, None)],
        related_locations: r
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| {
                location(
                    tenant,
                    Some(i + 1),
                    rel.file,
                    &rel.pointer,
                    &rel.span,
                    Some(&rel.message),
                )
            })
            .collect(),
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, r.fingerprint.as_str())]),
        suppressions: r
            .suppressed
            .iter()
            .map(|s| Suppression {
                kind: "external",
                status: "accepted",
                justification: &s.justification,
                properties: s
                    .expires
                    .as_deref()
                    .map(|expires| SuppressionProperties { expires }),
            })
            .collect(),
        properties: ResultProperties {
            severity: f.severity.as_str(),
            security_severity: (rule_severity != Some(f.severity))
                .then(|| security_severity(f.severity)),
        },
    }
}

fn location(
    tenant: &Tenant,
    id: Option<usize>,
    file: FileId,
    pointer: &str,
    span: &Range<usize>,
    message: Option<&str>,
) -> Location {
    let sources = &tenant.sources;
    let source = sources.file(file);
    let start = sources.line_col(file, span.start);
    let end = sources.line_col(file, span.end.max(span.start));
    // Offsets are into the decoded text: they are file offsets only for UTF-8 files (after the
    // byte-order mark, if any). UTF-16 files and undecodable ones get lines and columns only.
    let bytes = match source.encoding {
        Some(Encoding::Utf8) => Some(0),
        Some(Encoding::Utf8Bom) => Some(source.bom_len),
        _ => None,
    };
    let (uri, uri_base_id) = artifact_uri(sources.path(file));
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri, uri_base_id },
            region: Region {
                start_line: start.line,
                start_column: start.column,
                end_line: end.line,
                end_column: end.column,
                byte_offset: bytes.map(|bom| span.start + bom),
                byte_length: bytes.map(|_| span.len()),
            },
        },
        logical_locations: [LogicalLocation {
            fully_qualified_name: pointer.to_owned(),
            kind: "value",
        }],
        message: message.map(|m| Text { text: m.to_owned() }),
    }
}

/// The URI of a reported path: relative to the source root (`%SRCROOT%`, where code scanning
/// resolves it against the repository), or a `file:` URI when the path given was absolute.
fn artifact_uri(path: &str) -> (String, Option<&'static str>) {
    if let Some(rest) = path.strip_prefix('/') {
        return (format!("file:///{}", encode_uri_path(rest)), None);
    }
    let b = path.as_bytes();
    if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/' {
        let drive = char::from(b[0]);
        return (
            format!("file:///{drive}:/{}", encode_uri_path(&path[3..])),
            None,
        );
    }
    (encode_uri_path(path), Some("%SRCROOT%"))
}

/// A `/`-separated path as a URI reference: unreserved characters and `/` stay, everything else
/// (spaces, `%`, `#`, non-ASCII) is percent-encoded byte by byte.
fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The first paragraph of a Markdown section, its lines joined.
fn first_paragraph(text: &str) -> Option<String> {
    let paragraph = text.split("\n\n").next()?.trim();
    (!paragraph.is_empty()).then(|| unwrap_lines(paragraph))
}

/// Joins wrapped lines into one (Markdown paragraphs are wrapped at 100 columns in the docs).
fn unwrap_lines(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            encode_uri_path("tenant/a b/é#1.json"),
            "tenant/a%20b/%C3%A9%231.json"
        );
        let relative = artifact_uri("a:b.json");
        assert_eq!(relative, ("a%3Ab.json".to_owned(), Some("%SRCROOT%")));
        assert_eq!(artifact_uri("/srv/t/x.json").0, "file:///srv/t/x.json");
        assert_eq!(artifact_uri("C:/t/x y.json").0, "file:///C:/t/x%20y.json");
    }

    #[test]
    fn paragraphs_are_unwrapped() {
        assert_eq!(
            first_paragraph("one\ntwo\n\nthree").as_deref(),
            Some("one two")
        );
        assert_eq!(first_paragraph(""), None);
        assert_eq!(unwrap_lines("a\nb\n\nc\nd"), "a b\n\nc d");
    }
}
