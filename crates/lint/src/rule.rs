//! A rule is data plus a function: metadata, its documentation (the doc comment) and `check`.

use crate::check::Check;
use serde::Serialize;
use std::fmt;

/// How bad a finding is. Ordered: `Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    pub check: fn(&mut Check<'_>),
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

/// Declares a `static Rule` whose documentation is the doc comment written above it.
///
/// ```ignore
/// declare_rule! {
///     /// One-line summary.
///     ///
///     /// ## Why is this bad?
///     /// ...
///     pub static SOME_RULE = { code: "PIM001", name: "some-rule", severity: Severity::High, check: check }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])+ pub static $id:ident = { $($key:ident: $value:expr),+ $(,)? }) => {
        $(#[doc = $doc])+
        pub static $id: $crate::Rule = $crate::Rule {
            docs: concat!($($doc, "\n"),+),
            source: concat!(file!(), ":", line!()),
            $($key: $value),+
        };
    };
}
