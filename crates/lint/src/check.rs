//! What a rule sees ([`Check`]) and what it produces ([`Finding`]).

use crate::analysis::Analysis;
use crate::config::Config;
use crate::rule::{Rule, Severity};
use entralint_parser::{Origin, Tenant};
use std::ops::Range;

/// The thing a finding is about (a role's PIM policy, a CA policy, a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// `roleManagementPolicy`, `conditionalAccessPolicy`, `file`, ...
    pub kind: &'static str,
    pub id: Option<String>,
    pub display_name: Option<String>,
    /// Where the object starts; the fingerprint uses the finding's pointer relative to it, so it
    /// survives re-exports that reorder files or arrays.
    pub origin: Origin,
}

/// A secondary location: another link of the chain, possibly in another file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub at: Origin,
    pub span: Option<Range<usize>>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// What is wrong, about a named thing; lower-case start, no trailing period.
    pub message: String,
    /// What to do, imperative.
    pub help: Option<String>,
    pub at: Origin,
    /// An explicit span, for findings that are not about a value (a parse error, a duplicate key).
    pub span: Option<Range<usize>>,
    /// The text under the primary caret.
    pub label: Option<String>,
    pub subject: Option<Subject>,
    /// Extra identity for the fingerprint when several findings share one location (the role whose
    /// chain passes through a shared CA policy).
    pub key: Option<String>,
    pub related: Vec<Related>,
}

impl Finding {
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }
    pub fn label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = Some(label.into());
        self
    }
    pub fn severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = severity;
        self
    }
    pub fn span(&mut self, span: Range<usize>) -> &mut Self {
        self.span = Some(span);
        self
    }
    pub fn subject(&mut self, subject: Subject) -> &mut Self {
        self.subject = Some(subject);
        self
    }
    pub fn key(&mut self, key: impl Into<String>) -> &mut Self {
        self.key = Some(key.into());
        self
    }
    pub fn related(&mut self, at: Origin, message: impl Into<String>) -> &mut Self {
        self.related.push(Related {
            at,
            span: None,
            message: message.into(),
        });
        self
    }
    pub fn related_span(
        &mut self,
        at: Origin,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Self {
        self.related.push(Related {
            at,
            span: Some(span),
            message: message.into(),
        });
        self
    }
}

/// The context a rule's `check` runs in.
pub struct Check<'a> {
    pub tenant: &'a Tenant,
    pub config: &'a Config,
    pub analysis: &'a Analysis<'a>,
    rule: &'static Rule,
    pub(crate) findings: Vec<Finding>,
    pub(crate) not_evaluated: Option<String>,
}

impl<'a> Check<'a> {
    pub(crate) fn new(tenant: &'a Tenant, analysis: &'a Analysis<'a>, rule: &'static Rule) -> Self {
        Check {
            tenant,
            config: analysis.config,
            analysis,
            rule,
            findings: Vec::new(),
            not_evaluated: None,
        }
    }

    pub fn rule(&self) -> &'static Rule {
        self.rule
    }

    /// Records a finding at `at`; code, name and default severity come from the running rule.
    pub fn report(&mut self, at: Origin, message: impl Into<String>) -> &mut Finding {
        self.findings.push(Finding {
            code: self.rule.code,
            name: self.rule.name,
            severity: self.rule.severity,
            message: message.into(),
            help: None,
            at,
            span: None,
            label: None,
            subject: None,
            key: None,
            related: Vec::new(),
        });
        self.findings.last_mut().expect("just pushed")
    }

    /// Declares that the rule could not be evaluated because its input is missing. The run lists
    /// the rule under `notEvaluated` with this reason; a missing input is never a pass.
    pub fn not_evaluated(&mut self, reason: impl Into<String>) {
        if self.not_evaluated.is_none() {
            self.not_evaluated = Some(reason.into());
        }
    }
}
