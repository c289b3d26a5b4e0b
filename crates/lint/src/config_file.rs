//! entralint.toml: the one place that turns the file's text into validated [`Settings`]. The
//! command line finds and reads the file; every error carries the span of the text it is about.

use crate::rules;
use crate::settings::{
    Account, AccountKind, AdminProfile, Date, Import, ImportTool, RunPolicy, Settings, Suppression,
    TenantFacts,
};
use crate::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

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
    /// Break-glass accounts declared in another tool's file.
    #[serde(default)]
    import: Vec<Spanned<ImportFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ImportFile {
    maester: Option<String>,
    easypim: Option<String>,
    scubagear: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct AccountFile {
    object_id: Option<String>,
    upn: Option<String>,
    group_id: Option<String>,
    group_name: Option<String>,
    terraform: Option<String>,
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

/// Parses and validates `entralint.toml` text. The result's `file` and `run.today` are left for
/// the caller, which knows where the text came from and which day it is.
pub fn parse(text: &str) -> Result<Settings, ConfigError> {
    let file: File = toml::from_str(text).map_err(|e| ConfigError {
        message: e.message().trim_end_matches('\n').to_owned(),
        span: e.span().unwrap_or(0..0),
        help: Some(format!(
            "see the configuration keys in {}/blob/main/docs/configuration.md",
            env!("CARGO_PKG_REPOSITORY")
        )),
    })?;
    let mut tenant = TenantFacts::default();
    let mut run = RunPolicy::default();
    for (list, out) in [
        (&file.accounts.break_glass, &mut tenant.break_glass),
        (&file.accounts.service, &mut tenant.service),
    ] {
        for entry in list {
            out.push(account(entry)?);
        }
    }
    for entry in &file.accounts.import {
        let i = entry.get_ref();
        let given: Vec<(ImportTool, &String)> = [
            (ImportTool::Maester, &i.maester),
            (ImportTool::EasyPim, &i.easypim),
            (ImportTool::ScubaGear, &i.scubagear),
        ]
        .into_iter()
        .filter_map(|(t, p)| p.as_ref().map(|p| (t, p)))
        .collect();
        match given.as_slice() {
            [(tool, path)] if !path.trim().is_empty() => tenant.imports.push(Import {
                tool: *tool,
                path: path.trim().to_owned(),
                span: entry.span(),
            }),
            _ => {
                return Err(error(
                    "an import names exactly one tool's file: maester, easypim or scubagear"
                        .to_owned(),
                    entry.span(),
                    "write { maester = \"maester-config.json\" }, { easypim = \"config.json\" } or { scubagear = \"scuba-config.yaml\" }",
                ))
            }
        }
    }
    if let Some(p) = &file.roles.admin_profile {
        tenant.admin_profile = Some(AdminProfile::parse(p.get_ref()).ok_or_else(|| {
            error(
                format!("unknown admin profile `{}`", p.get_ref()),
                p.span(),
                "use secure-score, microsoft-14, cisa-8 or privileged",
            )
        })?);
    }
    if let Some(select) = &file.rules.select {
        run.select = Some(select.iter().map(pattern).collect::<Result<_, _>>()?);
    }
    run.ignore = file
        .rules
        .ignore
        .iter()
        .map(pattern)
        .collect::<Result<_, _>>()?;
    if let Some(f) = &file.rules.fail_on {
        run.fail_on = Some(Severity::parse(f.get_ref()).ok_or_else(|| {
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
        run.severity.insert(rule.code, value);
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
                    "a suppression must say why: `justification` is missing or empty".to_owned(),
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
        run.suppressions.push(Suppression {
            rule: rule.code,
            object: s.object.get_ref().trim().to_owned(),
            justification,
            expires,
            span: entry.span(),
            object_span: s.object.span(),
            expires_span: s.expires.as_ref().map(|e| e.span()),
        });
    }
    Ok(Settings {
        tenant,
        run,
        file: None,
        root: None,
    })
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
        (AccountKind::GroupName, &a.group_name),
        (AccountKind::Terraform, &a.terraform),
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
            "an account entry names exactly one of object-id, upn, group-id, group-name or terraform"
                .to_owned(),
            entry.span(),
            "write { object-id = \"...\" }, { upn = \"...\" }, { group-id = \"...\" }, { group-name = \"...\" } or { terraform = \"azuread_group.name\" }",
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
        let c = parse(FULL).unwrap();
        assert_eq!(c.tenant.break_glass.len(), 2);
        assert_eq!(c.tenant.break_glass[1].kind, AccountKind::GroupId);
        assert_eq!(c.tenant.service[0].kind, AccountKind::Upn);
        assert_eq!(c.tenant.admin_profile, Some(AdminProfile::Cisa8));
        let run = &c.run;
        assert_eq!(run.ignore, vec!["PIM014"]);
        assert_eq!(run.fail_on, Some(Severity::High));
        assert_eq!(run.severity["PIM009"], Some(Severity::Low));
        assert_eq!(run.severity["PIM012"], None);
        assert_eq!(run.suppressions[0].expires, Date::parse("2027-01-31"));
        assert_eq!(&FULL[run.suppressions[0].object_span.clone()], "\"1d2e\"");
        assert_eq!(
            &FULL[run.suppressions[0].expires_span.clone().unwrap()],
            "2027-01-31"
        );
    }

    #[test]
    fn terraform_addresses_declare_accounts() {
        let c = parse("[accounts]\nbreak-glass = [{ terraform = \"azuread_group.breakglass\" }]\n")
            .unwrap();
        assert_eq!(c.tenant.break_glass[0].kind, AccountKind::Terraform);
        assert_eq!(c.tenant.break_glass[0].value, "azuread_group.breakglass");
    }

    #[test]
    fn array_of_tables_syntax_is_the_same() {
        let c = parse("[[accounts.break-glass]]\nobject-id = \"0a1b\"\n[[accounts.break-glass]]\ngroup-id = \"5e6f\"\n").unwrap();
        assert_eq!(c.tenant.break_glass.len(), 2);
    }

    fn err(text: &str) -> (String, String) {
        let e = parse(text).unwrap_err();
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
}
