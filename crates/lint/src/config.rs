//! `entralint.toml`: what the export cannot tell (break-glass and service accounts, the admin role
//! profile), rule selection and severities, and suppressions. Parsed from text (the CLI reads the
//! file) and validated once, before any rule runs; every error carries the span it is about.

use crate::rules;
use crate::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// The validated configuration. `Config::default()` is "no configuration file".
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub break_glass: Vec<Account>,
    pub service: Vec<Account>,
    pub admin_profile: Option<AdminProfile>,
    /// Codes or prefixes to run; `None` means all.
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub fail_on: Option<Severity>,
    /// Per-code severity; `None` turns the rule off.
    pub severity: BTreeMap<String, Option<Severity>>,
    pub suppressions: Vec<Suppression>,
    /// The date suppressions expire against (`--today`, else the system date).
    pub today: Option<Date>,
    /// Where the configuration came from, for findings about it (CFG001, CFG002).
    pub file: Option<entralint_parser::FileId>,
}

/// No configuration at all (`--isolated`, or no entralint.toml found).
pub static NO_CONFIG: Config = Config {
    break_glass: Vec::new(),
    service: Vec::new(),
    admin_profile: None,
    select: None,
    ignore: Vec::new(),
    fail_on: None,
    severity: BTreeMap::new(),
    suppressions: Vec::new(),
    today: None,
    file: None,
};

/// An account (or a group of accounts) the configuration names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub kind: AccountKind,
    pub value: String,
    pub note: Option<String>,
    /// Span of the entry in the configuration text.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    ObjectId,
    Upn,
    GroupId,
}

/// Which directory roles count as administrative for the admin-coverage rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminProfile {
    /// The nine roles of Secure Score's "Require MFA for administrative roles".
    SecureScore,
    /// The fourteen roles of Microsoft's "Require MFA for administrators" template.
    Microsoft14,
    /// ScubaGear's eight highly privileged roles (CISA baseline).
    Cisa8,
    /// Roles with `isPrivileged` in the exported definitions, else Microsoft's privileged list.
    Privileged,
}

impl AdminProfile {
    pub fn as_str(self) -> &'static str {
        match self {
            AdminProfile::SecureScore => "secure-score",
            AdminProfile::Microsoft14 => "microsoft-14",
            AdminProfile::Cisa8 => "cisa-8",
            AdminProfile::Privileged => "privileged",
        }
    }
}

/// A finding the team has accepted, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub rule: &'static str,
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

/// A configuration error: what is wrong and where in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
    pub span: Range<usize>,
    pub help: Option<String>,
}

