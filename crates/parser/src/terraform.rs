//! The hashicorp/azuread Terraform provider's vocabulary, read into Graph's shape: one mapper for
//! every container that holds its resources (a plan's JSON, a `.tf` file's evaluated values). A resource's values become the
//! object Graph would return, which the loader then reads as it reads a Graph export; each value
//! keeps the path of the attribute it came from, so that findings land on that attribute.
//!
//! Attribute names are those of the provider's documentation
//! (<https://github.com/hashicorp/terraform-provider-azuread/tree/main/docs/resources>:
//! `conditional_access_policy.md`, `authentication_strength_policy.md`,
//! `group_role_management_policy.md`, `named_location.md`). Every nested block is a list of at most one element
//! (`conditions[0].users[0].excluded_groups`), as the plan writes it. Provider v3 writes ids as
//! paths (`/groups/<uuid>`, `/identity/conditionalAccess/policies/<uuid>`,
//! `/policies/authenticationStrengthPolicies/<uuid>`, per the resources' "Import" sections): the
//! path is stripped to the id.
//!
//! The provider has no attribute for a Conditional Access policy's authentication contexts
//! (hashicorp/terraform-provider-azuread#882) and no resource for a directory role's PIM policy
//! (#1390): neither can be read from these resources. Both are written with the Microsoft Graph
//! provider instead (microsoft/msgraph, `msgraph_resource` and `msgraph_update_resource`,
//! <https://registry.terraform.io/providers/microsoft/msgraph/latest/docs>), whose `body` is the
//! Graph object itself and whose `url` says what it is ([`graph_target`]).

use crate::kinds::Kind;
use serde_json::{json, Map, Value};

/// A resource type of the azuread provider that entralint reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resource {
    ConditionalAccess,
    AuthenticationStrength,
    NamedLocation,
    GroupRoleManagement,
    DirectoryRoleEligibility,
    /// `azuread_privileged_access_group_eligibility_schedule`, or (`eligible: false`) the
    /// `…_assignment_schedule`: PIM for Groups membership or ownership.
    GroupSchedule {
        eligible: bool,
    },
}

impl Resource {
    pub(crate) fn of_type(ty: &str) -> Option<Resource> {
        Some(match ty {
            "azuread_conditional_access_policy" => Resource::ConditionalAccess,
            "azuread_authentication_strength_policy" => Resource::AuthenticationStrength,
            "azuread_named_location" => Resource::NamedLocation,
            "azuread_group_role_management_policy" => Resource::GroupRoleManagement,
            "azuread_directory_role_eligibility_schedule_request" => {
                Resource::DirectoryRoleEligibility
            }
            "azuread_privileged_access_group_eligibility_schedule" => {
                Resource::GroupSchedule { eligible: true }
            }
            "azuread_privileged_access_group_assignment_schedule" => {
                Resource::GroupSchedule { eligible: false }
            }
            _ => return None,
        })
    }
}

/// Resource types that hold Conditional Access or PIM configuration which entralint does not
/// read (yet): named in one note per file, so that nobody takes their absence from the findings
/// for a clean bill. A Microsoft Graph provider resource whose `url` names nothing entralint
/// reads is named in the same note.
pub(crate) const NOT_READ: [&str; 0] = [];

/// The resource types of the Microsoft Graph provider whose `body` is a Graph object.
pub(crate) const GRAPH_TYPES: [&str; 2] = ["msgraph_resource", "msgraph_update_resource"];

/// What the `url` of a Microsoft Graph provider resource addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GraphTarget {
    /// `policies/roleManagementPolicies/{policy}/rules/{rule}`: one rule of a PIM policy
    /// (<https://learn.microsoft.com/graph/api/unifiedrolemanagementpolicyrule-update>).
    PolicyRule { policy: String, rule: String },
    /// `policies/roleManagementPolicies/{policy}`: a PIM policy, its rules in the body.
    Policy { policy: String },
    /// `policies/roleManagementPolicyAssignments`: which policy governs which role (a data
    /// source's query).
    PolicyAssignments,
    /// A collection (`identity/conditionalAccess/policies`) or one of its items, of a kind read
    /// as a Graph export reads it.
    Object { kind: Kind, id: Option<String> },
}

