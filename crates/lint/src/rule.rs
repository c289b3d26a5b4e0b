//! A rule is data plus a function: metadata, its documentation (the doc comment), what it needs
//! from the export, when it runs, and `check`. The runner reads the declaration: a rule whose
//! input is missing is listed as not evaluated with a reason derived from what it needs, and is
//! not run.

use crate::analysis::{Analysis, Condition};
use crate::check::Check;
use crate::severity::Severity;
use entralint_parser::{IssueKind, Kind};
use std::fmt;

pub struct Rule {
    /// `PIM001`: stable identity, never reused.
    pub code: &'static str,
    /// `activation-mfa-claim-only`: kebab-case, names the problem.
    pub name: &'static str,
    /// Default severity (a rule may raise or lower it per finding, as its docs say).
    pub severity: Severity,
    /// The raw doc comment; its first line is the summary.
    pub docs: &'static str,
    /// `crates/lint/src/rules/…/x.rs:12`, for `explain`.
    pub source: &'static str,
    /// What the rule reads; the first need the export does not meet makes it not evaluated.
    pub needs: &'static [Need],
    /// When the rule runs.
    pub runs: Runs,
    /// For an input-file rule: the loader issue it reports.
    pub issue: Option<IssueKind>,
    pub check: fn(&mut Check<'_>),
}

impl Rule {
    /// Whether the rule judges Conditional Access policies by whom and what they cover, so that
    /// a policy whose references stay unresolved (a name no source knows, a placeholder) cannot
    /// be judged: the runner withholds the rule's findings about that policy and says so. The
    /// input-file rules (JSON) and the rule about dangling ids (HYG002), which read the entries
    /// themselves, are not.
    pub fn judges_policy_scope(&self) -> bool {
        self.needs
            .iter()
            .any(|n| n.is_for(Kind::ConditionalAccessPolicy))
            && !self.code.starts_with("JSON")
            && self.code != "HYG002"
    }
}

/// What a declaration leaves out: no needs, runs on the tenant, reports no loader issue.
pub const DEFAULT: Rule = Rule {
    code: "",
    name: "",
    severity: Severity::Low,
    docs: "",
    source: "",
    needs: &[],
    runs: Runs::OnTenant,
    issue: None,
    check: |_| {},
};

/// When a rule runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runs {
    /// Over the tenant, with the other rules.
    OnTenant,
    /// After every tenant rule, with their findings suppressed: the rules about the settings
    /// themselves (an unused suppression is only known then).
    AfterFindings,
}

/// An input a rule reads.
#[derive(Debug, Clone, Copy)]
pub struct Need {
    input: Input,
    /// Needed only when this holds of the tenant (e.g. some activation requires a context).
    when: Option<Condition>,
    /// What the rule cannot do without it, appended to the reason: "so approvers cannot be
    /// resolved".
    so: Option<&'static str>,
}

#[derive(Debug, Clone, Copy)]
enum Input {
    /// Objects of this kind (an exported empty collection counts: "exported, none exist").
    Kind(Kind),
    /// Objects of at least one of these kinds.
    AnyKind(&'static [Kind]),
    /// The PIM side of the activation chain: role management policies with their rules, and
    /// the assignments that say which role each governs.
    PimPolicies,
    /// The same, a selection of the policies and of their rules enough: for the rules that judge
    /// what a policy's rules require (an authentication context) and never what they lack.
    PimPolicySelection,
    /// Break-glass accounts, declared in entralint.toml or recognisable in the export.
    BreakGlass,
}

impl Need {
    const fn of(input: Input) -> Need {
        Need {
            input,
            when: None,
            so: None,
        }
    }

    /// Objects of `kind`.
    pub const fn kind(kind: Kind) -> Need {
        Need::of(Input::Kind(kind))
    }

    /// Objects of at least one of `kinds`.
    pub const fn any(kinds: &'static [Kind]) -> Need {
        Need::of(Input::AnyKind(kinds))
    }

    /// PIM role management policies, their assignments to roles, and their rules.
    pub const PIM_POLICIES: Need = Need::of(Input::PimPolicies);

    /// PIM role management policies, as [`Need::PIM_POLICIES`], a selection of them enough (a
    /// Terraform configuration writes some rules of some policies).
    pub const PIM_POLICY_SELECTION: Need = Need::of(Input::PimPolicySelection);

    /// Break-glass accounts, declared or recognisable.
    pub const BREAK_GLASS: Need = Need::of(Input::BreakGlass);

    /// Needed only when `condition` holds of the tenant.
    pub const fn when(mut self, condition: Condition) -> Need {
        self.when = Some(condition);
        self
    }

    /// Says what the rule cannot do without the input.
    pub const fn so(mut self, consequence: &'static str) -> Need {
        self.so = Some(consequence);
        self
    }

    /// Whether the need is for objects of `kind` (alone or among others).
    pub fn is_for(&self, kind: Kind) -> bool {
        match self.input {
            Input::Kind(k) => k == kind,
            Input::AnyKind(kinds) => kinds.contains(&kind),
            Input::PimPolicies | Input::PimPolicySelection | Input::BreakGlass => false,
        }
    }

