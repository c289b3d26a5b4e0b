//! The runner: run the selected rules, resolve every finding to a span, sort and deduplicate.

use crate::analysis::Analysis;
use crate::check::{Check, Finding};
use crate::rules;
use crate::Rule;
use entralint_parser::{FileId, LineCol, Origin, SourceMap, Tenant};
use std::ops::Range;

/// Which rules run: codes or prefixes (`PIM`, `PIM00`, `JSON001`), or `ALL`.
#[derive(Debug, Clone)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            select: vec!["ALL".to_owned()],
            ignore: Vec::new(),
        }
    }
}

impl Selection {
    pub fn enables(&self, code: &str) -> bool {
        self.select.iter().any(|p| matches(p, code))
            && !self.ignore.iter().any(|p| matches(p, code))
    }

    /// Patterns that match no rule (a typo in `--select PIMM`).
    pub fn unknown_patterns(&self) -> Vec<String> {
        self.select
            .iter()
            .chain(&self.ignore)
            .filter(|p| !rules::ALL.iter().any(|r| matches(p, r.code)))
            .cloned()
            .collect()
    }
}

fn matches(pattern: &str, code: &str) -> bool {
    pattern.eq_ignore_ascii_case("ALL")
        || (!pattern.is_empty()
            && code.len() >= pattern.len()
            && code[..pattern.len()].eq_ignore_ascii_case(pattern))
}

/// A finding with its location resolved against the file text.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub finding: Finding,
    pub file: FileId,
    /// The pointer as spelled in the file (nearest existing ancestor when the field is absent).
    pub pointer: String,
    pub span: Range<usize>,
    pub start: LineCol,
    pub related: Vec<ResolvedRelated>,
    /// Stable across re-exports: rule + object identity + pointer relative to the object.
    pub fingerprint: String,
    /// Set when a suppression in the configuration applies: the finding is still reported, marked.
    pub suppressed: Option<Suppressed>,
}