// ---- the file's shape (kebab-case, unknown keys are errors) -----------------------------------

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    #[serde(default)]
    accounts: AccountsFile,
    #[serde(default)]
    roles: RolesFile,
    #[serde(default)]
    rules: RulesFile,
    #[serde(default)]
    suppress: Vec<Spanned<SuppressFile>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct AccountsFile {
    #[serde(default)]
    break_glass: Vec<Spanned<AccountFile>>,
    #[serde(default)]
    service: Vec<Spanned<AccountFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct AccountFile {
    object_id: Option<String>,
    upn: Option<String>,
    group_id: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RolesFile {
    admin_profile: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RulesFile {
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SuppressFile {
    rule: Spanned<String>,
    object: Spanned<String>,
    justification: Option<Spanned<String>>,
    expires: Option<Spanned<toml::Value>>,
}

impl Config {
    /// Parses and validates `entralint.toml` text.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let file: File = toml::from_str(text).map_err(|e| ConfigError {
            message: e.message().trim_end_matches('\n').to_owned(),
            span: e.span().unwrap_or(0..0),
            help: Some("see the configuration keys in docs/configuration.md".to_owned()),
        })?;
        let mut config = Config::default();
        for (list, out) in [
            (&file.accounts.break_glass, &mut config.break_glass),
            (&file.accounts.service, &mut config.service),
        ] {
            for entry in list {
                out.push(account(entry)?);
            }
        }
        if let Some(p) = &file.roles.admin_profile {
            config.admin_profile = Some(match p.get_ref().as_str() {
                "secure-score" => AdminProfile::SecureScore,
                "microsoft-14" => AdminProfile::Microsoft14,
                "cisa-8" => AdminProfile::Cisa8,
                "privileged" => AdminProfile::Privileged,
                other => {
                    return Err(error(
                        format!("unknown admin profile `{other}`"),
                        p.span(),
                        "use secure-score, microsoft-14, cisa-8 or privileged",
                    ))
                }
            });
        }
        if let Some(select) = &file.rules.select {
            config.select = Some(select.iter().map(pattern).collect::<Result<_, _>>()?);
        }
        config.ignore = file
            .rules
            .ignore
            .iter()
            .map(pattern)
            .collect::<Result<_, _>>()?;
        if let Some(f) = &file.rules.fail_on {
            config.fail_on = Some(Severity::parse(f.get_ref()).ok_or_else(|| {
                error(
                    format!("unknown severity `{}`", f.get_ref()),
                    f.span(),
                    "use critical, high, medium or low",
                )
            })?);
        }
        for (code, level) in &file.rules.severity {
            let rule = rules::by_code(code.get_ref()).ok_or_else(|| {
                error(
                    format!("no rule `{}`", code.get_ref()),
                    code.span(),
                    "see `entralint rules`",
                )
            })?;
            let value = match level.get_ref().as_str() {
                "off" => None,
                s => Some(Severity::parse(s).ok_or_else(|| {
                    error(
                        format!("unknown severity `{s}`"),
                        level.span(),
                        "use critical, high, medium, low or off",
                    )
                })?),
            };
            config.severity.insert(rule.code.to_owned(), value);
        }
        for entry in &file.suppress {
            let s = entry.get_ref();
            let rule = rules::by_code(s.rule.get_ref()).ok_or_else(|| {
                error(
                    format!("no rule `{}`", s.rule.get_ref()),
                    s.rule.span(),
                    "a suppression names one rule by its exact code (see `entralint rules`)",
                )
            })?;
            let justification = match &s.justification {
                Some(j) if !j.get_ref().trim().is_empty() => j.get_ref().trim().to_owned(),
                _ => {
                    return Err(error(
                        "a suppression must say why: `justification` is missing or empty"
                            .to_owned(),
                        entry.span(),
                        "add justification = \"...\" (the compensating control, a ticket)",
                    ))
                }
            };
            let expires = match &s.expires {
                None => None,
                Some(v) => Some(date(v)?),
            };
            if s.object.get_ref().trim().is_empty() {
                return Err(error(
                    "`object` is empty".to_owned(),
                    s.object.span(),
                    "name the id of the policy, role, user or group",
                ));
            }
            config.suppressions.push(Suppression {
                rule: rule.code,
                object: s.object.get_ref().trim().to_owned(),
                justification,
                expires,
                span: entry.span(),
                object_span: s.object.span(),
                expires_span: s.expires.as_ref().map(|e| e.span()),
            });
        }
        Ok(config)
    }
}

fn error(message: String, span: Range<usize>, help: &str) -> ConfigError {
    ConfigError {
        message,
        span,
        help: Some(help.to_owned()),
    }
}

fn account(entry: &Spanned<AccountFile>) -> Result<Account, ConfigError> {
    let a = entry.get_ref();
    let given: Vec<(AccountKind, &String)> = [
        (AccountKind::ObjectId, &a.object_id),
        (AccountKind::Upn, &a.upn),
        (AccountKind::GroupId, &a.group_id),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
    .collect();
    match given.as_slice() {
        [(kind, value)] if !value.trim().is_empty() => Ok(Account {
            kind: *kind,
            value: value.trim().to_owned(),
            note: a.note.clone(),
            span: entry.span(),
        }),
        _ => Err(error(
            "an account entry names exactly one of object-id, upn or group-id".to_owned(),
            entry.span(),
            "write { object-id = \"...\" }, { upn = \"...\" } or { group-id = \"...\" }",
        )),
    }
}

fn pattern(p: &Spanned<String>) -> Result<String, ConfigError> {
    let code = p.get_ref();
    let matches = code.eq_ignore_ascii_case("ALL")
        || rules::ALL
            .iter()
            .any(|r| r.code.len() >= code.len() && r.code[..code.len()].eq_ignore_ascii_case(code));
    if code.is_empty() || !matches {
        return Err(error(
            format!("no rule matches `{code}`"),
            p.span(),
            "use rule codes or prefixes (see `entralint rules`)",
        ));
    }
    Ok(code.to_ascii_uppercase())
}

fn date(v: &Spanned<toml::Value>) -> Result<Date, ConfigError> {
    let text = match v.get_ref() {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.clone(),
        _ => String::new(),
    };
    Date::parse(&text).ok_or_else(|| {
        error(
            format!("`{text}` is not a date"),
            v.span(),
            "write expires = 2027-01-31",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"
[accounts]
break-glass = [{ object-id = "0a1b", note = "vault A" }, { group-id = "5e6f" }]
service     = [{ upn = "svc-sync@contoso.com" }]

[roles]
admin-profile = "cisa-8"

[rules]
select  = ["ALL"]
ignore  = ["pim014"]
fail-on = "high"
[rules.severity]
PIM009 = "low"
PIM012 = "off"

[[suppress]]
rule = "PIM013"
object = "1d2e"
justification = "Kiosk account, compensating control (CAB-1234)"
expires = 2027-01-31
"#;

    #[test]
    fn full_file() {
        let c = Config::parse(FULL).unwrap();
        assert_eq!(c.break_glass.len(), 2);
        assert_eq!(c.break_glass[1].kind, AccountKind::GroupId);
        assert_eq!(c.service[0].kind, AccountKind::Upn);
        assert_eq!(c.admin_profile, Some(AdminProfile::Cisa8));
        assert_eq!(c.ignore, vec!["PIM014"]);
        assert_eq!(c.fail_on, Some(Severity::High));
        assert_eq!(c.severity["PIM009"], Some(Severity::Low));
        assert_eq!(c.severity["PIM012"], None);
        assert_eq!(c.suppressions[0].expires, Date::parse("2027-01-31"));
        assert_eq!(&FULL[c.suppressions[0].object_span.clone()], "\"1d2e\"");
        assert_eq!(
            &FULL[c.suppressions[0].expires_span.clone().unwrap()],
            "2027-01-31"
        );
    }

    #[test]
    fn array_of_tables_syntax_is_the_same() {
        let c = Config::parse("[[accounts.break-glass]]\nobject-id = \"0a1b\"\n[[accounts.break-glass]]\ngroup-id = \"5e6f\"\n").unwrap();
        assert_eq!(c.break_glass.len(), 2);
    }

    fn err(text: &str) -> (String, String) {
        let e = Config::parse(text).unwrap_err();
        (e.message, text[e.span].to_owned())
    }

    #[test]
    fn errors_point_into_the_text() {
        let (m, at) = err("[rules]\nselectt = [\"PIM\"]\n");
        assert!(m.contains("unknown field"), "{m}");
        assert_eq!(at, "selectt");
        let (m, at) = err("[rules.severity]\nPIM999 = \"low\"\n");
        assert!(m.contains("PIM999"), "{m}");
        assert_eq!(at, "PIM999");
        let (m, at) = err("[[suppress]]\nrule = \"PIM013\"\nobject = \"x\"\n");
        assert!(m.contains("justification"), "{m}");
        assert_eq!(at, "[[suppress]]");
        let (m, _) = err("[accounts]\nbreak-glass = [{ object-id = \"a\", upn = \"b\" }]\n");
        assert!(m.contains("exactly one"), "{m}");
        let (m, at) = err("[roles]\nadmin-profile = \"everyone\"\n");
        assert!(m.contains("everyone"), "{m}");
        assert_eq!(at, "\"everyone\"");
        let (m, _) = err("[[suppress]]\nrule = \"PIM013\"\nobject = \"x\"\njustification = \"y\"\nexpires = \"soon\"\n");
        assert!(m.contains("not a date"), "{m}");
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