/// What a Graph provider `url` addresses: relative to the API version as the provider's
/// documentation writes it (`applications/${…}`, `/users/{id}`), or as a full
/// `https://graph.microsoft.com/v1.0/…` address; the query is ignored. A segment written as a
/// Terraform interpolation (`${data.msgraph_resource.ga.output.policy_id}`) stands for that
/// reference, by its address. `None` for anything else.
pub(crate) fn graph_target(url: &str) -> Option<GraphTarget> {
    let mut u = url.trim();
    for prefix in ["https://graph.microsoft.com/", "graph.microsoft.com/"] {
        if let Some(rest) = u.strip_prefix(prefix) {
            u = rest;
        }
    }
    let u = u.trim_start_matches('/');
    let u = ["v1.0/", "beta/"]
        .iter()
        .find_map(|v| u.strip_prefix(v))
        .unwrap_or(u);
    let segments = segments(u);
    let s: Vec<&str> = segments.iter().map(String::as_str).collect();
    let is = |i: usize, name: &str| s.get(i).is_some_and(|x| x.eq_ignore_ascii_case(name));
    let id = |i: usize| s.get(i).map(|x| (*x).to_owned());
    if is(0, "policies") && is(1, "roleManagementPolicies") {
        return match s.len() {
            3 => Some(GraphTarget::Policy { policy: id(2)? }),
            5 if is(3, "rules") => Some(GraphTarget::PolicyRule {
                policy: id(2)?,
                rule: id(4)?,
            }),
            _ => None,
        };
    }
    if is(0, "policies") && is(1, "roleManagementPolicyAssignments") && s.len() == 2 {
        return Some(GraphTarget::PolicyAssignments);
    }
    let (kind, at) = if is(0, "identity") && is(1, "conditionalAccess") && is(2, "policies") {
        (Kind::ConditionalAccessPolicy, 3)
    } else if is(0, "identity")
        && is(1, "conditionalAccess")
        && is(2, "authenticationContextClassReferences")
    {
        (Kind::AuthenticationContext, 3)
    } else if is(0, "policies") && is(1, "authenticationStrengthPolicies") {
        (Kind::AuthenticationStrength, 2)
    } else if is(0, "identity")
        && is(1, "conditionalAccess")
        && is(2, "authenticationStrength")
        && is(3, "policies")
    {
        (Kind::AuthenticationStrength, 4)
    } else {
        return None;
    };
    match s.len() - at {
        0 => Some(GraphTarget::Object { kind, id: None }),
        1 => Some(GraphTarget::Object { kind, id: id(at) }),
        _ => None,
    }
}

/// The `/`-separated segments of a path, an interpolation (`${…}`, which may hold a `/`) kept
/// whole and read as the reference it holds; the query (`?…`) left out.
fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' if chars.peek() == Some(&'{') => {
                depth += 1;
                cur.push(c);
            }
            '}' if depth > 0 => {
                depth -= 1;
                cur.push(c);
            }
            '/' if depth == 0 => out.push(std::mem::take(&mut cur)),
            '?' if depth == 0 => break,
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter()
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
                Some(inner) if !inner.contains("${") => inner.trim().to_owned(),
                _ => s,
            },
        )
        .collect()
}

/// What an OData `$filter` of `policies/roleManagementPolicyAssignments` names
/// (`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '<id>'`, as
/// <https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicyassignments> writes
/// it): each property compared with `eq` to a quoted value, by its name in lower case.
pub(crate) fn filter_equalities(filter: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = filter;
    while let Some(at) = rest.find(" eq ") {
        let before = rest[..at].trim_end();
        let name: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after = rest[at + 4..].trim_start();
        let Some(value) = after.strip_prefix('\'') else {
            rest = after;
            continue;
        };
        let Some(end) = value.find('\'') else { break };
        if !name.is_empty() {
            out.push((name.to_ascii_lowercase(), value[..end].to_owned()));
        }
        rest = &value[end + 1..];
    }
    out
}

/// Whether an attribute (by its name) is a list of strings, as opposed to a string or a block.
pub(crate) fn is_string_list(name: &str) -> bool {
    let prefixed = name.starts_with("included_") || name.starts_with("excluded_");
    (prefixed && !name.ends_with("_guests_or_external_users"))
        || matches!(
            name,
            "built_in_controls"
                | "custom_authentication_factors"
                | "terms_of_use"
                | "client_app_types"
                | "sign_in_risk_levels"
                | "user_risk_levels"
                | "service_principal_risk_levels"
                | "authentication_flow_transfer_methods"
                | "allowed_combinations"
                | "members"
                | "guest_or_external_user_types"
                | "additional_recipients"
        )
}