    /// What the need asks of the export, in words (docs and `entralint rules`).
    pub fn describe(&self) -> String {
        let what = match self.input {
            Input::Kind(k) => k.noun().to_owned(),
            Input::AnyKind(kinds) => {
                let nouns: Vec<&str> = kinds.iter().map(|k| k.noun()).collect();
                match nouns.split_last() {
                    Some((last, [])) => (*last).to_owned(),
                    Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                    None => String::new(),
                }
            }
            Input::PimPolicies => {
                "PIM role management policies with their rules and roleManagementPolicyAssignments"
                    .to_owned()
            }
            Input::PimPolicySelection => {
                "PIM role management policies with their rules and roleManagementPolicyAssignments (a selection will do)"
                    .to_owned()
            }
            Input::BreakGlass => {
                "break-glass accounts (declared in entralint.toml, or recognisable)".to_owned()
            }
        };
        match self.when {
            Some(c) => format!("{what}, {}", c.text),
            None => what,
        }
    }

    /// Whether the need holds regardless of the tenant's content.
    pub fn is_unconditional(&self) -> bool {
        self.when.is_none()
    }

    /// The kinds this need is about (empty for break-glass accounts).
    pub fn kinds(&self) -> Vec<Kind> {
        match self.input {
            Input::Kind(k) => vec![k],
            Input::AnyKind(kinds) => kinds.to_vec(),
            Input::PimPolicies | Input::PimPolicySelection => vec![
                Kind::RoleManagementPolicy,
                Kind::RoleManagementPolicyAssignment,
            ],
            Input::BreakGlass => Vec::new(),
        }
    }

    /// Why the rule cannot be evaluated, or `None` when the export meets the need.
    pub fn unmet(&self, a: &Analysis<'_>) -> Option<String> {
        if self.when.is_some_and(|c| !(c.holds)(a)) {
            return None;
        }
        let inventory = &a.tenant.inventory;
        let reason = match self.input {
            Input::Kind(k) if inventory.partial.contains(&k) => {
                format!("only a selection of {} in input", k.noun())
            }
            Input::Kind(k) if !inventory.has(k) => format!("no {} in input", k.noun()),
            Input::AnyKind(kinds) if !kinds.iter().any(|k| inventory.has(*k)) => {
                let nouns: Vec<&str> = kinds.iter().map(|k| k.noun()).collect();
                match nouns.split_last() {
                    Some((last, [])) => format!("no {last} in input"),
                    Some((last, rest)) => format!("no {} or {last} in input", rest.join(", ")),
                    None => return None,
                }
            }
            Input::PimPolicies | Input::PimPolicySelection => {
                let selection = inventory.partial.contains(&Kind::RoleManagementPolicy);
                let has = |k: Kind| inventory.has(k) || inventory.partial.contains(&k);
                if selection && matches!(self.input, Input::PimPolicies) {
                    format!(
                        "only a selection of {} in input",
                        Kind::RoleManagementPolicy.noun()
                    )
                } else if !has(Kind::RoleManagementPolicy) {
                    format!("no {} in input", Kind::RoleManagementPolicy.noun())
                } else if !has(Kind::RoleManagementPolicyAssignment) {
                    format!(
                        "no {} in input, so which role each PIM policy governs is unknown",
                        Kind::RoleManagementPolicyAssignment.noun()
                    )
                } else if !a.chains().is_empty() && a.chains().iter().all(|c| c.rules_missing()) {
                    "the PIM policies in input have no rules (export them with $expand=rules)"
                        .to_owned()
                } else {
                    return None;
                }
            }
            Input::BreakGlass if a.break_glass().is_empty() => {
                "no break-glass accounts declared in entralint.toml and none recognisable"
                    .to_owned()
            }
            _ => return None,
        };
        Some(match self.so {
            Some(so) => format!("{reason}, {so}"),
            None => reason,
        })
    }
}

impl Rule {
    /// The one-line summary (first line of the docs).
    pub fn summary(&self) -> &'static str {
        self.docs.lines().next().unwrap_or_default().trim()
    }
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rule({} {})", self.code, self.name)
    }
}

/// Declares a `static Rule` whose documentation is the doc comment written above it. `needs`,
/// `runs` and `issue` may be left out (see [`DEFAULT`]).
///
/// ```ignore
/// declare_rule! {
///     /// One-line summary.
///     ///
///     /// ## Why is this bad?
///     /// ...
///     pub static SOME_RULE = {
///         code: "PIM001",
///         name: "some-rule",
///         severity: Severity::High,
///         needs: &[Need::PIM_POLICIES, Need::kind(Kind::RoleEligibilitySchedule)],
///         check: check,
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])+ pub static $id:ident = { $($key:ident: $value:expr),+ $(,)? }) => {
        $(#[doc = $doc])+
        pub static $id: $crate::Rule = $crate::Rule {
            docs: concat!($($doc, "\n"),+),
            source: concat!(file!(), ":", line!()),
            $($key: $value,)+
            ..$crate::rule::DEFAULT
        };
    };
}
