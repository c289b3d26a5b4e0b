//! What a rule sees ([`Check`]) and what it produces ([`Finding`]).

use crate::analysis::{Analysis, ChainTarget};
use crate::settings::Settings;
use crate::severity::Severity;
use entralint_parser::{IssueKind, ObjectId, Origin, Tenant};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ops::Range;

/// What kind of thing a finding is about; the JSON report's `object.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SubjectKind {
    ConditionalAccessPolicy,
    RoleManagementPolicy,
    RoleAssignment,
    User,
    AuthenticationContext,
    NamedLocation,
    AuthenticationStrength,
    RoleDefinition,
    RoleManagementPolicyAssignment,
    /// An input file (the JSON rules); its id is the file's path.
    File,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::ConditionalAccessPolicy => "conditionalAccessPolicy",
            SubjectKind::RoleManagementPolicy => "roleManagementPolicy",
            SubjectKind::RoleAssignment => "roleAssignment",
            SubjectKind::User => "user",
            SubjectKind::AuthenticationContext => "authenticationContext",
            SubjectKind::NamedLocation => "namedLocation",
            SubjectKind::AuthenticationStrength => "authenticationStrength",
            SubjectKind::RoleDefinition => "roleDefinition",
            SubjectKind::RoleManagementPolicyAssignment => "roleManagementPolicyAssignment",
            SubjectKind::File => "file",
        }
    }
}

/// The thing a finding is about (a role's PIM policy, a CA policy, a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: Option<ObjectId>,
    pub display_name: Option<String>,
    /// Where the object starts; the fingerprint uses the finding's pointer relative to it, so it
    /// survives re-exports that reorder files or arrays.
    pub origin: Origin,
}

/// What tells apart several findings of one rule about one subject (the excluded user, the role
/// whose chain passes through a shared policy). Fingerprints, suppressions and `entralint chains`
/// each read their own part of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// Another object the finding names: an excluded user or group, a role, a referenced id. A
    /// suppression naming this object applies.
    Object(ObjectId),
    /// A principal's holding of a role. A suppression naming either applies.
    Holding { principal: ObjectId, role: ObjectId },
    /// The activation chain the finding is a link of. A suppression naming the role (or the
    /// group, for PIM for Groups) applies; `entralint chains` lists the finding under it.
    Chain(ChainTarget),
    /// A fixed aspect of the subject (`count`, a profile name, a field). Never an object: a
    /// suppression cannot name it.
    Aspect(Cow<'static, str>),
    /// A suppression of the configuration (CFG rules): its rule and object as written.
    Suppression { rule: &'static str, object: String },
}

impl Key {
    /// The objects a suppression may name to cover the finding (besides its subject).
    pub fn objects(&self) -> Vec<&ObjectId> {
        match self {
            Key::Object(id) => vec![id],
            Key::Holding { principal, role } => vec![principal, role],
            Key::Chain(ChainTarget::Role(role)) => vec![role],
            Key::Chain(ChainTarget::Group { group_id, .. }) => vec![group_id],
            Key::Aspect(_) | Key::Suppression { .. } => Vec::new(),
        }
    }

    /// Whether the finding belongs to the activation chain of `target` in `entralint chains`: a
    /// link of that chain, or a finding about the chain's role itself.
    pub fn concerns_chain(&self, target: &ChainTarget) -> bool {
        match (self, target) {
            (Key::Chain(t), _) => t == target,
            (Key::Object(id), ChainTarget::Role(role)) => id == role,
            _ => false,
        }
    }

    /// The text fingerprints hash: ids lower-case, so that a re-export that changes their case
    /// keeps the fingerprint.
    pub fn fingerprint_text(&self) -> String {
        match self {
            Key::Object(id) => id.to_ascii_lowercase(),
            Key::Holding { principal, role } => format!(
                "{}/{}",
                principal.to_ascii_lowercase(),
                role.to_ascii_lowercase()
            ),
            Key::Chain(ChainTarget::Role(role)) => role.to_ascii_lowercase(),
            Key::Chain(ChainTarget::Group { group_id, access }) => {
                format!("group:{}:{access}", group_id.to_ascii_lowercase())
            }
            Key::Aspect(aspect) => aspect.to_string(),
            Key::Suppression { rule, object } => format!("{rule}/{object}"),
        }
    }
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
    /// What tells this finding apart from others of its rule about the same subject.
    pub key: Option<Key>,
    pub related: Vec<Related>,
    /// About the tenant as a whole (a missing policy, undeclared accounts), not about an object
    /// of one file: a run over some files of a tenant leaves it out.
    pub tenant_wide: bool,
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
    /// Marks the finding as about the tenant as a whole (see [`Finding::tenant_wide`]).
    pub fn about_tenant(&mut self) -> &mut Self {
        self.tenant_wide = true;
        self
    }
    pub fn key(&mut self, key: Key) -> &mut Self {
        self.key = Some(key);
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

/// What the tenant rules produced, for the rules that run after them
/// (`Runs::AfterFindings`).
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// For each suppression of the settings, in order: whether it covered a finding.
    pub suppression_used: Vec<bool>,
    /// The codes of the rules that ran and were evaluated.
    pub evaluated: BTreeSet<&'static str>,
}

/// What a finding takes from the declaration of the rule that reports it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Running {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub issue: Option<IssueKind>,
}

/// The context a rule's `check` runs in.
pub struct Check<'a> {
    pub tenant: &'a Tenant,
    pub settings: &'a Settings,
    pub analysis: &'a Analysis<'a>,
    /// What the tenant rules found; set only for the rules that run after them.
    pub outcome: Option<&'a Outcome>,
    running: Running,
    pub(crate) findings: Vec<Finding>,
    pub(crate) not_evaluated: Option<String>,
}

