//! JSON: problems of the input files themselves. They come from the loader's issues.

super::family! {
    unreadable_file::UNREADABLE_FILE,
    duplicate_key::DUPLICATE_KEY,
    incomplete_paged_export::INCOMPLETE_PAGED_EXPORT,
    depth_truncated_value::DEPTH_TRUNCATED_VALUE,
    conflicting_copies::CONFLICTING_COPIES,
    mixed_tenants::MIXED_TENANTS,
    unknown_enum_value::UNKNOWN_ENUM_VALUE,
    unknown_property::UNKNOWN_PROPERTY,
    stringified_value::STRINGIFIED_VALUE,
    foreign_shape::FOREIGN_SHAPE,
    unresolved_reference::UNRESOLVED_REFERENCE,
    lossy_snapshot::LOSSY_SNAPSHOT,
}

use crate::analysis::graph_schema::{GraphObject, Problem, SchemaFinding, PER_OBJECT};
use crate::check::{Check, Subject, SubjectKind};
use crate::rule::Need;
use entralint_parser::{IssueAt, Kind, ObjectId, Origin, Pointer};

/// Reports every load issue of the kind the running rule declares, at its location. `label` goes
/// under the position of a parse error or the offending value.
fn report_issues(cx: &mut Check<'_>, label: &str, help: &str) {
    report_issues_with(cx, label, label, help);
}

/// [`report_issues`], with `field_label` under a value of the wrong type.
fn report_issues_with(cx: &mut Check<'_>, label: &str, field_label: &str, help: &str) {
    let Some(kind) = cx.issue() else {
        return;
    };
    let tenant = cx.tenant;
    let mut repeats = std::collections::BTreeMap::new();
    for issue in tenant.issues.iter().filter(|i| i.kind == kind) {
        let path = tenant.sources.path(issue.file).to_owned();
        let subject = Subject {
            kind: SubjectKind::File,
            id: Some(ObjectId::new(&path)),
            display_name: Some(path),
            origin: Origin::new(issue.file, Pointer::root()),
        };
        match &issue.at {
            IssueAt::Offset(offset) => {
                let end = next_char_end(&tenant.sources.file(issue.file).text, *offset);
                cx.report(
                    Origin::new(issue.file, Pointer::root()),
                    issue.message.clone(),
                )
                .span(*offset..end)
                .label(label)
                .help(help)
                .subject(subject);
            }
            IssueAt::Lenient(offset) => {
                let end = next_char_end(&tenant.sources.file(issue.file).text, *offset);
                cx.report(
                    Origin::new(issue.file, Pointer::root()),
                    issue.message.clone(),
                )
                .span(*offset..end)
                // The file was read whole: what is left to fix is its strictness.
                .severity(crate::Severity::Low)
                .label("read as if this were not there")
                .help("remove it, or export again without editing the file")
                .subject(subject);
            }
            IssueAt::Pointer(p) => {
                cx.report(Origin::new(issue.file, p.clone()), issue.message.clone())
                    .label(issue.label.as_deref().unwrap_or(field_label))
                    .help(help)
                    .subject(subject);
            }
            IssueAt::DuplicateKey { parent, key } => {
                // The n-th repetition of a key points at its (n+1)-th occurrence.
                let n = repeats
                    .entry((issue.file, parent.clone(), key.clone()))
                    .or_insert(0usize);
                *n += 1;
                let spans = tenant.sources.key_occurrences(issue.file, parent, key);
                let origin = Origin::new(issue.file, parent.child(key));
                let f = cx.report(origin.clone(), issue.message.clone());
                f.label(label).help(help).subject(subject);
                if let (Some(first), Some(this)) = (spans.first(), spans.get(*n)) {
                    f.span(this.clone())
                        .related_span(origin, first.clone(), "first defined here");
                }
            }
        }
    }
}

/// The end of the character at `offset` (an empty file gives an empty span).
fn next_char_end(text: &str, offset: usize) -> usize {
    text[offset.min(text.len())..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8())
}

/// Whether a rule reports what the Graph schema check finds (the runner starts the check on its
/// own thread for them).
pub(crate) fn reports_graph_schema(rule: &crate::Rule) -> bool {
    [
        &unknown_enum_value::UNKNOWN_ENUM_VALUE,
        &unknown_property::UNKNOWN_PROPERTY,
        &stringified_value::STRINGIFIED_VALUE,
    ]
    .iter()
    .any(|r| std::ptr::eq(*r, rule))
}