/// A resource mapped into Graph's shape.
#[derive(Debug, Default)]
pub(crate) struct Mapped {
    pub graph: Map<String, Value>,
    /// Graph paths (below the object) and the attribute paths (below the resource's values)
    /// they were read from, `/`-separated.
    pub aliases: Vec<(String, String)>,
}

impl Mapped {
    /// The Graph path of the value read from the attribute at `tf` (or from an element of it).
    pub(crate) fn graph_path(&self, tf: &str) -> Option<String> {
        if let Some((g, _)) = self.aliases.iter().find(|(_, t)| t == tf) {
            return Some(g.clone());
        }
        let (list, index) = tf.rsplit_once('/')?;
        index.parse::<usize>().ok()?;
        let (g, _) = self.aliases.iter().find(|(_, t)| t == list)?;
        Some(format!("{g}/{index}"))
    }
}

/// An id as the provider writes it (`/groups/<uuid>`), as Graph writes it (`<uuid>`).
pub(crate) fn bare_id(s: &str) -> String {
    let t = s.trim();
    match t.strip_prefix('/') {
        Some(path) if !path.is_empty() => path.rsplit('/').next().unwrap_or(path).to_owned(),
        _ => t.to_owned(),
    }
}

/// Maps the values of a resource (the plan's `values`, blocks as lists) into Graph's shape.
pub(crate) fn map(resource: Resource, values: &Value) -> Mapped {
    let mut m = Mapper {
        v: values,
        out: Mapped::default(),
    };
    match resource {
        Resource::ConditionalAccess => m.policy(),
        Resource::AuthenticationStrength => m.strength(),
        Resource::NamedLocation => m.named_location(),
        Resource::DirectoryRoleEligibility => m.eligibility(),
        Resource::GroupSchedule { eligible } => m.group_schedule(eligible),
        // Not a Graph object read by kind: the loader builds the policy itself.
        Resource::GroupRoleManagement => {}
    }
    m.out
}

struct Mapper<'v> {
    v: &'v Value,
    out: Mapped,
}

