//! Break-glass accounts declared in other tools' files, so that one declaration serves every tool.
//! entralint.toml names the file (`[accounts] import = [{ maester = "maester-config.json" }]`);
//! the command line reads it, and this module reads the accounts out of its text:
//!
//! - Maester's `maester-config.json`: `GlobalSettings.EmergencyAccessAccounts`, entries of
//!   `{ "Id" | "UserPrincipalName", "Type": "User" | "Group" }`
//!   (<https://github.com/maester365/maester/blob/main/tests/maester-config.json>, read by
//!   `Test-MtCaEmergencyAccessExists`);
//! - EasyPIM's orchestrator configuration (JSON with comments): `ProtectedUsers`, the object ids
//!   its cleanup never removes (<https://github.com/kayasax/EasyPIM>, `EasyPIM/config/`);
//! - ScubaGear's configuration file (YAML, or JSON, which YAML reads too): the `Users` (object
//!   ids) and `Groups` (object ids) its `Aad` baseline policies accept as exclusions, under
//!   `CapExclusions` and `RoleExclusions` (<https://github.com/cisagov/ScubaGear/blob/main/docs/configuration/configuration.md>,
//!   `PowerShell/ScubaGear/Sample-Config-Files/`); the layout is [`entralint_parser::scuba_config`]'s,
//!   which also reads the configuration a provider export echoes.

use crate::settings::{AccountKind, ImportTool};
use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

/// The accounts the file declares: how each is named, and the value. An error says what is wrong
/// with the file; a file that declares none is an error too, since importing it would leave the
/// accounts undeclared without a word.
pub fn import_accounts(tool: ImportTool, text: &str) -> Result<Vec<(AccountKind, String)>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let json = match tool {
        ImportTool::Maester => text.to_owned(),
        ImportTool::EasyPim => entralint_parser::jsonc::blank(text).text,
        ImportTool::ScubaGear => return scubagear(text),
    };
    let root: Value = serde_json::from_str(&json).map_err(|e| {
        format!(
            "not valid JSON at line {}, column {}: {e}",
            e.line(),
            e.column()
        )
    })?;
    let accounts = match tool {
        ImportTool::Maester => maester(&root)?,
        ImportTool::EasyPim => easypim(&root)?,
        ImportTool::ScubaGear => unreachable!("read above"),
    };
    if accounts.is_empty() {
        return Err(format!("`{}` lists no account", tool.field()));
    }
    Ok(accounts)
}

/// A member of an object, ignoring ASCII case (PowerShell writes and reads these files).
fn member<'v>(v: &'v Value, name: &str) -> Option<&'v Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

fn text<'v>(v: &'v Value, name: &str) -> Option<&'v str> {
    member(v, name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn maester(root: &Value) -> Result<Vec<(AccountKind, String)>, String> {
    let list = member(root, "GlobalSettings")
        .and_then(|g| member(g, "EmergencyAccessAccounts"))
        .ok_or("there is no `GlobalSettings.EmergencyAccessAccounts`")?;
    let list = list
        .as_array()
        .ok_or("`GlobalSettings.EmergencyAccessAccounts` is not a list")?;
    let mut out = Vec::new();
    for (i, entry) in list.iter().enumerate() {
        let group = text(entry, "Type").is_some_and(|t| t.eq_ignore_ascii_case("Group"));
        let account = match (text(entry, "Id"), text(entry, "UserPrincipalName"), group) {
            (Some(id), _, true) => (AccountKind::GroupId, id.to_owned()),
            (Some(id), _, false) => (AccountKind::ObjectId, id.to_owned()),
            (None, Some(upn), false) => (AccountKind::Upn, upn.to_owned()),
            _ => {
                return Err(format!(
                    "entry {i} of `GlobalSettings.EmergencyAccessAccounts` names no `Id` (or, for a user, `UserPrincipalName`)"
                ))
            }
        };
        out.push(account);
    }
    Ok(out)
}

fn easypim(root: &Value) -> Result<Vec<(AccountKind, String)>, String> {
    let list = member(root, "ProtectedUsers").ok_or("there is no `ProtectedUsers`")?;
    let list = list.as_array().ok_or("`ProtectedUsers` is not a list")?;
    list.iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|id| (AccountKind::ObjectId, id.to_owned()))
                .ok_or_else(|| format!("entry {i} of `ProtectedUsers` is not an object id"))
        })
        .collect()
}

fn scubagear(text: &str) -> Result<Vec<(AccountKind, String)>, String> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| {
        let at = e.marker();
        format!(
            "not valid YAML at line {}, column {}: {}",
            at.line(),
            at.col() + 1,
            e.info()
        )
    })?;
    let root = docs.first().map(to_json).unwrap_or(Value::Null);
    if !root.is_object() {
        return Err(
            "not a ScubaGear configuration: the file holds no mapping of settings".to_owned(),
        );
    }
    let found = entralint_parser::scuba_config::exclusions(&root)?;
    if found.is_empty() {
        return Err(format!(
            "`{}` lists no account",
            ImportTool::ScubaGear.field()
        ));
    }
    Ok(found
        .into_iter()
        .map(|e| {
            let kind = if e.group {
                AccountKind::GroupId
            } else {
                AccountKind::ObjectId
            };
            (kind, e.id)
        })
        .collect())
}