impl<'a> Check<'a> {
    pub(crate) fn new(
        analysis: &'a Analysis<'a>,
        settings: &'a Settings,
        outcome: Option<&'a Outcome>,
        running: Running,
    ) -> Self {
        Check {
            tenant: analysis.tenant,
            settings,
            analysis,
            outcome,
            running,
            findings: Vec::new(),
            not_evaluated: None,
        }
    }

    /// For an input-file rule: the loader issue its declaration says it reports.
    pub fn issue(&self) -> Option<IssueKind> {
        self.running.issue
    }

    /// Records a finding at `at`; code, name and default severity come from the running rule.
    pub fn report(&mut self, at: Origin, message: impl Into<String>) -> &mut Finding {
        self.findings.push(Finding {
            code: self.running.code,
            name: self.running.name,
            severity: self.running.severity,
            message: message.into(),
            help: None,
            at,
            span: None,
            label: None,
            subject: None,
            key: None,
            related: Vec::new(),
            tenant_wide: false,
        });
        self.findings.last_mut().expect("just pushed")
    }

    /// Where a finding about the tenant as a whole goes: the start of its entralint.toml, else
    /// its root directory as the run named it; `None` when the run knows neither.
    pub fn tenant_location(&self) -> Option<Origin> {
        self.settings
            .file
            .or(self.settings.root)
            .map(|file| Origin::new(file, entralint_parser::Pointer::root()))
    }

    /// Records a finding about the tenant as a whole (an absent policy, undeclared accounts) at
    /// [`Check::tenant_location`], else at `fallback`. It is never located on an arbitrary object
    /// of the export when the tenant's location is known, and a run over some of the tenant's
    /// files leaves it out.
    pub fn report_tenant(&mut self, fallback: Origin, message: impl Into<String>) -> &mut Finding {
        let at = self.tenant_location();
        let known = at.is_some();
        let f = self.report(at.unwrap_or(fallback), message);
        if known {
            f.span = Some(0..0);
        }
        f.tenant_wide = true;
        f
    }

    /// Declares that the rule could not be evaluated, or not for some object, because its input
    /// is missing. The run lists the rule under `notEvaluated` with this reason (distinct reasons
    /// given by one run joined with `; `); a missing input is never a pass.
    pub fn not_evaluated(&mut self, reason: impl Into<String>) {
        let reason = reason.into();
        match &mut self.not_evaluated {
            None => self.not_evaluated = Some(reason),
            Some(given) if given.split("; ").any(|r| r == reason) => {}
            Some(given) => {
                given.push_str("; ");
                given.push_str(&reason);
            }
        }
    }
}
