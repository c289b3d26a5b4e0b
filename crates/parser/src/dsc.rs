//! Microsoft365DSC's vocabulary, read into Graph's shape: one mapper for every container that
//! holds Microsoft365DSC resources (Microsoft Graph's tenant configuration management snapshots
//! today). A resource's `properties` become the object Graph would return, which the loader then
//! reads as it reads a Graph export; each value keeps the name of the property it came from, so
//! that findings land on that property.
//!
//! Parameter names and types are those of each resource's `MSFT_<Resource>.schema.mof` in
//! <https://github.com/microsoft/Microsoft365DSC/tree/dev/Modules/Microsoft365DSC/DSCResources>.
//! Microsoft365DSC writes references as names, not ids (users by UPN; groups, roles, named
//! locations, authentication strengths and contexts by display name): they are kept as written,
//! and resolved (or reported) with the other names a policy may hold.
//!
//! Tenant configuration management writes some values in encodings that lose what they held
//! (seen in kayasax/EasyTCM's `sample-snapshot.json`): a list as one string, its entries joined
//! with spaces (`"BuiltInControls": "mfa passwordChange"`), an empty list as `""`, and a nested
//! object as its PowerShell type name (`"System.Collections.Hashtable"`). A joined list of values
//! that hold no space (controls, platforms, UPNs, address ranges) is split back exactly; a joined
//! list of display names cannot be (role and group names hold spaces), and a type name has lost
//! the object: both are [`Lossy`] values.

use crate::kinds::Kind;
use serde_json::{json, Map, Value};

/// A Microsoft365DSC resource entralint reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resource {
    ConditionalAccessPolicy,
    AuthenticationStrengthPolicy,
    AuthenticationContextClassReference,
    NamedLocationPolicy,
    RoleDefinition,
}

impl Resource {
    /// The resource Microsoft365DSC names `name` (`AADConditionalAccessPolicy`, any case).
    pub(crate) fn of_dsc_name(name: &str) -> Option<Resource> {
        [
            Resource::ConditionalAccessPolicy,
            Resource::AuthenticationStrengthPolicy,
            Resource::AuthenticationContextClassReference,
            Resource::NamedLocationPolicy,
            Resource::RoleDefinition,
        ]
        .into_iter()
        .find(|r| r.dsc_name().eq_ignore_ascii_case(name.trim()))
    }

    /// The kind of object the resource is read as.
    pub(crate) fn kind(self) -> Kind {
        match self {
            Resource::ConditionalAccessPolicy => Kind::ConditionalAccessPolicy,
            Resource::AuthenticationStrengthPolicy => Kind::AuthenticationStrength,
            Resource::AuthenticationContextClassReference => Kind::AuthenticationContext,
            Resource::NamedLocationPolicy => Kind::NamedLocation,
            Resource::RoleDefinition => Kind::RoleDefinition,
        }
    }

    /// Its Microsoft365DSC name (`AADConditionalAccessPolicy`).
    pub(crate) fn dsc_name(self) -> &'static str {
        match self {
            Resource::ConditionalAccessPolicy => "AADConditionalAccessPolicy",
            Resource::AuthenticationStrengthPolicy => "AADAuthenticationStrengthPolicy",
            Resource::AuthenticationContextClassReference => {
                "AADAuthenticationContextClassReference"
            }
            Resource::NamedLocationPolicy => "AADNamedLocationPolicy",
            Resource::RoleDefinition => "AADRoleDefinition",
        }
    }
}

/// A resource in Graph's shape.
#[derive(Debug, Default)]
pub(crate) struct Mapped {
    pub graph: Map<String, Value>,
    /// Where each value of `graph` was read from: its path below the object
    /// (`conditions/users/excludeUsers`) and the key of the property, as the properties spell it.
    pub aliases: Vec<(String, String)>,
    /// Values whose content is lost or ambiguous.
    pub lossy: Vec<Lossy>,
    /// Lists written as text and read back exactly: the keys of the properties, as spelled.
    pub joined: Vec<String>,
    /// Empty lists written as `""`: the keys of the properties.
    pub empty_text: Vec<String>,
}

/// A value whose content is lost or ambiguous.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lossy {
    /// The key of the property, as spelled.
    pub property: String,
    pub what: LossyWhat,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LossyWhat {
    /// A PowerShell type name where an object or a list of objects belongs.
    TypeName(String),
    /// A list of display names written as one string holding spaces: one name, or several
    /// joined, cannot be told.
    JoinedNames(String),
}