/// A YAML value as JSON: aliases are already resolved by the loader; keys that are not strings
/// (numbers, booleans) are written as text, as PowerShell's hashtables would name them.
fn to_json(y: &Yaml) -> Value {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Value::String(s.clone()),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Yaml::String(s) | Yaml::Real(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Boolean(b) => b.to_string(),
                        _ => String::new(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maester_accounts() {
        let text = r#"{ "GlobalSettings": { "EmergencyAccessAccounts": [
            { "UserPrincipalName": "bg01@contoso.onmicrosoft.com", "Type": "User" },
            { "Id": "1a2b3c4d-00b2-4000-8000-0000000000b2", "Type": "User" },
            { "Id": "2b3c4d5e-00b0-4000-8000-0000000000b0", "Type": "Group" } ] } }"#;
        let got = import_accounts(ImportTool::Maester, text).unwrap();
        assert_eq!(
            got,
            vec![
                (AccountKind::Upn, "bg01@contoso.onmicrosoft.com".to_owned()),
                (
                    AccountKind::ObjectId,
                    "1a2b3c4d-00b2-4000-8000-0000000000b2".to_owned()
                ),
                (
                    AccountKind::GroupId,
                    "2b3c4d5e-00b0-4000-8000-0000000000b0".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn maester_default_config_declares_nobody_and_says_so() {
        let text = r#"{ "GlobalSettings": { "EmergencyAccessAccounts": [] } }"#;
        let e = import_accounts(ImportTool::Maester, text).unwrap_err();
        assert!(e.contains("lists no account"), "{e}");
        let e = import_accounts(ImportTool::Maester, r#"{ "TestSettings": [] }"#).unwrap_err();
        assert!(e.contains("no `GlobalSettings"), "{e}");
        let e = import_accounts(
            ImportTool::Maester,
            r#"{ "GlobalSettings": { "EmergencyAccessAccounts": [ { "Type": "Group" } ] } }"#,
        )
        .unwrap_err();
        assert!(e.contains("entry 0"), "{e}");
    }

    #[test]
    fn scubagear_exclusions_through_anchors_and_aliases() {
        let text = "Aad:\n  MS.AAD.1.1v1: &Common\n    CapExclusions:\n      Users:\n        - 0b1e5c3a-7f2d-4c8e-9a61-3d5f8e2b7c10 # BG 1\n      Groups: [2b3c4d5e-00b0-4000-8000-0000000000b0]\n      Applications: [Office365]\n  MS.AAD.2.1v1: *Common\n  MS.AAD.7.4v1:\n    RoleExclusions:\n      Users:\n        - 1a2b3c4d-00b2-4000-8000-0000000000b2\n";
        let got = import_accounts(ImportTool::ScubaGear, text).unwrap();
        let groups: Vec<_> = got
            .iter()
            .filter(|(k, _)| *k == AccountKind::GroupId)
            .collect();
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!(groups.len(), 2);
        // JSON is YAML too: ScubaGear accepts either.
        let json = r#"{ "Aad": { "MS.AAD.7.4v1": { "RoleExclusions": { "Groups": ["4a471183-d934-4fb4-b1b3-d9525e0e1b45"] } } } }"#;
        assert_eq!(
            import_accounts(ImportTool::ScubaGear, json).unwrap().len(),
            1
        );
        let e = import_accounts(ImportTool::ScubaGear, "ProductNames: [aad]\n").unwrap_err();
        assert!(e.contains("lists no account"), "{e}");
        let e = import_accounts(ImportTool::ScubaGear, "Aad:\n  - [\n").unwrap_err();
        assert!(e.contains("not valid YAML at line"), "{e}");
        let e = import_accounts(ImportTool::ScubaGear, "just text\n").unwrap_err();
        assert!(e.contains("no mapping"), "{e}");
    }

    #[test]
    fn easypim_protected_users_with_comments() {
        let text = "\u{feff}{\n  // the orchestrator's settings\n  \"ProtectedUsers\": [\n    \"7a55ec4d-028e-4ff1-8ee9-93da07b6d5d5\", // BG\n    /* vault B */ \"9f2aacfc-8c80-41a7-ba07-121e0cb29757\",\n  ],\n  \"Note\": \"a // not a comment, and /* neither */\"\n}\n";
        let got = import_accounts(ImportTool::EasyPim, text).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].1, "9f2aacfc-8c80-41a7-ba07-121e0cb29757");
        let e = import_accounts(ImportTool::EasyPim, "{ \"ProtectedUsers\": [ 3 ] }").unwrap_err();
        assert!(e.contains("entry 0"), "{e}");
        let e = import_accounts(ImportTool::EasyPim, "{ \"ProtectedUsers\": [ ").unwrap_err();
        assert!(e.contains("line 1"), "{e}");
    }
}