/// The suppression that applies to a finding (`[[suppress]]` in entralint.toml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    pub justification: String,
    /// `YYYY-MM-DD`, if the suppression expires.
    pub expires: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ResolvedRelated {
    pub message: String,
    pub file: FileId,
    pub pointer: String,
    pub span: Range<usize>,
    pub start: LineCol,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotEvaluated {
    pub code: &'static str,
    pub reason: String,
}

#[derive(Debug)]
pub struct Report {
    pub findings: Vec<Resolved>,
    pub not_evaluated: Vec<NotEvaluated>,
    /// The rules that ran, in registry order.
    pub rules: Vec<&'static Rule>,
}

/// Runs the selected rules of the registry over the tenant.
pub fn run(tenant: &Tenant, selection: &Selection) -> Report {
    let selected: Vec<&'static Rule> = rules::ALL
        .iter()
        .copied()
        .filter(|r| selection.enables(r.code))
        .collect();
    run_rules(tenant, &selected)
}

/// Runs exactly these rules (fixtures run one rule alone).
pub fn run_rules(tenant: &Tenant, selected: &[&'static Rule]) -> Report {
    let analysis = Analysis::new(tenant);
    let mut findings = Vec::new();
    let mut not_evaluated = Vec::new();
    for rule in selected {
        let mut cx = Check::new(tenant, &analysis, rule);
        (rule.check)(&mut cx);
        if let Some(reason) = cx.not_evaluated.take() {
            not_evaluated.push(NotEvaluated {
                code: rule.code,
                reason,
            });
        }
        findings.extend(cx.findings);
    }
    let mut resolved: Vec<Resolved> = findings
        .into_iter()
        .map(|f| resolve(&tenant.sources, f))
        .collect();
    resolved.sort_by(|a, b| {
        let path = |r: &Resolved| tenant.sources.path(r.file);
        (path(a), a.span.start, a.finding.code, &a.finding.message)
            .cmp(&(path(b), b.span.start, b.finding.code, &b.finding.message))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
    resolved.dedup_by(|a, b| {
        a.file == b.file
            && a.span == b.span
            && a.finding.code == b.finding.code
            && a.finding.message == b.finding.message
    });
    not_evaluated.sort_by_key(|n| n.code);
    Report {
        findings: resolved,
        not_evaluated,
        rules: selected.to_vec(),
    }
}

fn resolve(sources: &SourceMap, finding: Finding) -> Resolved {
    let (pointer, span) = locate(sources, &finding.at, finding.span.clone());
    let start = sources.line_col(finding.at.file, span.start);
    let related = finding
        .related
        .iter()
        .map(|r| {
            let (pointer, span) = locate(sources, &r.at, r.span.clone());
            ResolvedRelated {
                message: r.message.clone(),
                file: r.at.file,
                start: sources.line_col(r.at.file, span.start),
                pointer,
                span,
            }
        })
        .collect();
    let fingerprint = fingerprint(sources, &finding, &pointer);
    Resolved {
        file: finding.at.file,
        pointer,
        span,
        start,
        related,
        fingerprint,
        finding,
        suppressed: None,
    }
}

/// The span a label goes under: the value when it fits on one line, else its key, else its
/// first character (a missing field points at the object that lacks it).
fn locate(
    sources: &SourceMap,
    at: &Origin,
    explicit: Option<Range<usize>>,
) -> (String, Range<usize>) {
    let text = &sources.file(at.file).text;
    if text.is_empty() {
        return (at.pointer.to_string(), 0..0);
    }
    let s = sources.resolve(at);
    if let Some(span) = explicit {
        return (s.pointer, span);
    }
    let value = &text[s.value.clone()];
    let span = if !value.contains('\n') {
        s.value
    } else if let Some(key) = s.key {
        key
    } else {
        let end = text[s.value.start..]
            .chars()
            .next()
            .map_or(s.value.start, |c| s.value.start + c.len_utf8());
        s.value.start..end
    };
    (s.pointer, span)
}

fn fingerprint(sources: &SourceMap, f: &Finding, pointer: &str) -> String {
    let mut h = Fnv::default();
    h.write(f.code);
    match &f.subject {
        Some(s) if s.kind == "file" => {
            h.write(sources.path(f.at.file));
            h.write(pointer);
            if let Some(span) = &f.span {
                h.write(&span.start.to_string());
            }
        }
        Some(s) => {
            h.write(s.kind);
            h.write(
                s.id.as_deref()
                    .or(s.display_name.as_deref())
                    .unwrap_or_default(),
            );
            // The pointer below the object, without array indices, which re-exports reorder.
            let base = s.origin.pointer.as_str();
            let own = f.at.pointer.as_str();
            let relative = own.strip_prefix(base).unwrap_or(own);
            let stable: Vec<&str> = relative
                .split('/')
                .filter(|t| t.parse::<usize>().is_err())
                .collect();
            h.write(&stable.join("/"));
        }
        None => {
            h.write(sources.path(f.at.file));
            h.write(pointer);
        }
    }
    h.write(f.key.as_deref().unwrap_or_default());
    format!("{:016x}", h.0)
}

/// FNV-1a, 64 bit: a fixed, documented hash, so fingerprints never change between builds.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, s: &str) {
        for b in s.bytes().chain([0xff]) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_by_prefix() {
        let s = Selection {
            select: vec!["PIM".into(), "JSON001".into()],
            ignore: vec!["PIM002".into()],
        };
        assert!(s.enables("PIM001"));
        assert!(!s.enables("PIM002"));
        assert!(s.enables("JSON001"));
        assert!(!s.enables("JSON002"));
        assert_eq!(s.unknown_patterns(), Vec::<String>::new());
        let bad = Selection {
            select: vec!["PIMM".into()],
            ignore: vec![],
        };
        assert_eq!(bad.unknown_patterns(), vec!["PIMM".to_owned()]);
    }

    #[test]
    fn fnv_is_the_published_function() {
        // FNV-1a 64 of "a" is af63dc4c8601ec8c; our writer appends a 0xff separator.
        let mut h = Fnv::default();
        for b in b"a" {
            h.0 ^= u64::from(*b);
            h.0 = h.0.wrapping_mul(0x0100_0000_01b3);
        }
        assert_eq!(format!("{:016x}", h.0), "af63dc4c8601ec8c");
    }
}
