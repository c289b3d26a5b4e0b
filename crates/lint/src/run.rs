//! The runner: the one place that decides which rules run, lists those whose input is missing
//! as not evaluated, runs the rest, resolves every finding to a span, applies the settings'
//! severities and suppressions, then runs the rules about the settings themselves, and sorts and
//! deduplicates the result.

use crate::analysis::Analysis;
use crate::check::{Check, Finding, Key, Outcome, Running, SubjectKind};
use crate::rule::Runs;
use crate::rules;
use crate::settings::{pattern_matches, Settings};
use crate::Rule;
use entralint_parser::{FileId, IssueAt, IssueKind, LineCol, ObjectId, Origin, SourceMap, Tenant};
use std::ops::Range;

/// Whether `pattern` (a code, a prefix or `ALL`) matches any rule.
pub fn is_known_pattern(pattern: &str) -> bool {
    rules::ALL.iter().any(|r| pattern_matches(pattern, r.code))
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

/// Runs the rules the settings enable over the tenant.
pub fn run(tenant: &Tenant, settings: &Settings) -> Report {
    let selected: Vec<&'static Rule> = rules::ALL
        .iter()
        .copied()
        .filter(|r| settings.run.enables(r.code))
        .collect();
    run_rules(tenant, settings, &selected)
}

/// Runs exactly these rules (a fixture runs its rule alone): first the rules over the tenant,
/// then, with their findings suppressed, the rules about the settings.
pub fn run_rules(tenant: &Tenant, settings: &Settings, selected: &[&'static Rule]) -> Report {
    // The rules read the policies with the names they hold replaced by the ids they name.
    let (tenant, symbols) = crate::symbols::resolve(tenant, &settings.tenant);
    let tenant: &Tenant = &tenant;
    let analysis = Analysis::new(tenant, settings).with_symbols(symbols);
    let mut not_evaluated = Vec::new();
    let mut outcome = Outcome::default();
    let mut resolved = Vec::new();
    // The Graph schema check, the longest analysis, runs on its own thread beside the other
    // rules, and the rules that report what it finds run last (the report is sorted). The
    // findings of the other rules are located while it runs.
    let (schema_rules, others): (Vec<&'static Rule>, Vec<&'static Rule>) = selected
        .iter()
        .filter(|r| r.runs == Runs::OnTenant)
        .partition(|r| crate::rules::json::reports_graph_schema(r));
    std::thread::scope(|scope| {
        if !schema_rules.is_empty() {
            let (send, receive) = std::sync::mpsc::channel();
            scope.spawn(move || send.send(crate::analysis::graph_schema::check(tenant)));
            analysis.receive_graph_schema(receive);
        }
        for rules in [others, schema_rules] {
            let mut findings = Vec::new();
            for rule in rules {
                findings.extend(check(&analysis, settings, None, rule, &mut not_evaluated));
                if !not_evaluated
                    .iter()
                    .any(|n: &NotEvaluated| n.code == rule.code)
                {
                    outcome.evaluated.insert(rule.code);
                }
            }
            resolved.extend(resolve_all(tenant, settings, findings));
        }
    });
    outcome.suppression_used = suppress(&mut resolved, settings);
    for rule in selected.iter().filter(|r| r.runs == Runs::AfterFindings) {
        let found = check(
            &analysis,
            settings,
            Some(&outcome),
            rule,
            &mut not_evaluated,
        );
        resolved.extend(resolve_all(tenant, settings, found));
    }
    sort_and_dedup(tenant, &mut resolved);
    not_evaluated.sort_by_key(|n| n.code);
    Report {
        findings: resolved,
        not_evaluated,
        rules: selected.to_vec(),
    }
}

/// Runs one rule, unless the export lacks what it needs: then it is listed as not evaluated with
/// the reason its declaration gives, and not run.
fn check<'a>(
    analysis: &'a Analysis<'a>,
    settings: &'a Settings,
    outcome: Option<&'a Outcome>,
    rule: &'static Rule,
    not_evaluated: &mut Vec<NotEvaluated>,
) -> Vec<Finding> {
    if let Some(reason) = rule.needs.iter().find_map(|n| n.unmet(analysis)) {
        not_evaluated.push(NotEvaluated {
            code: rule.code,
            reason,
        });
        return Vec::new();
    }
    let running = Running {
        code: rule.code,
        name: rule.name,
        severity: rule.severity,
        issue: rule.issue,
    };
    let mut cx = Check::new(analysis, settings, outcome, running);
    (rule.check)(&mut cx);
    if rule.judges_policy_scope() {
        withhold_unresolved(analysis, rule, &mut cx.findings, not_evaluated);
    }
    if let Some(reason) = cx.not_evaluated.take() {
        not_evaluated.push(NotEvaluated {
            code: rule.code,
            reason,
        });
    }
    cx.findings
}

/// A policy holding a reference no source resolves, or a value its snapshot lost, cannot be
/// judged by whom or what it covers: the rule's findings about it are withheld, and the rule is
/// listed as not evaluated for it (the references and values themselves are JSON012's and
/// JSON013's findings).
fn withhold_unresolved(
    analysis: &Analysis<'_>,
    rule: &'static Rule,
    findings: &mut Vec<Finding>,
    not_evaluated: &mut Vec<NotEvaluated>,
) {
    let policies = &analysis.tenant.conditional_access;
    let unresolved: std::collections::BTreeSet<usize> = analysis
        .symbols()
        .unresolved
        .iter()
        .map(|u| u.policy)
        .collect();
    let lossy = lossy_policies(analysis.tenant);
    if unresolved.is_empty() && lossy.is_empty() {
        return;
    }
    let origins: std::collections::HashSet<&Origin> = unresolved
        .iter()
        .chain(&lossy)
        .map(|&i| &policies[i].origin)
        .collect();
    findings.retain(|f| {
        !f.subject.as_ref().is_some_and(|s| {
            s.kind == SubjectKind::ConditionalAccessPolicy && origins.contains(&s.origin)
        })
    });
    let which = |set: &std::collections::BTreeSet<usize>| {
        let names: Vec<String> = set
            .iter()
            .map(|&i| {
                let p = &policies[i];
                let name = p
                    .display_name
                    .as_deref()
                    .or(p.id.as_deref())
                    .unwrap_or("(unnamed)");
                format!("'{name}'")
            })
            .collect();
        match names.len() {
            1 => format!("policy {}", names[0]),
            n => format!("{n} policies: {}", crate::rules::shared::first_of(names, n)),
        }
    };
    if !unresolved.is_empty() {
        not_evaluated.push(NotEvaluated {
            code: rule.code,
            reason: format!(
                "not judged for {}, whose references are not ids and could not be resolved (JSON012)",
                which(&unresolved)
            ),
        });
    }
    let lossy: std::collections::BTreeSet<usize> = lossy.difference(&unresolved).copied().collect();
    if !lossy.is_empty() {
        not_evaluated.push(NotEvaluated {
            code: rule.code,
            reason: format!(
                "not judged for {}, part of whose content the snapshot lost (JSON013)",
                which(&lossy)
            ),
        });
    }
}

/// The policies (by position) holding a value whose content the export's encoding lost.
fn lossy_policies(tenant: &Tenant) -> std::collections::BTreeSet<usize> {
    let lost: Vec<(FileId, &entralint_parser::Pointer)> = tenant
        .issues
        .iter()
        .filter(|i| i.kind == IssueKind::Lossy)
        .filter_map(|i| match &i.at {
            IssueAt::Pointer(p) => Some((i.file, p)),
            _ => None,
        })
        .collect();
    if lost.is_empty() {
        return Default::default();
    }
    tenant
        .conditional_access
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            lost.iter()
                .any(|(file, at)| *file == p.origin.file && at.starts_with(&p.origin.pointer))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Locates findings in their files, with the severity the settings give their rule.
fn resolve_all(tenant: &Tenant, settings: &Settings, findings: Vec<Finding>) -> Vec<Resolved> {
    findings
        .into_iter()
        .map(|mut f| {
            f.severity = settings.run.severity_of(f.code, f.severity);
            resolve(&tenant.sources, f)
        })
        .collect()
}

/// The order of the report: file, offset, code, message; one finding per fault.
fn sort_and_dedup(tenant: &Tenant, resolved: &mut Vec<Resolved>) {
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
}

/// Marks the findings a suppression covers; returns which suppressions covered something.
fn suppress(findings: &mut [Resolved], settings: &Settings) -> Vec<bool> {
    let run = &settings.run;
    let mut used = vec![false; run.suppressions.len()];
    for r in findings.iter_mut() {
        let f = &r.finding;
        // The objects a suppression may name: the subject, and the objects of the finding's key
        // (never a fixed aspect such as `count`).
        let ids: Vec<&ObjectId> = f
            .subject
            .iter()
            .filter_map(|s| s.id.as_ref())
            .chain(f.key.iter().flat_map(Key::objects))
            .collect();
        let hit = run.suppressions.iter().enumerate().find(|(_, s)| {
            s.rule == f.code && !run.is_expired(s) && ids.iter().any(|id| **id == *s.object)
        });
        if let Some((i, s)) = hit {
            used[i] = true;
            r.suppressed = Some(Suppressed {
                justification: s.justification.clone(),
                expires: s.expires.map(|d| d.to_string()),
            });
        }
    }
    used
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

/// The finding's fingerprint, which a baseline records. A finding about a file (or about no object)
/// hashes the file's path inside the export ([`SourceMap::path_inside`]), never the path as the
/// run was started, so that `check t` and `cd t && check .` agree.
fn fingerprint(sources: &SourceMap, f: &Finding, pointer: &str) -> String {
    let mut h = Fnv::default();
    h.write(f.code);
    match &f.subject {
        Some(s) if s.kind == SubjectKind::File => {
            h.write(sources.path_inside(f.at.file));
            h.write(pointer);
            if let Some(span) = &f.span {
                h.write(&span.start.to_string());
            }
        }
        Some(s) => {
            h.write(s.kind.as_str());
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
            h.write(sources.path_inside(f.at.file));
            h.write(pointer);
        }
    }
    h.write(
        &f.key
            .as_ref()
            .map(Key::fingerprint_text)
            .unwrap_or_default(),
    );
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
    /// FNV-1a over `bytes`.
    fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// One field of a fingerprint: its bytes, then a 0xff separator (a byte UTF-8 never holds),
    /// so that `("ab", "c")` and `("a", "bc")` hash apart.
    fn write(&mut self, s: &str) {
        self.bytes(s.as_bytes());
        self.bytes(&[0xff]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A suppression names an object; a fixed aspect of a finding (BG005's `count`) is not one.
    /// Before keys were typed, `object = "count"` silenced BG005 on every policy and CFG002 said
    /// nothing.
    #[test]
    fn a_suppression_cannot_name_a_fixed_aspect() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/BG005/fail_too_many_exclusions");
        let export = std::fs::read(dir.join("export.json")).unwrap();
        let accounts = std::fs::read_to_string(dir.join("entralint.toml")).unwrap();
        let toml = format!(
            "{accounts}\n[[suppress]]\nrule = \"BG005\"\nobject = \"count\"\njustification = \"reviewed\"\n"
        );
        let mut tenant = entralint_parser::load([entralint_parser::Input::new(
            "export.json".to_owned(),
            Ok(export),
        )]);
        let mut settings = crate::config_file::parse(&toml).unwrap();
        settings.file = Some(tenant.sources.add(
            "entralint.toml".to_owned(),
            toml.clone(),
            Some(entralint_parser::Encoding::Utf8),
            0,
        ));
        let selected = [
            &crate::rules::bg::EXCLUSION_SPRAWL,
            &crate::rules::cfg::UNUSED_SUPPRESSION,
        ];
        let report = run_rules(&tenant, &settings, &selected);
        let sprawl: Vec<&Resolved> = report
            .findings
            .iter()
            .filter(|r| r.finding.code == "BG005")
            .collect();
        assert!(
            sprawl
                .iter()
                .any(|r| r.finding.message.contains("excludes 11 users")),
            "the fixture reports the exclusion count"
        );
        assert!(
            sprawl.iter().all(|r| r.suppressed.is_none()),
            "`object = \"count\"` suppressed a finding"
        );
        let unused: Vec<&Resolved> = report
            .findings
            .iter()
            .filter(|r| r.finding.code == "CFG002")
            .collect();
        assert_eq!(
            unused.len(),
            1,
            "CFG002 reports the suppression that matched nothing"
        );
        assert!(unused[0].finding.message.contains("`count`"));
    }

    #[test]
    fn fnv_is_the_published_function() {
        // Test vectors of the FNV-1a 64-bit reference (IETF draft-eastlake-fnv, and
        // http://www.isthe.com/chongo/tech/comp/fnv/).
        for (input, expected) in [
            ("", 0xcbf2_9ce4_8422_2325_u64),
            ("a", 0xaf63_dc4c_8601_ec8c),
            ("foobar", 0x8594_4171_f739_67e8),
        ] {
            let mut h = Fnv::default();
            h.bytes(input.as_bytes());
            assert_eq!(h.0, expected, "FNV-1a 64 of {input:?}");
        }
        let (mut ab_c, mut a_bc) = (Fnv::default(), Fnv::default());
        ab_c.write("ab");
        ab_c.write("c");
        a_bc.write("a");
        a_bc.write("bc");
        assert_ne!(ab_c.0, a_bc.0, "fields are separated");
    }
}
