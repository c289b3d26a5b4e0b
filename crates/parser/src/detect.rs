//! What a JSON object is: by `@odata.context`, by `@odata.type`, by characteristic keys, and last
//! by the EntraExporter folder it was written to (the `Path` of each entry of EntraExporter's
//! schema, <https://github.com/microsoft/EntraExporter/blob/main/src/Get-EEDefaultSchema.ps1>).

use crate::json::{self, Top, TopValue};
use crate::kinds::Kind;
use crate::origin::Pointer;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detected {
    Kind(Kind),
    /// EntraExporter `PIM/DirectoryRoles/*.json`: eligibility instance + embedded `Policy`.
    PimEligibilityWithPolicy,
    /// EntraExporter `PIM/Groups/*.json`: group eligibility + the embedded group `Policy`.
    PimGroupEligibilityWithPolicy,
    /// The rules collection of one policy (`roleManagementPolicies('<id>')/rules`).
    PolicyRules {
        policy_id: String,
    },
    /// A group member or owner file (known from its path).
    Relation,
    /// A row of a CIPP table: `PartitionKey`, `RowKey` and the template itself as `JSON`, a
    /// string (<https://github.com/KelvinTegelaar/CIPP-API/blob/master/Modules/CIPPCore/Public/New-CIPPCATemplate.ps1>)
    /// or, in a community template repository, an object
    /// (<https://github.com/KelvinTegelaar/CIPP-API/blob/master/Modules/CIPPCore/Public/Tools/Import-CommunityTemplate.ps1>).
    TableRow,
    /// An object shaped like one of `kind` but not as Graph writes it: the members that betray
    /// it.
    Foreign {
        kind: Kind,
        betrayed: Vec<Betrayed>,
    },
}

/// A member that shows an object is not in Graph's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Betrayed {
    /// Where it is, below the object (`conditions/includeUsers`).
    pub path: String,
    /// What the object has, in words (`` `conditions.includeUsers` ``).
    pub found: String,
    /// What Graph has instead, in words (`` `conditions.users.includeUsers` ``).
    pub graph: &'static str,
}

/// Members of Graph's `conditionalAccessUsers`, `conditionalAccessApplications`,
/// `conditionalAccessLocations` and `conditionalAccessPlatforms` that flattened policy shapes
/// (hand-written policy-as-code, other tools' models) put directly under `conditions`.
const FLATTENED_CONDITIONS: [(&str, &str); 16] = [
    ("includeUsers", "`conditions.users.includeUsers`"),
    ("excludeUsers", "`conditions.users.excludeUsers`"),
    ("includeGroups", "`conditions.users.includeGroups`"),
    ("excludeGroups", "`conditions.users.excludeGroups`"),
    ("includeRoles", "`conditions.users.includeRoles`"),
    ("excludeRoles", "`conditions.users.excludeRoles`"),
    (
        "includeGuestsOrExternalUsers",
        "`conditions.users.includeGuestsOrExternalUsers`",
    ),
    (
        "excludeGuestsOrExternalUsers",
        "`conditions.users.excludeGuestsOrExternalUsers`",
    ),
    (
        "includeApplications",
        "`conditions.applications.includeApplications`",
    ),
    (
        "excludeApplications",
        "`conditions.applications.excludeApplications`",
    ),
    (
        "includeUserActions",
        "`conditions.applications.includeUserActions`",
    ),
    (
        "includeAuthenticationContextClassReferences",
        "`conditions.applications.includeAuthenticationContextClassReferences`",
    ),
    (
        "includeLocations",
        "`conditions.locations.includeLocations`",
    ),
    (
        "excludeLocations",
        "`conditions.locations.excludeLocations`",
    ),
    (
        "includePlatforms",
        "`conditions.platforms.includePlatforms`",
    ),
    (
        "excludePlatforms",
        "`conditions.platforms.excludePlatforms`",
    ),
];