/// What the entries of a list are, for reading one written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entries {
    /// Values that hold no space (enumerations, UPNs, ids, address ranges): a string is the
    /// entries joined with spaces.
    Tokens,
    /// Display names, which may hold spaces.
    Names,
}

/// How the container writes a list property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lists {
    /// As an array, or as text (the entries joined with spaces, `""` for none): tenant
    /// configuration management's snapshots.
    ArrayOrText,
    /// As an array, or as one value that is the only entry: PowerShell binds a single value to a
    /// `String[]` parameter as a list of one (Microsoft365DSC's configurations and reports).
    ArrayOrOne,
}

/// Reads the properties of a resource (keys as the loader normalised them, any case).
pub(crate) fn map(resource: Resource, properties: &Map<String, Value>, lists: Lists) -> Mapped {
    let mut m = Reader {
        properties,
        lists,
        out: Mapped::default(),
    };
    m.type_names();
    match resource {
        Resource::ConditionalAccessPolicy => m.conditional_access(),
        Resource::AuthenticationStrengthPolicy => m.strength(),
        Resource::AuthenticationContextClassReference => m.context(),
        Resource::NamedLocationPolicy => m.named_location(),
        Resource::RoleDefinition => m.role_definition(),
    }
    m.out
}

struct Reader<'p> {
    properties: &'p Map<String, Value>,
    lists: Lists,
    out: Mapped,
}

