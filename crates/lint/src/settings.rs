//! Settings: what the export cannot tell (the tenant's facts) and how this run goes (its policy).
//! Plain data, read by the analysis and the runner. The `config_file` module turns entralint.toml
//! into settings; `Settings::default()` is "no configuration file".

use crate::severity::Severity;
use entralint_parser::FileId;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub tenant: TenantFacts,
    pub run: RunPolicy,
    /// Where the settings were read from, as a source of the tenant: findings about the
    /// settings (CFG001, CFG002, a missing break-glass declaration) point into it.
    pub file: Option<FileId>,
    /// A source (without text) standing for the tenant's root directory, where findings about the
    /// tenant as a whole go when it has no entralint.toml.
    pub root: Option<FileId>,
}

/// No settings file at all (`--isolated`, or no entralint.toml found).
pub static NONE: Settings = Settings {
    tenant: TenantFacts {
        break_glass: Vec::new(),
        service: Vec::new(),
        admin_profile: None,
        imports: Vec::new(),
    },
    run: RunPolicy {
        select: None,
        ignore: Vec::new(),
        fail_on: None,
        severity: BTreeMap::new(),
        suppressions: Vec::new(),
        today: None,
    },
    file: None,
    root: None,
};

/// Facts about the tenant that its export cannot tell.
#[derive(Debug, Clone, Default)]
pub struct TenantFacts {
    /// Emergency access accounts. Empty: the analysis infers candidates, and says so.
    pub break_glass: Vec<Account>,
    /// Non-interactive accounts that policies exclude on purpose.
    pub service: Vec<Account>,
    /// Which directory roles count as administrative; `None` lets each rule use its default.
    pub admin_profile: Option<AdminProfile>,
    /// Other tools' files that declare break-glass accounts; the command line reads them into
    /// `break_glass`.
    pub imports: Vec<Import>,
}

/// A tool whose file can declare break-glass accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportTool {
    Maester,
    EasyPim,
    ScubaGear,
}

impl ImportTool {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportTool::Maester => "maester",
            ImportTool::EasyPim => "easypim",
            ImportTool::ScubaGear => "scubagear",
        }
    }

    /// Where in the file the accounts are, for messages.
    pub fn field(self) -> &'static str {
        match self {
            ImportTool::Maester => "GlobalSettings.EmergencyAccessAccounts",
            ImportTool::EasyPim => "ProtectedUsers",
            ImportTool::ScubaGear => "Aad: <policy>: CapExclusions or RoleExclusions",
        }
    }
}

/// A file of another tool that declares break-glass accounts (`[accounts] import`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub tool: ImportTool,
    /// As written: relative to the directory of entralint.toml.
    pub path: String,
    /// Span of the entry in the settings file.
    pub span: Range<usize>,
}

/// Which rules run, how severe their findings are, which findings are accepted, and the date.
#[derive(Debug, Clone, Default)]
pub struct RunPolicy {
    /// Codes or prefixes to run (upper-case); `None` means all.
    pub select: Option<Vec<String>>,
    /// Codes or prefixes not to run (upper-case).
    pub ignore: Vec<String>,
    /// The lowest severity that fails the run.
    pub fail_on: Option<Severity>,
    /// Per-code severity; `None` turns the rule off.
    pub severity: BTreeMap<&'static str, Option<Severity>>,
    pub suppressions: Vec<Suppression>,
    /// The date suppressions expire against (`--today`, else the system date).
    pub today: Option<Date>,
}

impl RunPolicy {
    /// Whether the rule with this code runs: selected (all by default), not ignored, not `off`.
    pub fn enables(&self, code: &str) -> bool {
        let selected = match &self.select {
            Some(select) => select.iter().any(|p| pattern_matches(p, code)),
            None => true,
        };
        selected
            && !self.ignore.iter().any(|p| pattern_matches(p, code))
            && self.severity.get(code) != Some(&None)
    }

    /// The severity a finding of `code` is reported with.
    pub fn severity_of(&self, code: &str, default: Severity) -> Severity {
        match self.severity.get(code) {
            Some(Some(severity)) => *severity,
            _ => default,
        }
    }