/// What betrays a Conditional Access policy that is not in Graph's shape: members of `users` or
/// `applications` directly under `conditions`, which has neither (Graph's
/// `conditionalAccessConditionSet`,
/// <https://learn.microsoft.com/graph/api/resources/conditionalaccessconditionset>), and then
/// also controls that are not objects. Empty for a policy in Graph's shape.
fn flattened_policy(map: &impl Members) -> Vec<Betrayed> {
    if map.has_within("conditions", "users") || map.has_within("conditions", "applications") {
        return Vec::new();
    }
    let mut betrayed: Vec<Betrayed> = FLATTENED_CONDITIONS
        .iter()
        .filter(|(key, _)| map.has_within("conditions", key))
        .map(|(key, graph)| Betrayed {
            path: format!("conditions/{key}"),
            found: format!("`conditions.{key}`"),
            graph,
        })
        .collect();
    if betrayed.is_empty() {
        return betrayed;
    }
    let controls = [
        (
            "grantControls",
            "`grantControls` as an object with `operator` and `builtInControls`",
        ),
        ("sessionControls", "`sessionControls` as an object"),
    ];
    for (key, graph) in controls {
        if map.has(key) && !map.is_object(key) {
            let held = if map.string(key).is_some() {
                "text"
            } else {
                "a list"
            };
            betrayed.push(Betrayed {
                path: key.to_owned(),
                found: format!("`{key}` as {held}"),
                graph,
            });
        }
    }
    betrayed
}

/// What an object's place in an EntraExporter tree says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathHint {
    None,
    Kind(Kind),
    GroupRelation {
        group_id: String,
        owner: bool,
    },
    /// A folder whose content entralint deliberately skips (legacy `directoryRoles` and their
    /// members duplicate the role assignments and would add partial user objects).
    Skip,
    /// A folder of objects of a kind entralint does not model (Zero Trust Assessment's
    /// `ServicePrincipal`, `SignIn`, ...): the file is listed as unrecognised, never read for
    /// objects it might look like (a sign-in has a `userPrincipalName`, as a user has).
    Unmodelled,
}

impl PathHint {
    pub fn kind(&self) -> Option<Kind> {
        match self {
            PathHint::Kind(k) => Some(*k),
            _ => None,
        }
    }
}

/// The kind a collection or entity `@odata.context` names, e.g.
/// `https://graph.microsoft.com/beta/$metadata#identity/conditionalAccess/policies/$entity`.
pub fn kind_from_context(context: &str) -> Option<Detected> {
    let (_, path) = context.split_once("$metadata#")?;
    let path = path.strip_suffix("/$entity").unwrap_or(path);
    let segments = split_outside_parens(path);
    let last = segments.last()?;
    let name = last.split('(').next().unwrap_or(last);
    let prev = segments
        .len()
        .checked_sub(2)
        .map(|i| segments[i].as_str())
        .unwrap_or("");
    if name.eq_ignore_ascii_case("rules") && prev.starts_with("roleManagementPolicies(") {
        let inner = prev
            .trim_start_matches("roleManagementPolicies(")
            .trim_end_matches(')');
        let id = inner.trim_matches('\'').to_owned();
        return Some(Detected::PolicyRules { policy_id: id });
    }
    Kind::ALL
        .into_iter()
        .find(|k| {
            k.collections().iter().any(|c| match c.split_once('/') {
                Some((parent, collection)) => {
                    prev.eq_ignore_ascii_case(parent) && name == collection
                }
                // A PIM for Groups context names only its own collections.
                None => !prev.eq_ignore_ascii_case("group") && name == *c,
            })
        })
        .map(Detected::Kind)
}

fn split_outside_parens(path: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '/' if depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        out.last_mut().expect("never empty").push(c);
    }
    out
}

/// The top-level members of a normalised object (camelCase keys, `@odata.type` kept, `null`
/// members absent), as detection sees them.
pub trait Members {
    /// Whether the object has member `key`.
    fn has(&self, key: &str) -> bool;
    /// Whether member `key` is an object.
    fn is_object(&self, key: &str) -> bool;
    /// Whether member `key` is an object that has member `inner`.
    fn has_within(&self, key: &str, inner: &str) -> bool;
    /// The string member `key` holds.
    fn string(&self, key: &str) -> Option<&str>;
}

impl Members for Map<String, Value> {
    fn has(&self, key: &str) -> bool {
        self.contains_key(key)
    }
    fn is_object(&self, key: &str) -> bool {
        matches!(self.get(key), Some(Value::Object(_)))
    }
    fn has_within(&self, key: &str, inner: &str) -> bool {
        matches!(self.get(key), Some(Value::Object(o)) if o.contains_key(inner))
    }
    fn string(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }
}