impl<'p> Reader<'p> {
    /// The property `name` (any case): its key as spelled, and its value (`null` is absent).
    fn get(&self, name: &str) -> Option<(&'p str, &'p Value)> {
        let properties: &'p Map<String, Value> = self.properties;
        properties
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(name) && !v.is_null())
            .map(|(k, v)| (k.as_str(), v))
    }

    /// Records that `path` of the Graph object was read from property `key`.
    fn alias(&mut self, path: &str, key: &str) {
        self.out.aliases.push((path.to_owned(), key.to_owned()));
    }

    /// Every value that is a PowerShell type name (a nested object lost to serialisation).
    fn type_names(&mut self) {
        for (key, value) in self.properties {
            if let Value::String(s) = value {
                if crate::json::is_depth_truncated(s) {
                    self.out.lossy.push(Lossy {
                        property: key.clone(),
                        what: LossyWhat::TypeName(s.clone()),
                    });
                }
            }
        }
    }

    fn is_lost(&self, key: &str) -> bool {
        self.out.lossy.iter().any(|l| l.property == key)
    }

    /// A string property, at `path` (`None` when absent or empty).
    fn text(&mut self, name: &str, path: &str) -> Option<Value> {
        let (key, value) = self.get(name)?;
        let key = key.to_owned();
        let value = match value {
            Value::String(s) if s.is_empty() || self.is_lost(&key) => return None,
            Value::String(s) => Value::String(s.clone()),
            // A number or a flag where text belongs: kept, for the reader to report.
            other => other.clone(),
        };
        self.alias(path, &key);
        Some(value)
    }

    /// A boolean or number property, kept as it is.
    fn scalar(&mut self, name: &str, path: &str) -> Option<Value> {
        let (key, value) = self.get(name)?;
        if matches!(value, Value::String(s) if s.is_empty()) {
            return None;
        }
        let (key, value) = (key.to_owned(), value.clone());
        self.alias(path, &key);
        Some(value)
    }

    /// A list property, at `path`: its entries (`None` when absent), each through `each`.
    fn list(
        &mut self,
        name: &str,
        path: &str,
        entries: Entries,
        each: fn(&str) -> String,
    ) -> Option<Vec<String>> {
        let (key, value) = self.get(name)?;
        let key = key.to_owned();
        let items: Vec<String> = match value {
            Value::Array(items) => items
                .iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Null => None,
                    other => Some(other.to_string()),
                })
                .collect(),
            Value::String(s) if self.is_lost(&key) => {
                let _ = s;
                return None;
            }
            Value::String(s) if self.lists == Lists::ArrayOrOne => {
                if s.trim().is_empty() {
                    Vec::new()
                } else {
                    vec![s.trim().to_owned()]
                }
            }
            Value::String(s) if s.trim().is_empty() => {
                self.out.empty_text.push(key.clone());
                Vec::new()
            }
            Value::String(s) => match entries {
                Entries::Tokens => {
                    self.out.joined.push(key.clone());
                    s.split_whitespace().map(str::to_owned).collect()
                }
                Entries::Names if s.trim().contains(char::is_whitespace) => {
                    self.out.lossy.push(Lossy {
                        property: key.clone(),
                        what: LossyWhat::JoinedNames(s.clone()),
                    });
                    // Read as one name: resolved if it is one, else reported as unresolved.
                    vec![s.trim().to_owned()]
                }
                Entries::Names => {
                    self.out.joined.push(key.clone());
                    vec![s.trim().to_owned()]
                }
            },
            other => vec![other.to_string()],
        };
        self.alias(path, &key);
        Some(items.iter().map(|s| each(s)).collect())
    }

    /// [`Reader::list`] as a JSON array, with entries kept as written.
    fn array(&mut self, name: &str, path: &str, entries: Entries) -> Option<Value> {
        self.list(name, path, entries, str::to_owned)
            .map(|l| json!(l))
    }

    /// [`Reader::list`] of an enumeration, each entry in Graph's spelling (`Mfa` → `mfa`,
    /// `MacOS` → `macOS`).
    fn enums(&mut self, name: &str, path: &str) -> Option<Value> {
        self.list(name, path, Entries::Tokens, lower_first)
            .map(|l| json!(l))
    }

    /// `AADConditionalAccessPolicy` → `conditionalAccessPolicy`.
    fn conditional_access(&mut self) {
        let mut g = Map::new();
        put(&mut g, "id", self.text("Id", "id"));
        put(
            &mut g,
            "displayName",
            self.text("DisplayName", "displayName"),
        );
        put(&mut g, "state", self.text("State", "state"));

        let mut users = Map::new();
        for (dsc, graph, entries) in [
            ("IncludeUsers", "includeUsers", Entries::Tokens),
            ("ExcludeUsers", "excludeUsers", Entries::Tokens),
            ("IncludeGroups", "includeGroups", Entries::Names),
            ("ExcludeGroups", "excludeGroups", Entries::Names),
            ("IncludeRoles", "includeRoles", Entries::Names),
            ("ExcludeRoles", "excludeRoles", Entries::Names),
        ] {
            let path = format!("conditions/users/{graph}");
            let value = self.array(dsc, &path, entries);
            put(&mut users, graph, value);
        }
        for side in ["include", "exclude"] {
            let cap = if side == "include" {
                "Include"
            } else {
                "Exclude"
            };
            let at = format!("conditions/users/{side}GuestsOrExternalUsers");
            let types = self.list(
                &format!("{cap}GuestOrExternalUserTypes"),
                &format!("{at}/guestOrExternalUserTypes"),
                Entries::Tokens,
                str::to_owned,
            );
            let kind = self.text(
                &format!("{cap}ExternalTenantsMembershipKind"),
                &format!("{at}/externalTenants/membershipKind"),
            );
            let members = self.array(
                &format!("{cap}ExternalTenantsMembers"),
                &format!("{at}/externalTenants/members"),
                Entries::Tokens,
            );
            let types = types.filter(|t| !t.is_empty());
            if let Some(types) = types {
                let mut guests = Map::new();
                guests.insert("guestOrExternalUserTypes".into(), json!(types.join(",")));
                if kind.is_some() {
                    let mut tenants = Map::new();
                    put(&mut tenants, "membershipKind", kind);
                    put(&mut tenants, "members", members);
                    guests.insert("externalTenants".into(), Value::Object(tenants));
                }
                users.insert(
                    format!("{side}GuestsOrExternalUsers"),
                    Value::Object(guests),
                );
            }
        }

        let mut apps = Map::new();
        for (dsc, graph, entries) in [
            ("IncludeApplications", "includeApplications", Entries::Names),
            ("ExcludeApplications", "excludeApplications", Entries::Names),
            ("IncludeUserActions", "includeUserActions", Entries::Tokens),
            (
                "AuthenticationContexts",
                "includeAuthenticationContextClassReferences",
                Entries::Names,
            ),
        ] {
            let path = format!("conditions/applications/{graph}");
            let value = self.array(dsc, &path, entries);
            put(&mut apps, graph, value);
        }
        let filter = self.filter(
            ("ApplicationsFilterMode", "ApplicationsFilter"),
            "conditions/applications/applicationFilter",
        );
        put(&mut apps, "applicationFilter", filter);

        let mut conditions = Map::new();
        conditions.insert("users".into(), Value::Object(users));
        conditions.insert("applications".into(), Value::Object(apps));
        put(
            &mut conditions,
            "clientAppTypes",
            self.enums("ClientAppTypes", "conditions/clientAppTypes"),
        );
        for (dsc, graph) in [
            ("UserRiskLevels", "userRiskLevels"),
            ("SignInRiskLevels", "signInRiskLevels"),
        ] {
            let value = self.enums(dsc, &format!("conditions/{graph}"));
            put(&mut conditions, graph, value);
        }
        let platforms = self.pair(
            ("IncludePlatforms", "ExcludePlatforms"),
            ("includePlatforms", "excludePlatforms"),
            "conditions/platforms",
            Entries::Tokens,
        );
        put(&mut conditions, "platforms", platforms);
        let locations = self.pair(
            ("IncludeLocations", "ExcludeLocations"),
            ("includeLocations", "excludeLocations"),
            "conditions/locations",
            Entries::Names,
        );
        put(&mut conditions, "locations", locations);
        let devices = self
            .filter(
                ("DeviceFilterMode", "DeviceFilterRule"),
                "conditions/devices/deviceFilter",
            )
            .map(|f| json!({ "deviceFilter": f }));
        put(&mut conditions, "devices", devices);
        let principals = self.pair(
            ("IncludeServicePrincipals", "ExcludeServicePrincipals"),
            ("includeServicePrincipals", "excludeServicePrincipals"),
            "conditions/clientApplications",
            Entries::Names,
        );
        put(&mut conditions, "clientApplications", principals);
        // `TransferMethods` is one string, already comma-joined as Graph's flags are.
        if let Some(methods) = self.text(
            "TransferMethods",
            "conditions/authenticationFlows/transferMethods",
        ) {
            conditions.insert(
                "authenticationFlows".into(),
                json!({ "transferMethods": methods }),
            );
        }
        g.insert("conditions".into(), Value::Object(conditions));

        let mut grant = Map::new();
        put(
            &mut grant,
            "builtInControls",
            self.enums("BuiltInControls", "grantControls/builtInControls"),
        );
        put(
            &mut grant,
            "customAuthenticationFactors",
            self.array(
                "CustomAuthenticationFactors",
                "grantControls/customAuthenticationFactors",
                Entries::Names,
            ),
        );
        if let Some(terms) = self.text("TermsOfUse", "grantControls/termsOfUse") {
            grant.insert("termsOfUse".into(), json!([terms]));
        }
        if let Some(strength) = self.text(
            "AuthenticationStrength",
            "grantControls/authenticationStrength",
        ) {
            grant.insert(
                "authenticationStrength".into(),
                json!({ "displayName": strength }),
            );
        }
        let granted = grant.values().any(|v| match v {
            Value::Array(a) => !a.is_empty(),
            _ => true,
        });
        if granted {
            put(
                &mut grant,
                "operator",
                self.text("GrantControlOperator", "grantControls/operator"),
            );
            g.insert("grantControls".into(), Value::Object(grant));
        }

        let mut session = Map::new();
        if self.enabled("SignInFrequencyIsEnabled") {
            let at = "sessionControls/signInFrequency";
            let mut f = Map::new();
            put(
                &mut f,
                "isEnabled",
                self.scalar("SignInFrequencyIsEnabled", &format!("{at}/isEnabled")),
            );
            let kind = self
                .text("SignInFrequencyType", &format!("{at}/type"))
                .and_then(|v| v.as_str().map(lower_first))
                .map(Value::String);
            put(&mut f, "type", kind);
            put(
                &mut f,
                "value",
                self.scalar("SignInFrequencyValue", &format!("{at}/value")),
            );
            put(
                &mut f,
                "frequencyInterval",
                self.text(
                    "SignInFrequencyInterval",
                    &format!("{at}/frequencyInterval"),
                ),
            );
            session.insert("signInFrequency".into(), Value::Object(f));
        }
        if self.enabled("PersistentBrowserIsEnabled") {
            let at = "sessionControls/persistentBrowser";
            let mut b = Map::new();
            put(
                &mut b,
                "isEnabled",
                self.scalar("PersistentBrowserIsEnabled", &format!("{at}/isEnabled")),
            );
            let mode = self
                .text("PersistentBrowserMode", &format!("{at}/mode"))
                .and_then(|v| v.as_str().map(lower_first))
                .map(Value::String);
            put(&mut b, "mode", mode);
            session.insert("persistentBrowser".into(), Value::Object(b));
        }
        if self.enabled("ApplicationEnforcedRestrictionsIsEnabled") {
            let at = "sessionControls/applicationEnforcedRestrictions/isEnabled";
            let on = self.scalar("ApplicationEnforcedRestrictionsIsEnabled", at);
            session.insert(
                "applicationEnforcedRestrictions".into(),
                json!({ "isEnabled": on }),
            );
        }
        if self.enabled("CloudAppSecurityIsEnabled") {
            let at = "sessionControls/cloudAppSecurity";
            let mut c = Map::new();
            put(
                &mut c,
                "isEnabled",
                self.scalar("CloudAppSecurityIsEnabled", &format!("{at}/isEnabled")),
            );
            let kind = self
                .text(
                    "CloudAppSecurityType",
                    &format!("{at}/cloudAppSecurityType"),
                )
                .and_then(|v| v.as_str().map(lower_first))
                .map(Value::String);
            put(&mut c, "cloudAppSecurityType", kind);
            session.insert("cloudAppSecurity".into(), Value::Object(c));
        }
        if !session.is_empty() {
            g.insert("sessionControls".into(), Value::Object(session));
        }
        self.out.graph = g;
    }

    /// Whether a boolean property is `true` (or the text `True`).
    fn enabled(&self, name: &str) -> bool {
        match self.get(name) {
            Some((_, Value::Bool(b))) => *b,
            Some((_, Value::String(s))) => s.eq_ignore_ascii_case("true"),
            _ => false,
        }
    }

    /// An include and an exclude list under `at`, when either has entries.
    fn pair(
        &mut self,
        (include, exclude): (&str, &str),
        (inc, exc): (&str, &str),
        at: &str,
        entries: Entries,
    ) -> Option<Value> {
        let read = |this: &mut Self, dsc: &str, graph: &str| {
            if entries == Entries::Tokens {
                this.list(dsc, &format!("{at}/{graph}"), entries, lower_first)
            } else {
                this.list(dsc, &format!("{at}/{graph}"), entries, str::to_owned)
            }
        };
        let i = read(self, include, inc).unwrap_or_default();
        let e = read(self, exclude, exc).unwrap_or_default();
        if i.is_empty() && e.is_empty() {
            return None;
        }
        Some(json!({ inc: i, exc: e }))
    }

    /// A filter (`{mode, rule}`) under `at`, when it has a rule.
    fn filter(&mut self, (mode, rule): (&str, &str), at: &str) -> Option<Value> {
        let rule = self.text(rule, &format!("{at}/rule"))?;
        let mut f = Map::new();
        put(&mut f, "mode", self.text(mode, &format!("{at}/mode")));
        f.insert("rule".into(), rule);
        Some(Value::Object(f))
    }

    /// `AADAuthenticationStrengthPolicy` → `authenticationStrengthPolicy`.
    fn strength(&mut self) {
        let mut g = Map::new();
        put(&mut g, "id", self.text("Id", "id"));
        put(
            &mut g,
            "displayName",
            self.text("DisplayName", "displayName"),
        );
        put(
            &mut g,
            "description",
            self.text("Description", "description"),
        );
        put(
            &mut g,
            "allowedCombinations",
            self.array(
                "AllowedCombinations",
                "allowedCombinations",
                Entries::Tokens,
            ),
        );
        self.out.graph = g;
    }

    /// `AADAuthenticationContextClassReference` → `authenticationContextClassReference`.
    fn context(&mut self) {
        let mut g = Map::new();
        put(&mut g, "id", self.text("Id", "id"));
        put(
            &mut g,
            "displayName",
            self.text("DisplayName", "displayName"),
        );
        put(
            &mut g,
            "description",
            self.text("Description", "description"),
        );
        put(
            &mut g,
            "isAvailable",
            self.scalar("IsAvailable", "isAvailable"),
        );
        self.out.graph = g;
    }

    /// `AADNamedLocationPolicy` → `ipNamedLocation` or `countryNamedLocation`.
    fn named_location(&mut self) {
        let mut g = Map::new();
        put(&mut g, "@odata.type", self.text("OdataType", "@odata.type"));
        put(&mut g, "id", self.text("Id", "id"));
        put(
            &mut g,
            "displayName",
            self.text("DisplayName", "displayName"),
        );
        put(&mut g, "isTrusted", self.scalar("IsTrusted", "isTrusted"));
        if let Some(ranges) = self.list("IpRanges", "ipRanges", Entries::Tokens, str::to_owned) {
            let ranges: Vec<Value> = ranges
                .into_iter()
                .map(|r| json!({ "cidrAddress": r }))
                .collect();
            g.insert("ipRanges".into(), Value::Array(ranges));
        }
        put(
            &mut g,
            "countriesAndRegions",
            self.array(
                "CountriesAndRegions",
                "countriesAndRegions",
                Entries::Tokens,
            ),
        );
        put(
            &mut g,
            "includeUnknownCountriesAndRegions",
            self.scalar(
                "IncludeUnknownCountriesAndRegions",
                "includeUnknownCountriesAndRegions",
            ),
        );
        self.out.graph = g;
    }

    /// `AADRoleDefinition` → `unifiedRoleDefinition` (its permissions as one list).
    fn role_definition(&mut self) {
        let mut g = Map::new();
        put(&mut g, "id", self.text("Id", "id"));
        put(
            &mut g,
            "displayName",
            self.text("DisplayName", "displayName"),
        );
        put(
            &mut g,
            "description",
            self.text("Description", "description"),
        );
        put(&mut g, "isEnabled", self.scalar("IsEnabled", "isEnabled"));
        if let Some(actions) = self.list(
            "RolePermissions",
            "rolePermissions/0/allowedResourceActions",
            Entries::Tokens,
            str::to_owned,
        ) {
            g.insert(
                "rolePermissions".into(),
                json!([{ "allowedResourceActions": actions }]),
            );
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

/// `Mfa` → `mfa`, `MacOS` → `macOS`: Graph's enumeration members start lower-case.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn a_policy_in_arrays_maps_to_graph() {
        let p = props(json!({
            "Id": "p1", "DisplayName": "Admins MFA", "State": "enabled",
            "IncludeRoles": ["Global Administrator"], "ExcludeUsers": ["bg@contoso.com"],
            "IncludeApplications": ["All"], "ClientAppTypes": ["all"],
            "BuiltInControls": ["Mfa"], "GrantControlOperator": "OR",
            "AuthenticationStrength": "Phishing-resistant MFA",
            "IncludePlatforms": ["MacOS"],
            "SignInFrequencyIsEnabled": true, "SignInFrequencyType": "Hours",
            "SignInFrequencyValue": 4, "PersistentBrowserIsEnabled": false
        }));
        let m = map(Resource::ConditionalAccessPolicy, &p, Lists::ArrayOrText);
        assert_eq!(
            Value::Object(m.graph),
            json!({
                "id": "p1", "displayName": "Admins MFA", "state": "enabled",
                "conditions": {
                    "users": {"excludeUsers": ["bg@contoso.com"], "includeRoles": ["Global Administrator"]},
                    "applications": {"includeApplications": ["All"]},
                    "clientAppTypes": ["all"],
                    "platforms": {"includePlatforms": ["macOS"], "excludePlatforms": []}
                },
                "grantControls": {"builtInControls": ["mfa"], "operator": "OR",
                                  "authenticationStrength": {"displayName": "Phishing-resistant MFA"}},
                "sessionControls": {"signInFrequency": {"isEnabled": true, "type": "hours", "value": 4}}
            })
        );
        assert!(m.lossy.is_empty() && m.joined.is_empty() && m.empty_text.is_empty());
        assert!(m.aliases.contains(&(
            "conditions/users/excludeUsers".into(),
            "ExcludeUsers".into()
        )));
    }

    #[test]
    fn text_encodings_are_read_back_or_reported() {
        let p = props(json!({
            "DisplayName": "x", "IncludeUsers": "All", "ExcludeGroups": "",
            "BuiltInControls": "mfa passwordChange", "ExcludeRoles": "Directory Synchronization Accounts",
            "IncludeRoles": "Helpdesk", "SessionThing": "System.Collections.Hashtable"
        }));
        let m = map(Resource::ConditionalAccessPolicy, &p, Lists::ArrayOrText);
        let g = Value::Object(m.graph);
        assert_eq!(
            g["grantControls"]["builtInControls"],
            json!(["mfa", "passwordChange"])
        );
        assert_eq!(g["conditions"]["users"]["excludeGroups"], json!([]));
        assert_eq!(
            g["conditions"]["users"]["excludeRoles"],
            json!(["Directory Synchronization Accounts"])
        );
        assert_eq!(m.empty_text, vec!["ExcludeGroups".to_owned()]);
        assert_eq!(
            m.joined,
            vec![
                "IncludeUsers".to_owned(),
                "IncludeRoles".to_owned(),
                "BuiltInControls".to_owned()
            ]
        );
        let lossy: Vec<&str> = m.lossy.iter().map(|l| l.property.as_str()).collect();
        assert_eq!(lossy, vec!["SessionThing", "ExcludeRoles"]);
    }
}
