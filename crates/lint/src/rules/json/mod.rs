//! JSON: problems of the input files themselves. They come from the loader's issues.

super::family! {
    unreadable_file::UNREADABLE_FILE,
    duplicate_key::DUPLICATE_KEY,
    incomplete_paged_export::INCOMPLETE_PAGED_EXPORT,
    depth_truncated_value::DEPTH_TRUNCATED_VALUE,
    conflicting_copies::CONFLICTING_COPIES,
    mixed_tenants::MIXED_TENANTS,
}

use crate::check::{Check, Subject, SubjectKind};
use entralint_parser::{IssueAt, ObjectId, Origin, Pointer};

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
            IssueAt::Pointer(p) => {
                cx.report(Origin::new(issue.file, p.clone()), issue.message.clone())
                    .label(field_label)
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