/// An object read for detection only: what each member holds (the strings themselves, and the
/// members of objects), read through the normalising reader without the rest of the value.
#[derive(Debug, Default)]
pub struct Shape(BTreeMap<String, Probe>);

#[derive(Debug)]
enum Probe {
    Object(BTreeSet<String>),
    Str(String),
    Other,
}

impl Members for Shape {
    fn has(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }
    fn is_object(&self, key: &str) -> bool {
        matches!(self.0.get(key), Some(Probe::Object(_)))
    }
    fn has_within(&self, key: &str, inner: &str) -> bool {
        matches!(self.0.get(key), Some(Probe::Object(o)) if o.contains(inner))
    }
    fn string(&self, key: &str) -> Option<&str> {
        match self.0.get(key) {
            Some(Probe::Str(s)) => Some(s),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Shape;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
                let mut members = BTreeMap::new();
                // A repeated key keeps its last value, and a null one is no member.
                while let Some(key) = map.next_key::<String>()? {
                    match map.next_value::<Option<Probe>>()? {
                        Some(probe) => members.insert(key, probe),
                        None => members.remove(&key),
                    };
                }
                Ok(Shape(members))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for Probe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Probe;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
                let mut keys = BTreeSet::new();
                while let Some(key) = map.next_key::<String>()? {
                    if map.next_value::<Option<IgnoredAny>>()?.is_some() {
                        keys.insert(key);
                    } else {
                        keys.remove(&key);
                    }
                }
                Ok(Probe::Object(keys))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Probe, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Probe::Other)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Probe, E> {
                Ok(Probe::Str(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Probe, E> {
                Ok(Probe::Str(v))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Probe, E> {
                Ok(Probe::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Probe, E> {
                Ok(Probe::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Probe, E> {
                Ok(Probe::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Probe, E> {
                Ok(Probe::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Probe, E> {
                Ok(Probe::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// Detects a normalised object by its type or its keys.
pub fn detect_object(map: &impl Members) -> Option<Detected> {
    let has = |k: &str| map.has(k);
    if has("partitionKey") && has("rowKey") && (has("jSON") || has("json")) {
        return Some(Detected::TableRow);
    }
    // The embedded policy of an EntraExporter PIM file; a `Policy` of another JSON type is one
    // too, which reading reports rather than leave unread.
    let policy = map.has_within("policy", "rules") || has("policy") && !map.is_object("policy");
    if policy && has("principalId") && has("roleDefinitionId") {
        return Some(Detected::PimEligibilityWithPolicy);
    }
    if policy && has("groupId") && has("accessId") {
        return Some(Detected::PimGroupEligibilityWithPolicy);
    }
    if let Some(kind) = map.string("@odata.type").and_then(kind_from_type) {
        return Some(Detected::Kind(kind));
    }
    let kind = if has("groupId") && has("accessId") && has("principalId") {
        if has("assignmentType") {
            Kind::GroupAssignmentSchedule
        } else {
            Kind::GroupEligibilitySchedule
        }
    } else if has("policyId") && has("roleDefinitionId") {
        Kind::RoleManagementPolicyAssignment
    } else if has("rules") && (has("scopeType") || has("scopeId") || has("isOrganizationDefault")) {
        Kind::RoleManagementPolicy
    } else if map.is_object("conditions")
        && (has("state") || has("grantControls") || has("sessionControls") || has("displayName"))
    {
        let betrayed = flattened_policy(map);
        if !betrayed.is_empty() {
            return Some(Detected::Foreign {
                kind: Kind::ConditionalAccessPolicy,
                betrayed,
            });
        }
        Kind::ConditionalAccessPolicy
    } else if !map.is_object("conditions")
        && (has("state") || has("grantControls") || has("sessionControls"))
        && has("displayName")
        && FLATTENED_CONDITIONS.iter().any(|(key, _)| has(key))
    {
        // The condition lists at the top level, with no `conditions` at all (the Tenant
        // Management Framework's flat policy layout): reported, never dropped unread.
        let betrayed = FLATTENED_CONDITIONS
            .iter()
            .filter(|(key, _)| has(key))
            .map(|(key, graph)| Betrayed {
                path: (*key).to_owned(),
                found: format!("`{key}`"),
                graph,
            })
            .collect();
        return Some(Detected::Foreign {
            kind: Kind::ConditionalAccessPolicy,
            betrayed,
        });
    } else if has("allowedCombinations") {
        Kind::AuthenticationStrength
    } else if has("authenticationMethodConfigurations") {
        Kind::AuthenticationMethodsPolicy
    } else if has("ipRanges") || has("countriesAndRegions") || has("compliantNetworkType") {
        Kind::NamedLocation
    } else if has("rolePermissions") {
        Kind::RoleDefinition
    } else if has("methodsRegistered") || has("isMfaRegistered") {
        Kind::UserRegistrationDetails
    } else if has("principalId") && has("roleDefinitionId") {
        if has("roleEligibilityScheduleId") {
            Kind::RoleEligibilitySchedule
        } else if has("assignmentType")
            || has("roleAssignmentScheduleId")
            || has("roleAssignmentOriginId")
        {
            Kind::RoleAssignmentSchedule
        } else if has("scheduleInfo") {
            Kind::RoleEligibilitySchedule
        } else {
            Kind::RoleAssignment
        }
    } else if has("groupTypes")
        || has("securityEnabled")
        || has("isAssignableToRole")
        || has("membershipRule")
    {
        Kind::Group
    } else if has("userPrincipalName") {
        Kind::User
    } else if has("isAvailable") && has("id") {
        Kind::AuthenticationContext
    } else {
        return None;
    };
    Some(Detected::Kind(kind))
}

/// The kind an `@odata.type` names (`#microsoft.graph.conditionalAccessPolicy`).
pub fn kind_from_type(odata_type: &str) -> Option<Kind> {
    let t = odata_type
        .trim_start_matches('#')
        .trim_start_matches("microsoft.graph.");
    Kind::ALL.into_iter().find(|k| {
        k.odata_types().iter().any(|n| match n.strip_prefix('*') {
            Some(suffix) => t.ends_with(suffix),
            None => t == *n,
        })
    })
}

/// The sections of a ScubaGear provider export (CISA's M365 baseline assessment tool): the
/// `ProviderSettingsExport.json` it keeps with `-KeepIndividualJSON`, or the same object as `Raw`
/// in `ScubaResults_<uuid>.json` (`{MetaData, Summary, AnnotatedFailedPolicies, Results, Raw}`),
/// written by `Invoke-SCuBA` in
/// <https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/Modules/Orchestrator.psm1>.
/// Its Entra ID sections are those of
/// <https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/Modules/Providers/ExportAADProvider.psm1>;
/// `conditional_access_policies` beside `privileged_roles` is what tells the export.
pub struct ScubaGear<'t> {
    /// Where the export's object is: the root, or `/Raw`.
    pub base: Pointer,
    /// Its members, keys as written, values unparsed.
    pub members: Vec<(String, TopValue<'t>)>,
}

/// Whether the members of an object are a ScubaGear provider export.
fn is_scubagear(members: &[(String, TopValue<'_>)]) -> bool {
    json::member(members, "conditional_access_policies").is_some()
        && json::member(members, "privileged_roles").is_some()
}

/// The ScubaGear provider export a document's root object is, or holds as `Raw`.
pub fn scubagear<'t>(members: &[(String, TopValue<'t>)]) -> Option<ScubaGear<'t>> {
    if is_scubagear(members) {
        return Some(ScubaGear {
            base: Pointer::root(),
            members: members.to_vec(),
        });
    }
    let (key, TopValue::Object(raw)) = json::member(members, "Raw")? else {
        return None;
    };
    // The text was validated with the rest of the document.
    let Ok(Top::Object(inner)) = json::parse_top(raw) else {
        return None;
    };
    is_scubagear(&inner).then(|| ScubaGear {
        base: Pointer::root().child(key),
        members: inner,
    })
}

/// The folders of a Zero Trust Assessment export (`zt-export/<Name>/<Name>-<page>.json`, one page
/// of the Graph response per file; `Name` from microsoft/zerotrustassessment,
/// src/powershell/assets/export-tenant.config.psd1, written by
/// src/powershell/private/export/Export-ZtGraphEntity.ps1): the kind each holds, or `None` for
/// those entralint does not model.
const ZERO_TRUST_ASSESSMENT: [(&str, Option<Kind>); 16] = [
    ("User", Some(Kind::User)),
    ("RoleDefinition", Some(Kind::RoleDefinition)),
    ("RoleAssignment", Some(Kind::RoleAssignment)),
    (
        "RoleAssignmentScheduleInstance",
        Some(Kind::RoleAssignmentSchedule),
    ),
    (
        "RoleEligibilityScheduleInstance",
        Some(Kind::RoleEligibilitySchedule),
    ),
    (
        "RoleManagementPolicyAssignment",
        Some(Kind::RoleManagementPolicyAssignment),
    ),
    (
        "UserRegistrationDetails",
        Some(Kind::UserRegistrationDetails),
    ),
    ("Application", None),
    ("ServicePrincipal", None),
    ("ServicePrincipalSignIn", None),
    ("SignIn", None),
    ("AgentIdentity", None),
    ("AgentIdentityBlueprint", None),
    ("AgentIdentityBlueprintPrincipal", None),
    ("Device", None),
    ("ConfigurationPolicy", None),
];

/// What a Zero Trust Assessment page file says about itself: `<Name>/<Name>-<page>.json` for a
/// `Name` of [`ZERO_TRUST_ASSESSMENT`].
fn zero_trust_assessment(segs: &[&str]) -> Option<PathHint> {
    let [.., folder, file] = segs else {
        return None;
    };
    let page = file
        .get(..folder.len())
        .filter(|name| name.eq_ignore_ascii_case(folder))
        .and_then(|_| file[folder.len()..].strip_prefix('-'))?;
    let digits = page
        .get(..page.len().checked_sub(5)?)
        .filter(|_| page[page.len() - 5..].eq_ignore_ascii_case(".json"))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (_, kind) = ZERO_TRUST_ASSESSMENT
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(folder))?;
    Some(kind.map_or(PathHint::Unmodelled, PathHint::Kind))
}

/// What the EntraExporter tree or a Zero Trust Assessment export says about a file, from its path
/// (folder names matched ignoring case).
pub fn path_hint(path: &str) -> PathHint {
    let segs: Vec<&str> = path.split(['/', '\\']).collect();
    if let Some(hint) = zero_trust_assessment(&segs) {
        return hint;
    }
    let find = |seq: &[&str]| -> Option<usize> {
        segs.windows(seq.len())
            .position(|w| w.iter().zip(seq).all(|(a, b)| a.eq_ignore_ascii_case(b)))
            .map(|i| i + seq.len())
    };
    if find(&["DirectoryRoles"]).is_some() && find(&["PIM", "DirectoryRoles"]).is_none() {
        return PathHint::Skip;
    }
    if let Some(i) = find(&["Groups"]).filter(|_| find(&["PIM", "Groups"]).is_none()) {
        // Groups/<group>/Members/<member>/<member>.json, Groups/<group>/Owners/...
        if let (Some(gid), Some(rel)) = (segs.get(i), segs.get(i + 1)) {
            if segs.len() > i + 2 {
                if rel.eq_ignore_ascii_case("Members") {
                    return PathHint::GroupRelation {
                        group_id: (*gid).to_owned(),
                        owner: false,
                    };
                }
                if rel.eq_ignore_ascii_case("Owners") {
                    return PathHint::GroupRelation {
                        group_id: (*gid).to_owned(),
                        owner: true,
                    };
                }
            }
        }
    }
    const TABLE: [(&[&str], Kind); 13] = [
        (&["PIM", "Groups"], Kind::GroupEligibilitySchedule),
        (
            &["Identity", "Conditional", "AccessPolicies"],
            Kind::ConditionalAccessPolicy,
        ),
        (
            &["Identity", "Conditional", "NamedLocations"],
            Kind::NamedLocation,
        ),
        (
            &["Identity", "Conditional", "AuthenticationContexts"],
            Kind::AuthenticationContext,
        ),
        (
            &[
                "AuthenticationMethodsPolicy",
                "AuthenticationMethodConfigurations",
            ],
            Kind::AuthenticationMethodConfiguration,
        ),
        (
            &["RoleManagement", "Directory", "RoleDefinitions"],
            Kind::RoleDefinition,
        ),
        (
            &["RoleManagement", "Directory", "RoleAssignments"],
            Kind::RoleAssignment,
        ),
        (
            &[
                "RoleManagement",
                "Directory",
                "RoleAssignmentScheduleInstances",
            ],
            Kind::RoleAssignmentSchedule,
        ),
        (
            &["RoleManagement", "Directory", "RoleAssignmentSchedules"],
            Kind::RoleAssignmentSchedule,
        ),
        (
            &["RoleManagement", "Directory", "RoleEligibilitySchedules"],
            Kind::RoleEligibilitySchedule,
        ),
        (
            &[
                "RoleManagement",
                "Directory",
                "RoleEligibilityScheduleInstances",
            ],
            Kind::RoleEligibilitySchedule,
        ),
        (&["Users"], Kind::User),
        (&["Groups"], Kind::Group),
    ];
    TABLE
        .iter()
        .find(|(seq, _)| find(seq).is_some())
        .map_or(PathHint::None, |(_, k)| PathHint::Kind(*k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn contexts() {
        let k = |c: &str| kind_from_context(c);
        assert_eq!(
            k("https://graph.microsoft.com/beta/$metadata#identity/conditionalAccess/policies/$entity"),
            Some(Detected::Kind(Kind::ConditionalAccessPolicy))
        );
        assert_eq!(
            k("https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies(effectiveRules(),rules())/$entity"),
            Some(Detected::Kind(Kind::RoleManagementPolicy))
        );
        assert_eq!(
            k("https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies('DirectoryRole_t_p')/rules"),
            Some(Detected::PolicyRules { policy_id: "DirectoryRole_t_p".into() })
        );
        assert_eq!(
            k("https://graph.microsoft.com/v1.0/$metadata#policies/authenticationStrengthPolicies"),
            Some(Detected::Kind(Kind::AuthenticationStrength))
        );
        assert_eq!(
            k("https://graph.microsoft.com/beta/$metadata#identity/conditionalAccess/authenticationStrength/policies"),
            Some(Detected::Kind(Kind::AuthenticationStrength))
        );
        for legacy in [
            "https://graph.microsoft.com/beta/$metadata#policies/conditionalAccessPolicies",
            "https://graph.microsoft.com/beta/$metadata#policies/conditionalAccessPolicies/$entity",
        ] {
            assert_eq!(
                k(legacy),
                Some(Detected::Kind(Kind::ConditionalAccessPolicy))
            );
        }
        assert_eq!(
            k("https://graph.microsoft.com/v1.0/$metadata#directoryObjects"),
            None
        );
    }

    #[test]
    fn keys() {
        // Detection by the normalised value and by the shape read from the text agree.
        let d = |v: Value| {
            let by_value = detect_object(v.as_object().unwrap());
            let text = v.to_string();
            let shape: Shape = crate::json::norm::read(&text).unwrap();
            assert_eq!(detect_object(&shape), by_value, "{text}");
            by_value
        };
        assert_eq!(
            d(json!({"displayName": "x", "conditions": {}, "state": "enabled"})),
            Some(Detected::Kind(Kind::ConditionalAccessPolicy))
        );
        assert_eq!(
            d(
                json!({"principalId": "u", "roleDefinitionId": "r", "roleEligibilityScheduleId": "s"})
            ),
            Some(Detected::Kind(Kind::RoleEligibilitySchedule))
        );
        assert_eq!(
            d(json!({"principalId": "u", "roleDefinitionId": "r", "directoryScopeId": "/"})),
            Some(Detected::Kind(Kind::RoleAssignment))
        );
        assert_eq!(
            d(json!({"principalId": "u", "roleDefinitionId": "r", "policy": {"rules": []}})),
            Some(Detected::PimEligibilityWithPolicy)
        );
        assert_eq!(
            d(json!({"conditions": {}})),
            None,
            "a bare snippet is not a policy"
        );
        // `PartitionKey`, `RowKey` and `JSON` as the reader normalises them.
        assert_eq!(
            d(json!({"partitionKey": "CATemplate", "rowKey": "r", "jSON": "{}"})),
            Some(Detected::TableRow)
        );
        assert_eq!(
            d(json!({"displayName": "x", "state": "enabled",
                "conditions": {"includeUsers": ["All"], "includeApplications": ["All"]},
                "grantControls": ["mfa"]})),
            Some(Detected::Foreign {
                kind: Kind::ConditionalAccessPolicy,
                betrayed: vec![
                    Betrayed {
                        path: "conditions/includeUsers".into(),
                        found: "`conditions.includeUsers`".into(),
                        graph: "`conditions.users.includeUsers`"
                    },
                    Betrayed {
                        path: "conditions/includeApplications".into(),
                        found: "`conditions.includeApplications`".into(),
                        graph: "`conditions.applications.includeApplications`"
                    },
                    Betrayed {
                        path: "grantControls".into(),
                        found: "`grantControls` as a list".into(),
                        graph: "`grantControls` as an object with `operator` and `builtInControls`"
                    },
                ]
            })
        );
        assert_eq!(
            d(json!({"displayName": "x", "state": "enabled",
                "includeGroups": ["Some group"], "includeApplications": ["All"],
                "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}})),
            Some(Detected::Foreign {
                kind: Kind::ConditionalAccessPolicy,
                betrayed: vec![
                    Betrayed {
                        path: "includeGroups".into(),
                        found: "`includeGroups`".into(),
                        graph: "`conditions.users.includeGroups`"
                    },
                    Betrayed {
                        path: "includeApplications".into(),
                        found: "`includeApplications`".into(),
                        graph: "`conditions.applications.includeApplications`"
                    },
                ]
            }),
            "condition lists at the top level, with no `conditions`, are a foreign shape"
        );
        assert_eq!(
            d(json!({"displayName": "x", "includeUsers": ["All"]})),
            None,
            "a name and a list are not a policy"
        );
        assert_eq!(
            d(json!({"displayName": "x", "state": "enabled",
                "conditions": {"users": {"includeUsers": ["All"]}, "includeApplications": ["All"]}})),
            Some(Detected::Kind(Kind::ConditionalAccessPolicy)),
            "a stray member of a policy in Graph's shape is an unknown property, not a foreign shape"
        );
    }

    #[test]
    fn exporter_paths() {
        assert_eq!(
            path_hint("t/Identity/Conditional/AccessPolicies/1/1.json"),
            PathHint::Kind(Kind::ConditionalAccessPolicy)
        );
        assert_eq!(
            path_hint("t/Groups/g1/Members/u1/u1.json"),
            PathHint::GroupRelation {
                group_id: "g1".into(),
                owner: false
            }
        );
        assert_eq!(
            path_hint("t/Groups/g1/g1.json"),
            PathHint::Kind(Kind::Group)
        );
        assert_eq!(path_hint("policies/ca.json"), PathHint::None);
        assert_eq!(
            path_hint("t/DirectoryRoles/r1/Members/u1/u1.json"),
            PathHint::Skip
        );
        assert_eq!(path_hint("t/PIM/DirectoryRoles/s1.json"), PathHint::None);
        assert_eq!(
            path_hint("t/PIM/Groups/s1.json"),
            PathHint::Kind(Kind::GroupEligibilitySchedule)
        );
    }

    #[test]
    fn zero_trust_assessment_paths() {
        assert_eq!(
            path_hint("zt-export/User/User-0.json"),
            PathHint::Kind(Kind::User)
        );
        assert_eq!(
            path_hint("RoleEligibilityScheduleInstance/RoleEligibilityScheduleInstance-12.json"),
            PathHint::Kind(Kind::RoleEligibilitySchedule)
        );
        assert_eq!(
            path_hint("zt-export/SignIn/SignIn-3.json"),
            PathHint::Unmodelled
        );
        for other in [
            "zt-export/User/Users-0.json",
            "zt-export/User/User-.json",
            "zt-export/User/User-0.txt",
            "zt-export/User/User-a.json",
            "zt-export/Other/Other-0.json",
            "User-0.json",
        ] {
            assert_eq!(path_hint(other), PathHint::None, "{other}");
        }
    }
}