impl<'v> Mapper<'v> {
    /// The value at `tf` (`conditions/0/users/0/excluded_groups`), when set.
    fn get(&self, tf: &str) -> Option<&'v Value> {
        let mut at = self.v;
        for seg in tf.split('/') {
            at = match at {
                Value::Object(o) => o.get(seg)?,
                Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        (!at.is_null()).then_some(at)
    }

    /// Whether the block at `tf` is there (a list of one object).
    fn block(&mut self, tf: &str, graph: &str) -> bool {
        let there = self.get(tf).is_some_and(|v| v.is_object());
        if there {
            self.alias(graph, tf);
        }
        there
    }

    fn alias(&mut self, graph: &str, tf: &str) {
        self.out.aliases.push((graph.to_owned(), tf.to_owned()));
    }

    /// A list of strings, each through `f`; an element that is not a string is kept as it is
    /// (the model reports its type).
    fn list(&mut self, tf: &str, graph: &str, f: fn(&str) -> String) -> Option<Value> {
        let v = self.get(tf)?;
        self.alias(graph, tf);
        Some(match v {
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|i| match i {
                        Value::String(s) => Value::String(f(s)),
                        other => other.clone(),
                    })
                    .collect(),
            ),
            other => other.clone(),
        })
    }

    /// A scalar; the provider's zero values (`""`, `0`) of an unset optional attribute are none.
    fn scalar(&mut self, tf: &str, graph: &str) -> Option<Value> {
        let v = self.get(tf)?;
        let unset = match v {
            Value::String(s) => s.is_empty(),
            Value::Number(n) => n.as_f64() == Some(0.0),
            _ => false,
        };
        if unset {
            return None;
        }
        self.alias(graph, tf);
        Some(v.clone())
    }

    /// The object's `id` (the provider's path stripped to the id) and `displayName`.
    fn identity(&mut self) -> Map<String, Value> {
        let mut g = Map::new();
        if let Some(Value::String(id)) = self.get("id") {
            self.alias("id", "id");
            g.insert("id".into(), Value::String(bare_id(id)));
        }
        put(
            &mut g,
            "displayName",
            self.scalar("display_name", "displayName"),
        );
        g
    }

    /// `azuread_conditional_access_policy` → `conditionalAccessPolicy`.
    fn policy(&mut self) {
        let mut g = self.identity();
        put(&mut g, "state", self.scalar("state", "state"));

        let mut conditions = Map::new();
        let c = "conditions/0";
        // Not aliased: Graph's `conditions` and the attribute share a name, and an alias would
        // send the attribute's own paths (`conditions/0/…`) elsewhere. A finding on Graph's
        // `conditions` lands on the attribute all the same.
        if self.get(c).is_some_and(Value::is_object) {
            let u = format!("{c}/users/0");
            if self.block(&u, "conditions/users") {
                let mut users = Map::new();
                for (tf, graph) in [
                    ("included_users", "includeUsers"),
                    ("excluded_users", "excludeUsers"),
                    ("included_groups", "includeGroups"),
                    ("excluded_groups", "excludeGroups"),
                    ("included_roles", "includeRoles"),
                    ("excluded_roles", "excludeRoles"),
                ] {
                    let v = self.list(
                        &format!("{u}/{tf}"),
                        &format!("conditions/users/{graph}"),
                        bare_id,
                    );
                    put(&mut users, graph, v);
                }
                for (tf, graph) in [
                    (
                        "included_guests_or_external_users",
                        "includeGuestsOrExternalUsers",
                    ),
                    (
                        "excluded_guests_or_external_users",
                        "excludeGuestsOrExternalUsers",
                    ),
                ] {
                    let v =
                        self.guests(&format!("{u}/{tf}/0"), &format!("conditions/users/{graph}"));
                    put(&mut users, graph, v);
                }
                conditions.insert("users".into(), Value::Object(users));
            }
            let a = format!("{c}/applications/0");
            if self.block(&a, "conditions/applications") {
                let mut apps = Map::new();
                for (tf, graph) in [
                    ("included_applications", "includeApplications"),
                    ("excluded_applications", "excludeApplications"),
                    ("included_user_actions", "includeUserActions"),
                ] {
                    let v = self.list(
                        &format!("{a}/{tf}"),
                        &format!("conditions/applications/{graph}"),
                        str::to_owned,
                    );
                    put(&mut apps, graph, v);
                }
                let filter = self.filter(
                    &format!("{a}/filter/0"),
                    "conditions/applications/applicationFilter",
                );
                put(&mut apps, "applicationFilter", filter);
                conditions.insert("applications".into(), Value::Object(apps));
            }
            for (tf, graph) in [
                ("client_app_types", "clientAppTypes"),
                ("sign_in_risk_levels", "signInRiskLevels"),
                ("user_risk_levels", "userRiskLevels"),
                (
                    "service_principal_risk_levels",
                    "servicePrincipalRiskLevels",
                ),
            ] {
                let v = self.list(
                    &format!("{c}/{tf}"),
                    &format!("conditions/{graph}"),
                    str::to_owned,
                );
                put(&mut conditions, graph, v);
            }
            let insider = self.scalar(
                &format!("{c}/insider_risk_levels"),
                "conditions/insiderRiskLevels",
            );
            put(&mut conditions, "insiderRiskLevels", insider);
            // Graph writes the transfer methods as one comma-separated flags value.
            let methods = format!("{c}/authentication_flow_transfer_methods");
            if let Some(Value::Array(items)) = self.get(&methods) {
                let joined: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                if !joined.is_empty() {
                    self.alias("conditions/authenticationFlows/transferMethods", &methods);
                    conditions.insert(
                        "authenticationFlows".into(),
                        json!({ "transferMethods": joined.join(",") }),
                    );
                }
            }
            for (block, graph, pairs) in [
                (
                    "platforms",
                    "platforms",
                    [
                        ("included_platforms", "includePlatforms"),
                        ("excluded_platforms", "excludePlatforms"),
                    ],
                ),
                (
                    "locations",
                    "locations",
                    [
                        ("included_locations", "includeLocations"),
                        ("excluded_locations", "excludeLocations"),
                    ],
                ),
                (
                    "client_applications",
                    "clientApplications",
                    [
                        ("included_service_principals", "includeServicePrincipals"),
                        ("excluded_service_principals", "excludeServicePrincipals"),
                    ],
                ),
            ] {
                let b = format!("{c}/{block}/0");
                if !self.block(&b, &format!("conditions/{graph}")) {
                    continue;
                }
                let mut out = Map::new();
                for (tf, key) in pairs {
                    let v = self.list(
                        &format!("{b}/{tf}"),
                        &format!("conditions/{graph}/{key}"),
                        str::to_owned,
                    );
                    put(&mut out, key, v);
                }
                if block == "client_applications" {
                    let filter = self.filter(
                        &format!("{b}/filter/0"),
                        "conditions/clientApplications/servicePrincipalFilter",
                    );
                    put(&mut out, "servicePrincipalFilter", filter);
                }
                conditions.insert(graph.into(), Value::Object(out));
            }
            let d = format!("{c}/devices/0");
            if self.block(&d, "conditions/devices") {
                let filter =
                    self.filter(&format!("{d}/filter/0"), "conditions/devices/deviceFilter");
                let mut devices = Map::new();
                put(&mut devices, "deviceFilter", filter);
                conditions.insert("devices".into(), Value::Object(devices));
            }
        }
        g.insert("conditions".into(), Value::Object(conditions));

        let gc = "grant_controls/0";
        if self.block(gc, "grantControls") {
            let mut grant = Map::new();
            put(
                &mut grant,
                "operator",
                self.scalar(&format!("{gc}/operator"), "grantControls/operator"),
            );
            for (tf, graph) in [
                ("built_in_controls", "builtInControls"),
                (
                    "custom_authentication_factors",
                    "customAuthenticationFactors",
                ),
                ("terms_of_use", "termsOfUse"),
            ] {
                let v = self.list(
                    &format!("{gc}/{tf}"),
                    &format!("grantControls/{graph}"),
                    str::to_owned,
                );
                put(&mut grant, graph, v);
            }
            let strength = format!("{gc}/authentication_strength_policy_id");
            if let Some(Value::String(id)) =
                self.scalar(&strength, "grantControls/authenticationStrength/id")
            {
                self.alias("grantControls/authenticationStrength", &strength);
                grant.insert(
                    "authenticationStrength".into(),
                    json!({ "id": bare_id(&id) }),
                );
            }
            g.insert("grantControls".into(), Value::Object(grant));
        }

        let sc = "session_controls/0";
        if self.block(sc, "sessionControls") {
            let mut session = Map::new();
            let at = |name: &str| format!("{sc}/{name}");
            let frequency = self.scalar(
                &at("sign_in_frequency"),
                "sessionControls/signInFrequency/value",
            );
            let interval = self.scalar(
                &at("sign_in_frequency_interval"),
                "sessionControls/signInFrequency/frequencyInterval",
            );
            let every_time = interval.as_ref().and_then(Value::as_str) == Some("everyTime");
            if frequency.is_some() || every_time {
                self.alias("sessionControls/signInFrequency", &at("sign_in_frequency"));
                let mut f = Map::new();
                f.insert("isEnabled".into(), Value::Bool(true));
                put(&mut f, "value", frequency);
                let period = self.scalar(
                    &at("sign_in_frequency_period"),
                    "sessionControls/signInFrequency/type",
                );
                put(&mut f, "type", period);
                let kind = self.scalar(
                    &at("sign_in_frequency_authentication_type"),
                    "sessionControls/signInFrequency/authenticationType",
                );
                put(&mut f, "authenticationType", kind);
                put(&mut f, "frequencyInterval", interval);
                session.insert("signInFrequency".into(), Value::Object(f));
            }
            if let Some(mode) = self.scalar(
                &at("persistent_browser_mode"),
                "sessionControls/persistentBrowser/mode",
            ) {
                self.alias(
                    "sessionControls/persistentBrowser",
                    &at("persistent_browser_mode"),
                );
                session.insert(
                    "persistentBrowser".into(),
                    json!({ "isEnabled": true, "mode": mode }),
                );
            }
            if let Some(policy) = self.scalar(
                &at("cloud_app_security_policy"),
                "sessionControls/cloudAppSecurity/cloudAppSecurityType",
            ) {
                self.alias(
                    "sessionControls/cloudAppSecurity",
                    &at("cloud_app_security_policy"),
                );
                session.insert(
                    "cloudAppSecurity".into(),
                    json!({ "isEnabled": true, "cloudAppSecurityType": policy }),
                );
            }
            let restrictions = at("application_enforced_restrictions_enabled");
            if let Some(Value::Bool(on)) = self.get(&restrictions) {
                self.alias(
                    "sessionControls/applicationEnforcedRestrictions",
                    &restrictions,
                );
                session.insert(
                    "applicationEnforcedRestrictions".into(),
                    json!({ "isEnabled": on }),
                );
            }
            let resilience = self.scalar(
                &at("disable_resilience_defaults"),
                "sessionControls/disableResilienceDefaults",
            );
            put(&mut session, "disableResilienceDefaults", resilience);
            g.insert("sessionControls".into(), Value::Object(session));
        }
        self.out.graph = g;
    }

    /// A `guests_or_external_users` block → `conditionalAccessGuestsOrExternalUsers`.
    fn guests(&mut self, tf: &str, graph: &str) -> Option<Value> {
        if !self.block(tf, graph) {
            return None;
        }
        let mut out = Map::new();
        let types = format!("{tf}/guest_or_external_user_types");
        if let Some(Value::Array(items)) = self.get(&types) {
            self.alias(&format!("{graph}/guestOrExternalUserTypes"), &types);
            let joined: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            out.insert(
                "guestOrExternalUserTypes".into(),
                Value::String(joined.join(",")),
            );
        }
        let tenants = format!("{tf}/external_tenants/0");
        if self.block(&tenants, &format!("{graph}/externalTenants")) {
            let mut t = Map::new();
            let kind = self.scalar(
                &format!("{tenants}/membership_kind"),
                &format!("{graph}/externalTenants/membershipKind"),
            );
            put(&mut t, "membershipKind", kind);
            let members = self.list(
                &format!("{tenants}/members"),
                &format!("{graph}/externalTenants/members"),
                str::to_owned,
            );
            put(&mut t, "members", members);
            out.insert("externalTenants".into(), Value::Object(t));
        }
        Some(Value::Object(out))
    }

    /// A `filter` block (`{mode, rule}`).
    fn filter(&mut self, tf: &str, graph: &str) -> Option<Value> {
        if !self.block(tf, graph) {
            return None;
        }
        let mut f = Map::new();
        put(
            &mut f,
            "mode",
            self.scalar(&format!("{tf}/mode"), &format!("{graph}/mode")),
        );
        put(
            &mut f,
            "rule",
            self.scalar(&format!("{tf}/rule"), &format!("{graph}/rule")),
        );
        Some(Value::Object(f))
    }

    /// `azuread_authentication_strength_policy` → `authenticationStrengthPolicy`.
    fn strength(&mut self) {
        let mut g = self.identity();
        put(
            &mut g,
            "description",
            self.scalar("description", "description"),
        );
        put(&mut g, "policyType", Some(Value::String("custom".into())));
        put(
            &mut g,
            "allowedCombinations",
            self.list("allowed_combinations", "allowedCombinations", str::to_owned),
        );
        self.out.graph = g;
    }

    /// `azuread_named_location` → `ipNamedLocation` (an `ip` block: `ip_ranges`, `trusted`) or
    /// `countryNamedLocation` (a `country` block: `countries_and_regions`,
    /// `include_unknown_countries_and_regions`, `country_lookup_method`), per the provider's
    /// `named_location.md`.
    fn named_location(&mut self) {
        let mut g = self.identity();
        if self.block("ip/0", "ipRanges") {
            g.insert(
                "@odata.type".into(),
                Value::String("#microsoft.graph.ipNamedLocation".into()),
            );
            if let Some(Value::Array(ranges)) =
                self.list("ip/0/ip_ranges", "ipRanges", str::to_owned)
            {
                let ranges: Vec<Value> = ranges
                    .into_iter()
                    .map(|r| match r {
                        Value::String(cidr) => {
                            let family = if cidr.contains(':') { "iPv6CidrRange" } else { "iPv4CidrRange" };
                            json!({ "@odata.type": format!("#microsoft.graph.{family}"), "cidrAddress": cidr })
                        }
                        other => other,
                    })
                    .collect();
                g.insert("ipRanges".into(), Value::Array(ranges));
            }
            put(
                &mut g,
                "isTrusted",
                self.scalar("ip/0/trusted", "isTrusted"),
            );
        } else if self.block("country/0", "countriesAndRegions") {
            g.insert(
                "@odata.type".into(),
                Value::String("#microsoft.graph.countryNamedLocation".into()),
            );
            put(
                &mut g,
                "countriesAndRegions",
                self.list(
                    "country/0/countries_and_regions",
                    "countriesAndRegions",
                    str::to_owned,
                ),
            );
            put(
                &mut g,
                "includeUnknownCountriesAndRegions",
                self.scalar(
                    "country/0/include_unknown_countries_and_regions",
                    "includeUnknownCountriesAndRegions",
                ),
            );
            put(
                &mut g,
                "countryLookupMethod",
                self.scalar("country/0/country_lookup_method", "countryLookupMethod"),
            );
        }
        self.out.graph = g;
    }

    /// `azuread_directory_role_eligibility_schedule_request` → the `unifiedRoleEligibilitySchedule`
    /// it makes: `role_definition_id` (the role's template id), `principal_id`,
    /// `directory_scope_id` (the provider's `directory_role_eligibility_schedule_request.md`).
    fn eligibility(&mut self) {
        let mut g = Map::new();
        for (tf, graph) in [
            ("principal_id", "principalId"),
            ("role_definition_id", "roleDefinitionId"),
            ("directory_scope_id", "directoryScopeId"),
        ] {
            let value = self.scalar(tf, graph).map(|v| match v {
                Value::String(s) => Value::String(bare_id(&s)),
                other => other,
            });
            put(&mut g, graph, value);
        }
        put(&mut g, "memberType", Some(Value::String("Direct".into())));
        self.out.graph = g;
    }

    /// `azuread_privileged_access_group_eligibility_schedule` and `…_assignment_schedule` → the
    /// `privilegedAccessGroupEligibilitySchedule` (or `…AssignmentSchedule`) they make:
    /// `group_id`, `principal_id`, `assignment_type` (`member` or `owner`) and the schedule
    /// (`start_date`, `expiration_date`, `duration`, `permanent_assignment`), per the provider's
    /// `privileged_access_group_eligibility_schedule.md`.
    fn group_schedule(&mut self, eligible: bool) {
        let mut g = Map::new();
        for (tf, graph) in [("group_id", "groupId"), ("principal_id", "principalId")] {
            let value = self.scalar(tf, graph).map(|v| match v {
                Value::String(s) => Value::String(bare_id(&s)),
                other => other,
            });
            put(&mut g, graph, value);
        }
        put(
            &mut g,
            "accessId",
            self.scalar("assignment_type", "accessId"),
        );
        put(&mut g, "memberType", Some(Value::String("direct".into())));
        if !eligible {
            put(
                &mut g,
                "assignmentType",
                Some(Value::String("assigned".into())),
            );
        }
        let mut expiration = Map::new();
        let permanent = matches!(self.get("permanent_assignment"), Some(Value::Bool(true)));
        if permanent {
            self.alias("scheduleInfo/expiration/type", "permanent_assignment");
            put(
                &mut expiration,
                "type",
                Some(Value::String("noExpiration".into())),
            );
        } else if let Some(end) =
            self.scalar("expiration_date", "scheduleInfo/expiration/endDateTime")
        {
            put(
                &mut expiration,
                "type",
                Some(Value::String("afterDateTime".into())),
            );
            put(&mut expiration, "endDateTime", Some(end));
        } else if let Some(d) = self.scalar("duration", "scheduleInfo/expiration/duration") {
            put(
                &mut expiration,
                "type",
                Some(Value::String("afterDuration".into())),
            );
            put(&mut expiration, "duration", Some(d));
        }
        let mut schedule = Map::new();
        put(
            &mut schedule,
            "startDateTime",
            self.scalar("start_date", "scheduleInfo/startDateTime"),
        );
        if !expiration.is_empty() {
            schedule.insert("expiration".into(), Value::Object(expiration));
        }
        if !schedule.is_empty() {
            g.insert("scheduleInfo".into(), Value::Object(schedule));
        }
        self.out.graph = g;
    }
}