/// The kinds whose objects are checked against Graph's schemas: policies and what they are made
/// of, roles and who holds them (not users, groups or registration records).
const POLICY_LIKE: Need = Need::any(&[
    Kind::ConditionalAccessPolicy,
    Kind::NamedLocation,
    Kind::AuthenticationContext,
    Kind::AuthenticationStrength,
    Kind::RoleDefinition,
    Kind::RoleAssignment,
    Kind::RoleAssignmentSchedule,
    Kind::RoleEligibilitySchedule,
    Kind::RoleManagementPolicy,
    Kind::RoleManagementPolicyAssignment,
]);

/// The object a schema finding is about, in words: ``CA policy `CA001` ``, ``rule
/// `Expiration_EndUser_Assignment` of PIM policy `DirectoryRole_…` ``.
fn describe(o: &GraphObject) -> String {
    let noun = match o.kind {
        Kind::ConditionalAccessPolicy => "CA policy",
        Kind::NamedLocation => "named location",
        Kind::AuthenticationContext => "authentication context",
        Kind::AuthenticationStrength => "authentication strength",
        Kind::RoleDefinition => "role definition",
        Kind::RoleAssignment => "role assignment",
        Kind::RoleAssignmentSchedule => "role assignment schedule",
        Kind::RoleEligibilitySchedule => "role eligibility",
        Kind::RoleManagementPolicy => "PIM policy",
        Kind::RoleManagementPolicyAssignment => "PIM policy assignment",
        _ => "object",
    };
    let name = o.display_name.as_deref().or(o.id.as_deref());
    let object = match name {
        Some(name) => format!("{noun} `{name}`"),
        None => format!("a {noun} without id"),
    };
    match &o.rule {
        Some(rule) => format!("rule `{rule}` of {object}"),
        None => object,
    }
}

/// The subject of a schema finding: the object, else its file.
fn schema_subject(cx: &Check<'_>, o: &GraphObject) -> Subject {
    let kind = match o.kind {
        Kind::ConditionalAccessPolicy => SubjectKind::ConditionalAccessPolicy,
        Kind::NamedLocation => SubjectKind::NamedLocation,
        Kind::AuthenticationContext => SubjectKind::AuthenticationContext,
        Kind::AuthenticationStrength => SubjectKind::AuthenticationStrength,
        Kind::RoleDefinition => SubjectKind::RoleDefinition,
        Kind::RoleAssignment | Kind::RoleAssignmentSchedule | Kind::RoleEligibilitySchedule => {
            SubjectKind::RoleAssignment
        }
        Kind::RoleManagementPolicy => SubjectKind::RoleManagementPolicy,
        Kind::RoleManagementPolicyAssignment => SubjectKind::RoleManagementPolicyAssignment,
        _ => SubjectKind::File,
    };
    if kind == SubjectKind::File || (o.id.is_none() && o.display_name.is_none()) {
        let path = cx.tenant.sources.path(o.origin.file).to_owned();
        return Subject {
            kind: SubjectKind::File,
            id: Some(ObjectId::new(&path)),
            display_name: Some(path),
            origin: Origin::new(o.origin.file, Pointer::root()),
        };
    }
    Subject {
        kind,
        id: o.id.clone(),
        display_name: o.display_name.clone(),
        origin: o.origin.clone(),
    }
}

/// Reports the schema findings `pick` selects, one by one up to [`PER_OBJECT`] per object; the
/// rest of an object's are counted in one finding at the object, which `more` words ("4 more
/// values ...").
fn report_schema_findings(
    cx: &mut Check<'_>,
    pick: impl Fn(&Problem) -> bool,
    mut each: impl FnMut(&mut Check<'_>, &SchemaFinding, &GraphObject),
    more: impl Fn(usize, &str) -> String,
) {
    let facts = cx.analysis.graph_schema();
    let mut shown: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    let mut extra: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for f in facts.findings.iter().filter(|f| pick(&f.problem)) {
        let n = shown.entry(f.object).or_default();
        if *n < PER_OBJECT {
            *n += 1;
            each(cx, f, &facts.objects[f.object]);
        } else {
            *extra.entry(f.object).or_default() += 1;
        }
    }
    for (object, n) in extra {
        let o = &facts.objects[object];
        let subject = schema_subject(cx, o);
        cx.report(o.origin.clone(), more(n, &describe(o)))
            .label(format!("{n} more here"))
            .help("fix the findings above, then run entralint again to see the rest")
            .key(crate::check::Key::Aspect("more".into()))
            .subject(subject);
    }
}

/// At most `max` characters of `s`, an ellipsis marking the cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}