    /// The command line's choice: `--select` replaces the file's selection, `--ignore` adds to
    /// its exclusions.
    pub fn select_from_command_line(&mut self, select: &[String], ignore: &[String]) {
        if !select.is_empty() {
            self.select = Some(select.iter().map(|p| p.to_ascii_uppercase()).collect());
        }
        self.ignore
            .extend(ignore.iter().map(|p| p.to_ascii_uppercase()));
    }

    /// Whether a suppression has expired on the run's date.
    pub fn is_expired(&self, s: &Suppression) -> bool {
        matches!((s.expires, self.today), (Some(expires), Some(today)) if expires < today)
    }
}

/// Whether `pattern` (a code, a code prefix such as `PIM`, or `ALL`) matches `code`, ignoring
/// case.
pub fn pattern_matches(pattern: &str, code: &str) -> bool {
    pattern.eq_ignore_ascii_case("ALL")
        || (!pattern.is_empty()
            && code.len() >= pattern.len()
            && code[..pattern.len()].eq_ignore_ascii_case(pattern))
}

/// An account (or a group of accounts) the settings name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub kind: AccountKind,
    pub value: String,
    pub note: Option<String>,
    /// Span of the entry in the settings file.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    ObjectId,
    Upn,
    GroupId,
    /// A group by display name, for policies that name groups rather than giving their ids.
    GroupName,
    /// A user or group by Terraform address (`azuread_group.breakglass`), for plans and
    /// configurations whose policies refer to an object Terraform creates.
    Terraform,
}

/// Which directory roles count as administrative for the admin-coverage rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminProfile {
    /// The nine roles of Secure Score's "Require MFA for administrative roles".
    SecureScore,
    /// The fourteen roles of Microsoft's "Require MFA for administrators" template.
    Microsoft14,
    /// The eight highly privileged roles of CISA's baseline, as ScubaGear checks them.
    Cisa8,
    /// Roles with `isPrivileged` in the exported definitions, else Microsoft's privileged list.
    Privileged,
}

impl AdminProfile {
    pub const ALL: [AdminProfile; 4] = [
        AdminProfile::SecureScore,
        AdminProfile::Microsoft14,
        AdminProfile::Cisa8,
        AdminProfile::Privileged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AdminProfile::SecureScore => "secure-score",
            AdminProfile::Microsoft14 => "microsoft-14",
            AdminProfile::Cisa8 => "cisa-8",
            AdminProfile::Privileged => "privileged",
        }
    }

    pub fn parse(s: &str) -> Option<AdminProfile> {
        AdminProfile::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// A finding the team has accepted, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The rule's code, as the registry spells it.
    pub rule: &'static str,
    /// The id of the object the finding is about.
    pub object: String,
    pub justification: String,
    pub expires: Option<Date>,
    /// Span of the entry (for `[[suppress]]` tables, their header).
    pub span: Range<usize>,
    /// Span of the `object` value.
    pub object_span: Range<usize>,
    /// Span of the `expires` value, if any.
    pub expires_span: Option<Range<usize>>,
}

/// A calendar date (`YYYY-MM-DD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// The date of a Unix timestamp (UTC), by the civil-from-days algorithm.
    pub fn from_unix_seconds(secs: i64) -> Date {
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_by_prefix() {
        let mut run = RunPolicy {
            select: Some(vec!["PIM".into(), "JSON001".into()]),
            ignore: vec!["PIM002".into()],
            ..Default::default()
        };
        run.severity.insert("PIM003", None);
        assert!(run.enables("PIM001"));
        assert!(!run.enables("PIM002"));
        assert!(!run.enables("PIM003"), "severity off");
        assert!(run.enables("JSON001"));
        assert!(!run.enables("JSON002"));
        run.select_from_command_line(&["json".into()], &["pim001".into()]);
        assert!(run.enables("JSON002") && !run.enables("PIM001"));
        assert!(pattern_matches("pim", "PIM001") && !pattern_matches("PIMM", "PIM001"));
    }

    #[test]
    fn dates() {
        assert_eq!(Date::from_unix_seconds(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_unix_seconds(1_795_315_200).to_string(),
            "2026-11-22"
        );
        assert!(Date::parse("2027-02-29").is_none());
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("2027-01-31").unwrap() < Date::parse("2027-02-01").unwrap());
    }
}
