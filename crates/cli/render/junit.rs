//! `--format junit`: JUnit XML for test-report views (Azure DevOps `PublishTestResults@2`,
//! GitLab `artifacts:reports:junit`, Jenkins).
//!
//! One test suite per rule that ran; one failing test case per finding, named `<CODE> <file>:<line>`;
//! a rule without findings gets one passing test case, or a skipped one when its input was missing;
//! a suppressed finding is a skipped test case. No timestamps or durations: same input, same bytes.
//! Text from the export and the settings is [`printable`] before it is escaped for XML: the views
//! show it to people, and XML 1.0 could not hold most control characters anyway.

use entralint_lint::diagnostic::printable;
use entralint_lint::{rules, Report, Resolved, Rule};
use entralint_parser::Tenant;
use std::collections::BTreeMap;
use std::fmt::Write;

enum Verdict {
    Passed,
    Failed { message: String, body: String },
    Skipped { message: String },
}

struct Case {
    name: String,
    outcome: Verdict,
}

pub fn render(tenant: &Tenant, report: &Report) -> String {
    let ran: Vec<&'static Rule> = rules::ALL
        .iter()
        .copied()
        .filter(|r| {
            report.rules.iter().any(|ran| ran.code == r.code)
                || report.findings.iter().any(|f| f.finding.code == r.code)
        })
        .collect();
    let suites: Vec<(&Rule, Vec<Case>)> = ran
        .iter()
        .map(|rule| (*rule, cases(tenant, report, rule)))
        .collect();
    let count = |pred: fn(&Verdict) -> bool| -> usize {
        suites
            .iter()
            .map(|(_, cases)| cases.iter().filter(|c| pred(&c.outcome)).count())
            .sum()
    };
    let tests: usize = suites.iter().map(|(_, c)| c.len()).sum();
    let failures = count(|o| matches!(o, Verdict::Failed { .. }));
    let skipped = count(|o| matches!(o, Verdict::Skipped { .. }));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"entralint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">"
    );
    for (rule, cases) in &suites {
        let failures = cases
            .iter()
            .filter(|c| matches!(c.outcome, Verdict::Failed { .. }))
            .count();
        let skipped = cases
            .iter()
            .filter(|c| matches!(c.outcome, Verdict::Skipped { .. }))
            .count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
            attr(&format!("{} {}", rule.code, rule.name)),
            cases.len()
        );
        for case in cases {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"entralint.{}\"",
                attr(&case.name),
                rule.code
            );
            match &case.outcome {
                Verdict::Passed => out.push_str("/>\n"),
                Verdict::Failed { message, body } => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                        rule.code,
                        attr(message),
                        text(body)
                    );
                }
                Verdict::Skipped { message } => {
                    let _ = writeln!(
                        out,
                        ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                        attr(message)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn cases(tenant: &Tenant, report: &Report, rule: &Rule) -> Vec<Case> {
    let findings: Vec<&Resolved> = report
        .findings
        .iter()
        .filter(|r| r.finding.code == rule.code)
        .collect();
    if findings.is_empty() {
        let outcome = match report.not_evaluated.iter().find(|n| n.code == rule.code) {
            Some(n) => Verdict::Skipped {
                message: format!("not evaluated: {}", printable(&n.reason)),
            },
            None => Verdict::Passed,
        };
        return vec![Case {
            name: format!("{} {}", rule.code, rule.name),
            outcome,
        }];
    }
    // Test-report views merge cases of the same name: number repeats.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    findings
        .into_iter()
        .map(|r| {
            let f = &r.finding;
            let path = printable(tenant.sources.path(r.file));
            let message = printable(&f.message);
            let base = format!("{} {path}:{}", f.code, r.start.line);
            let n = seen.entry(base.clone()).or_default();
            *n += 1;
            let name = if *n == 1 {
                base
            } else {
                format!("{base} #{n}")
            };
            let outcome = match &r.suppressed {
                Some(s) => Verdict::Skipped {
                    message: format!("suppressed: {}", printable(&s.justification)),
                },
                None => {
                    let mut body = format!(
                        "{} ({}): {}\nat {path}:{}:{} ({})\n",
                        f.code,
                        f.severity,
                        message,
                        r.start.line,
                        r.start.column,
                        if r.pointer.is_empty() {
                            "/"
                        } else {
                            &r.pointer
                        }
                    );
                    if let Some(help) = &f.help {
                        let _ = writeln!(
                            body,
                            "help: {} (entralint explain {})",
                            printable(help),
                            f.code
                        );
                    }
                    for rel in &r.related {
                        let _ = writeln!(
                            body,
                            "related: {} at {}:{}:{}",
                            printable(&rel.message),
                            printable(tenant.sources.path(rel.file)),
                            rel.start.line,
                            rel.start.column
                        );
                    }
                    Verdict::Failed {
                        message: message.into_owned(),
                        body,
                    }
                }
            };
            Case { name, outcome }
        })
        .collect()
}

/// Escapes text content; characters XML 1.0 cannot hold become U+FFFD.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if allowed(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Escapes an attribute value (newlines and tabs kept as references, which attribute
/// normalisation would otherwise turn into spaces).
fn attr(s: &str) -> String {
    text(s)
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
        .replace('\n', "&#10;")
        .replace('\t', "&#9;")
}

/// Whether XML 1.0 allows the character (its `Char` production).
fn allowed(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            text("a < b && c > d\u{1}"),
            "a &lt; b &amp;&amp; c &gt; d\u{FFFD}"
        );
        assert_eq!(
            attr("say \"hi\"\n'x'"),
            "say &quot;hi&quot;&#10;&apos;x&apos;"
        );
    }
}
