//! entralint-lint: the numbered rules, the analysis they share, and the runner.
//!
//! A rule is a `static Rule` declared with [`declare_rule!`]: metadata, its documentation (the doc
//! comment, the only prose about the rule) and a `check` function that reads the
//! [`Tenant`](entralint_parser::Tenant) and the shared [`Analysis`](analysis::Analysis) and reports
//! findings at [`Origin`](entralint_parser::Origin)s. The registry is [`rules::ALL`]. This crate does
//! no I/O and knows no terminal.

pub mod analysis;
pub mod chains;
mod check;
pub mod config_file;
pub mod config_imports;
pub mod coverage;
pub mod diagnostic;
pub mod diff;
pub mod docs;
pub mod rule;
pub mod rules;
mod run;
pub mod settings;
mod severity;
pub mod source_code;
pub mod symbols;
pub mod whatif;

pub use check::{Check, Finding, Key, Outcome, Related, Subject, SubjectKind};
pub use rule::{Need, Rule, Runs};
pub use run::{
    is_known_pattern, run, run_rules, NotEvaluated, Report, Resolved, ResolvedRelated, Suppressed,
};
pub use settings::Settings;
pub use severity::Severity;
pub use source_code::{IndexedSource, MietteSource};

/// What a rule module needs.
pub mod prelude {
    pub use crate::analysis::{
        Analysis, ChainTarget, Requirement, RoleChain, ACTIVATION_REQUIRES_CONTEXT,
        POLICIES_EXCLUDE_GROUPS, PRIVILEGED_GROUP_CHAINS,
    };
    pub use crate::check::{Check, Finding, Key, Subject, SubjectKind};
    pub use crate::declare_rule;
    pub use crate::rule::{Need, Rule, Runs};
    pub use crate::severity::Severity;
    pub use entralint_parser::model::MembershipKind;
    pub use entralint_parser::{IssueKind, Kind, ObjectId, Origin, Pointer, Tenant};
}
