//! One `miette::Diagnostic` for every finding: code and severity, message, help, the primary label,
//! related labels in the same file, and related diagnostics for links in other files.

use crate::run::Resolved;
use crate::source_code::{IndexedSource, MietteSource};
use crate::Severity;
use entralint_parser::SourceMap;
use miette::{Diagnostic, LabeledSpan, SourceCode};
use std::fmt;

pub struct FindingDiagnostic {
    code: String,
    message: String,
    severity: Severity,
    help: Option<String>,
    url: Option<String>,
    source: IndexedSource,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedDiagnostic>,
}

/// A link of the chain that lives in another file.
pub struct RelatedDiagnostic {
    message: String,
    source: IndexedSource,
    span: LabeledSpan,
}

/// Related labels within this many lines of the primary one share its snippet.
const NEAR_LINES: usize = 6;

/// Builds the diagnostic of a resolved finding. `docs_url` is the base URL of docs/rules/.
pub fn diagnostic(r: &Resolved, sources: &SourceMap, docs_url: Option<&str>) -> FindingDiagnostic {
    let f = &r.finding;
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        f.label.clone(),
        r.span.clone(),
    )];
    let mut related = Vec::new();
    for rel in &r.related {
        // A label more than a few lines away would make miette print every line in between.
        let near = rel.file == r.file && rel.start.line.abs_diff(r.start.line) <= NEAR_LINES;
        if near {
            labels.push(LabeledSpan::new_with_span(
                Some(rel.message.clone()),
                rel.span.clone(),
            ));
        } else {
            related.push(RelatedDiagnostic {
                message: rel.message.clone(),
                source: sources.miette_source(rel.file),
                span: LabeledSpan::new_primary_with_span(None, rel.span.clone()),
            });
        }
    }
    FindingDiagnostic {
        code: format!("entralint::{} ({})", f.code, f.severity),
        message: f.message.clone(),
        severity: f.severity,
        help: f
            .help
            .as_ref()
            .map(|h| format!("{h} (entralint explain {})", f.code)),
        url: docs_url.map(|base| format!("{}/{}.md", base.trim_end_matches('/'), f.code)),
        source: sources.miette_source(r.file),
        labels,
        related,
    }
}

impl fmt::Debug for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl fmt::Display for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic {}

impl Diagnostic for FindingDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Critical | Severity::High => miette::Severity::Error,
            Severity::Medium => miette::Severity::Warning,
            Severity::Low => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

impl fmt::Debug for RelatedDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for RelatedDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RelatedDiagnostic {}

impl Diagnostic for RelatedDiagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.span.clone())))
    }
}
