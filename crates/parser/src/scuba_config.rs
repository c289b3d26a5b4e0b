//! ScubaGear's configuration: the users and groups it is told to accept as exclusions, which are
//! how a ScubaGear user declares emergency access accounts. The same layout is read from the
//! configuration file (YAML or JSON, `Invoke-SCuBA -ConfigFilePath`) and from its echo,
//! `scuba_config`, in the provider export of the run:
//!
//! ```yaml
//! Aad:
//!   MS.AAD.1.1v1:              # a policy of the Entra ID baseline
//!     CapExclusions:           # Conditional Access policy checks
//!       Users: [<object id>, …]
//!       Groups: [<object id>, …]
//!   MS.AAD.7.4v1:
//!     RoleExclusions:          # privileged role checks
//!       Users: [<object id>, …]
//!       Groups: [<object id>, …]
//! ```
//!
//! (<https://github.com/cisagov/ScubaGear/blob/main/docs/configuration/configuration.md>,
//! "Entra ID Configuration"; the Rego reads `input.scuba_config.Aad[PolicyID].CapExclusions.Users`,
//! `PowerShell/ScubaGear/Rego/AADConfig.rego`.) `Applications` and `GuestUserTypes` name no
//! account and are not read. PowerShell reads the file, so keys are matched ignoring ASCII case.

use crate::origin::Pointer;
use serde_json::Value;

/// The lists of account exclusions under a baseline policy.
pub const LISTS: [&str; 2] = ["CapExclusions", "RoleExclusions"];

/// One excluded account, as the configuration names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    /// The object id, as written (trimmed).
    pub id: String,
    /// Listed under `Groups` (else under `Users`).
    pub group: bool,
    /// Where it is written, relative to the configuration's root (`/Aad/MS.AAD.1.1v1/…/0`).
    pub pointer: Pointer,
}

/// A member of an object, ignoring ASCII case; the key as written, and the value.
fn member<'v>(v: &'v Value, name: &str) -> Option<(&'v str, &'v Value)> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(k, v)| (k.as_str(), v))
}

/// The accounts excluded under `Aad` (policies in key order, ids in list order): `Ok(vec![])` when there is no `Aad`
/// section or it excludes nobody. An error says which value is not in ScubaGear's shape.
pub fn exclusions(config: &Value) -> Result<Vec<Exclusion>, String> {
    let Some((aad_key, aad)) = member(config, "Aad") else {
        return Ok(Vec::new());
    };
    let base = Pointer::root().child(aad_key);
    let policies = match aad {
        Value::Object(map) => map,
        Value::Null => return Ok(Vec::new()),
        _ => return Err(format!("`{aad_key}` is not a mapping of baseline policies")),
    };
    let mut out = Vec::new();
    for (policy, settings) in policies {
        let at = base.child(policy);
        for list in LISTS {
            let Some((list_key, accounts)) = member(settings, list) else {
                continue;
            };
            let at = at.child(list_key);
            if accounts.is_null() {
                continue;
            }
            if !accounts.is_object() {
                return Err(format!(
                    "`{aad_key}.{policy}.{list_key}` is not a mapping of `Users` and `Groups`"
                ));
            }
            for (name, group) in [("Users", false), ("Groups", true)] {
                let Some((key, ids)) = member(accounts, name) else {
                    continue;
                };
                let at = at.child(key);
                let ids = match ids {
                    Value::Array(ids) => ids,
                    Value::Null => continue,
                    _ => {
                        return Err(format!(
                            "`{aad_key}.{policy}.{list_key}.{key}` is not a list of object ids"
                        ))
                    }
                };
                for (i, id) in ids.iter().enumerate() {
                    let id = match id {
                        Value::String(s) if !s.trim().is_empty() => s.trim(),
                        // ScubaGear's Rego skips empty entries (`y != null`).
                        Value::Null => continue,
                        _ => {
                            return Err(format!(
                                "entry {i} of `{aad_key}.{policy}.{list_key}.{key}` is not an object id"
                            ))
                        }
                    };
                    out.push(Exclusion {
                        id: id.to_owned(),
                        group,
                        pointer: at.index(i),
                    });
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn users_and_groups_of_both_lists_in_document_order() {
        let config = json!({ "aad": {
            "MS.AAD.1.1v1": { "CapExclusions": {
                "Users": ["0b1e5c3a-7f2d-4c8e-9a61-3d5f8e2b7c10"], "Groups": null,
                "Applications": ["Office365"] } },
            "MS.AAD.7.4v1": { "RoleExclusions": { "Groups": [" 4a471183-d934-4fb4-b1b3-d9525e0e1b45 ", null] } }
        }});
        let got = exclusions(&config).unwrap();
        assert_eq!(got.len(), 2);
        assert!(!got[0].group);
        assert_eq!(
            got[0].pointer.to_string(),
            "/aad/MS.AAD.1.1v1/CapExclusions/Users/0"
        );
        assert!(got[1].group);
        assert_eq!(got[1].id, "4a471183-d934-4fb4-b1b3-d9525e0e1b45");
    }

    #[test]
    fn no_aad_section_excludes_nobody_and_a_wrong_shape_says_where() {
        assert!(exclusions(&json!({ "ProductNames": ["aad"] }))
            .unwrap()
            .is_empty());
        let e = exclusions(
            &json!({ "Aad": { "MS.AAD.1.1v1": { "CapExclusions": { "Users": "x" } } } }),
        )
        .unwrap_err();
        assert!(e.contains("`Aad.MS.AAD.1.1v1.CapExclusions.Users`"), "{e}");
        let e = exclusions(
            &json!({ "Aad": { "MS.AAD.1.1v1": { "CapExclusions": { "Users": [3] } } } }),
        )
        .unwrap_err();
        assert!(e.contains("entry 0"), "{e}");
    }
}