/// Inserts `value` under `key` when there is one.
fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        map.insert(key.to_owned(), v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_maps_to_graph() {
        let v = json!({
            "id": "/identity/conditionalAccess/policies/3c4d5e6f-0101-4000-8000-000000000101",
            "display_name": "CA01", "state": "enabled",
            "conditions": [{
                "client_app_types": ["all"],
                "users": [{"included_users": ["All"], "excluded_groups": ["/groups/2b3c4d5e-0001-4000-8000-000000000001"],
                           "included_guests_or_external_users": []}],
                "applications": [{"included_applications": ["All"], "excluded_applications": []}],
                "locations": [], "platforms": [], "devices": []
            }],
            "grant_controls": [{"operator": "OR", "built_in_controls": ["mfa"],
                                "authentication_strength_policy_id": "", "terms_of_use": null}],
            "session_controls": [{"sign_in_frequency": 4, "sign_in_frequency_period": "hours",
                                  "persistent_browser_mode": "", "cloud_app_security_policy": "",
                                  "application_enforced_restrictions_enabled": false}]
        });
        let m = map(Resource::ConditionalAccess, &v);
        assert_eq!(
            Value::Object(m.graph.clone()),
            json!({
                "id": "3c4d5e6f-0101-4000-8000-000000000101", "displayName": "CA01", "state": "enabled",
                "conditions": {
                    "users": {"includeUsers": ["All"], "excludeGroups": ["2b3c4d5e-0001-4000-8000-000000000001"]},
                    "applications": {"includeApplications": ["All"], "excludeApplications": []},
                    "clientAppTypes": ["all"]
                },
                "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
                "sessionControls": {
                    "signInFrequency": {"isEnabled": true, "value": 4, "type": "hours"},
                    "applicationEnforcedRestrictions": {"isEnabled": false}
                }
            })
        );
        assert_eq!(
            m.graph_path("conditions/0/users/0/excluded_groups/0")
                .as_deref(),
            Some("conditions/users/excludeGroups/0")
        );
    }

    #[test]
    fn graph_urls_name_what_they_address() {
        assert_eq!(
            graph_target("policies/roleManagementPolicies/${data.msgraph_resource.ga.output.policy_id}/rules/Enablement_EndUser_Assignment"),
            Some(GraphTarget::PolicyRule {
                policy: "data.msgraph_resource.ga.output.policy_id".into(),
                rule: "Enablement_EndUser_Assignment".into()
            })
        );
        assert_eq!(
            graph_target("https://graph.microsoft.com/beta/policies/roleManagementPolicies/DirectoryRole_t_1?$expand=rules"),
            Some(GraphTarget::Policy {
                policy: "DirectoryRole_t_1".into()
            })
        );
        assert_eq!(
            graph_target("/identity/conditionalAccess/policies"),
            Some(GraphTarget::Object {
                kind: Kind::ConditionalAccessPolicy,
                id: None
            })
        );
        assert_eq!(
            graph_target("identity/conditionalAccess/authenticationContextClassReferences/c2"),
            Some(GraphTarget::Object {
                kind: Kind::AuthenticationContext,
                id: Some("c2".into())
            })
        );
        assert_eq!(
            graph_target("policies/authenticationStrengthPolicies"),
            Some(GraphTarget::Object {
                kind: Kind::AuthenticationStrength,
                id: None
            })
        );
        assert_eq!(graph_target("applications"), None);
        assert_eq!(
            graph_target("policies/roleManagementPolicies/x/rules"),
            None
        );
        assert_eq!(
            filter_equalities("scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '62e90394'"),
            vec![
                ("scopeid".to_owned(), "/".to_owned()),
                ("scopetype".to_owned(), "DirectoryRole".to_owned()),
                ("roledefinitionid".to_owned(), "62e90394".to_owned())
            ]
        );
    }

    #[test]
    fn string_lists_are_told_from_blocks() {
        assert!(is_string_list("excluded_groups"));
        assert!(is_string_list("built_in_controls"));
        assert!(!is_string_list("included_guests_or_external_users"));
        assert!(!is_string_list("authentication_strength_policy_id"));
        assert_eq!(bare_id("/groups/abc"), "abc");
        assert_eq!(bare_id("All"), "All");
    }
}
