//! The policy-like objects checked against Microsoft Graph's own description of them: the JSON
//! Schemas of schemas/graph/, generated from the CSDL metadata Graph publishes for v1.0 and beta
//! (see schemas/graph/README.md for every decision they embody).
//!
//! Each object of a policy-like kind (Conditional Access policies, named locations,
//! authentication contexts and strengths, role definitions, role assignments, eligibilities and
//! schedules, PIM policies, their rules and assignments) is read again from its text (the span
//! the source map gives its origin), normalised as the loader reads it (keys lower-first,
//! annotations other than `@odata.type` dropped, `null` members absent), and walked down the
//! schema of its type in v1.0 and in beta:
//!
//! - a key neither version declares for the type of the object that holds it is unknown (Graph
//!   returns some properties its metadata does not declare; those seen in real exports are
//!   listed in [`UNDECLARED`]);
//! - a string neither version accepts where it stands — outside the enum (or flags enum) of the
//!   field, or text PowerShell made of an object where an object or a list belongs — is a
//!   candidate, kept only if validating the object against both versions' schemas (the
//!   `jsonschema` validator) rejects it at that place, for that reason, in both.
//!
//! The documents are parsed once per process; a validator is compiled once per process, on the
//! first candidate of its type, so that a clean export compiles none.

mod read;

use entralint_parser::json;
use entralint_parser::model::MembershipKind;
use entralint_parser::{FileId, IssueAt, IssueKind, Kind, ObjectId, Origin, Pointer, Tenant};
use read::Read;
use rustc_hash::FxHashMap;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::{Mutex, OnceLock};

/// A Graph type with a schema of its own in schemas/graph/<version>/.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RootType {
    ConditionalAccessPolicy,
    NamedLocation,
    AuthenticationContextClassReference,
    AuthenticationStrengthPolicy,
    UnifiedRoleDefinition,
    UnifiedRoleAssignment,
    UnifiedRoleAssignmentSchedule,
    UnifiedRoleAssignmentScheduleInstance,
    UnifiedRoleEligibilitySchedule,
    UnifiedRoleEligibilityScheduleInstance,
    UnifiedRoleManagementPolicy,
    UnifiedRoleManagementPolicyRule,
    UnifiedRoleManagementPolicyAssignment,
}

/// The schema files, v1.0 then beta, embedded: the linter never reads a file it was not given,
/// and never the network.
macro_rules! schemas {
    ($($ty:ident => $name:literal),+ $(,)?) => {
        impl RootType {
            const ALL: [RootType; [$(RootType::$ty),+].len()] = [$(RootType::$ty),+];

            /// The type's name in Graph (`conditionalAccessPolicy`).
            pub fn name(self) -> &'static str {
                match self {
                    $(RootType::$ty => $name,)+
                }
            }

            /// The schema's text in each version.
            fn texts(self) -> [&'static str; 2] {
                match self {
                    $(RootType::$ty => [
                        include_str!(concat!("../../../../schemas/graph/v1.0/", $name, ".schema.json")),
                        include_str!(concat!("../../../../schemas/graph/beta/", $name, ".schema.json")),
                    ],)+
                }
            }
        }
    };
}

schemas! {
    ConditionalAccessPolicy => "conditionalAccessPolicy",
    NamedLocation => "namedLocation",
    AuthenticationContextClassReference => "authenticationContextClassReference",
    AuthenticationStrengthPolicy => "authenticationStrengthPolicy",
    UnifiedRoleDefinition => "unifiedRoleDefinition",
    UnifiedRoleAssignment => "unifiedRoleAssignment",
    UnifiedRoleAssignmentSchedule => "unifiedRoleAssignmentSchedule",
    UnifiedRoleAssignmentScheduleInstance => "unifiedRoleAssignmentScheduleInstance",
    UnifiedRoleEligibilitySchedule => "unifiedRoleEligibilitySchedule",
    UnifiedRoleEligibilityScheduleInstance => "unifiedRoleEligibilityScheduleInstance",
    UnifiedRoleManagementPolicy => "unifiedRoleManagementPolicy",
    UnifiedRoleManagementPolicyRule => "unifiedRoleManagementPolicyRule",
    UnifiedRoleManagementPolicyAssignment => "unifiedRoleManagementPolicyAssignment",
}

/// The API versions, in the order they are tried.
pub const VERSIONS: [&str; 2] = ["v1.0", "beta"];

/// One version's schema of one root type, read on first use: its document, walked by the
/// checks below (its `$defs` are keyed by qualified name).
fn document(ty: RootType, version: usize) -> Option<&'static Value> {
    const N: usize = RootType::ALL.len() * VERSIONS.len();
    static READ: [OnceLock<Option<Value>>; N] = [const { OnceLock::new() }; N];
    READ[ty as usize * VERSIONS.len() + version]
        .get_or_init(|| serde_json::from_str(ty.texts()[version]).ok())
        .as_ref()
}

/// The `$defs` of a schema document.
fn defs(document: &Value) -> &Map<String, Value> {
    static EMPTY: OnceLock<Map<String, Value>> = OnceLock::new();
    document
        .get("$defs")
        .and_then(Value::as_object)
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

/// One version's schema of one root type, compiled on first use: only objects the walk finds a
/// problem in are validated, so a clean export compiles nothing. `None` only if an embedded
/// schema did not compile, which the test of every schema rules out.
fn validator(ty: RootType, version: usize) -> Option<&'static jsonschema::Validator> {
    const N: usize = RootType::ALL.len() * VERSIONS.len();
    static COMPILED: [OnceLock<Option<jsonschema::Validator>>; N] = [const { OnceLock::new() }; N];
    COMPILED[ty as usize * VERSIONS.len() + version]
        .get_or_init(|| {
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                // Every reference is inside the document; nothing is ever fetched.
                .offline()
                .build(document(ty, version)?)
                .ok()
        })
        .as_ref()
}

/// A policy-like object of the export, as the findings name it.
#[derive(Debug, Clone)]
pub struct GraphObject {
    pub kind: Kind,
    /// For a PIM policy's rule: the rule's id (the object is then the policy).
    pub rule: Option<String>,
    pub id: Option<ObjectId>,
    pub display_name: Option<String>,
    /// Where the object (for a rule: its policy) starts.
    pub origin: Origin,
}

/// What is wrong with a value, by Graph's schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A string that is not a member of the enum (or flags enum) Graph declares for the field.
    OutsideEnum {
        value: String,
        /// The enum's name (`conditionalAccessPolicyState`), or `@odata.type` for a type name.
        enum_name: &'static str,
        /// The members of the enum in v1.0 and beta, in the schema's order.
        members: Vec<&'static str>,
        /// A flags enum: one or more members joined by commas.
        flags: bool,
    },
    /// A key that neither version declares for the type of the object holding it.
    UnknownProperty {
        /// The key, as the loader reads it (first letter lower-case).
        key: String,
        /// The type of the object holding it (`conditionalAccessPolicy`).
        type_name: String,
        /// The closest name the type declares, or the member of the type (dotted path below the
        /// object, `conditions.users`) whose type declares the key.
        hint: Option<Hint>,
    },
    /// A string where both versions expect an object or an array: an object PowerShell wrote
    /// as text (`@{membershipKind=all}`, a .NET type name).
    Stringified {
        value: String,
        /// `an object` or `an array`.
        expected: &'static str,
    },
}

/// What an unknown key most likely means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// A name the type declares, a few edits away.
    Rename(String),
    /// The key is declared by the type of this member of the object (dotted path from the
    /// object, `conditions.users`).
    MoveInto(String),
}

/// One problem, located.
#[derive(Debug, Clone)]
pub struct SchemaFinding {
    /// Index into [`SchemaFacts::objects`].
    pub object: usize,
    /// The offending value (for an unknown property, the value of the key).
    pub at: Origin,
    /// The field, as a dotted path below the object (`grantControls.builtInControls`), array
    /// indices left out.
    pub field: String,
    pub problem: Problem,
}

/// The policy-like objects that were checked, and what was found.
#[derive(Debug, Default)]
pub struct SchemaFacts {
    /// The objects the findings are about.
    pub objects: Vec<GraphObject>,
    pub findings: Vec<SchemaFinding>,
}

/// Properties real exports carry that Graph's metadata does not declare for the type: not
/// unknown. Each entry: the type (qualified name), the property.
const UNDECLARED: [(&str, &str); 10] = [
    // A beta `GET` of a Conditional Access policy returns `partialEnablementStrategy`, and
    // `conditions` with `times` and `agents`, which the beta metadata declares on neither type
    // (schemas/graph/README.md, "Unknown properties are allowed; the known ones are listed").
    (
        "microsoft.graph.conditionalAccessPolicy",
        "partialEnablementStrategy",
    ),
    ("microsoft.graph.conditionalAccessConditionSet", "times"),
    ("microsoft.graph.conditionalAccessConditionSet", "agents"),
    // v1.0 declares `templateId`, beta does not; a beta export carries it all the same.
    ("microsoft.graph.conditionalAccessPolicy", "templateId"),
    // A CIPP template adds the named locations the policy names as `LocationInfo`
    // (https://github.com/KelvinTegelaar/CIPP-API/blob/master/Modules/CIPPCore/Public/New-CIPPCATemplate.ps1).
    ("microsoft.graph.conditionalAccessPolicy", "locationInfo"),
    // EntraExporter's `PIM/DirectoryRoles/<id>.json` is a role eligibility schedule instance with
    // the exporter's own members added: the principal's and the role's names, and the role's
    // PIM policy (https://github.com/microsoft/EntraExporter).
    (
        "microsoft.graph.unifiedRoleEligibilityScheduleInstance",
        "principalName",
    ),
    (
        "microsoft.graph.unifiedRoleEligibilityScheduleInstance",
        "roleName",
    ),
    (
        "microsoft.graph.unifiedRoleEligibilityScheduleInstance",
        "policy",
    ),
    // ScubaGear adds to each rule it lists under a role where the rule comes from: the role or
    // the PIM for Groups group (`RuleSource`, a display name) and which of the two
    // (`RuleSourceType`), https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/Modules/Providers/ExportAADProvider.psm1.
    // (`*` stands for any text: every rule type.)
    (
        "microsoft.graph.unifiedRoleManagementPolicy*Rule",
        "ruleSource",
    ),
    (
        "microsoft.graph.unifiedRoleManagementPolicy*Rule",
        "ruleSourceType",
    ),
];

/// Members every object may carry, which Microsoft's SDKs add to the Graph objects they model
/// and their users' exports serialise (first letter lower-case, as the loader reads them).
const SDK_MEMBERS: [&str; 4] = [
    // The Microsoft Graph PowerShell SDK's models keep what they do not model in
    // `AdditionalProperties`, which `ConvertTo-Json` writes out
    // (https://github.com/microsoftgraph/msgraph-sdk-powershell).
    "additionalProperties",
    // The models of the SDKs generated with Kiota (.NET, Python, Go, ...) hold `@odata.type` in
    // `OdataType`, and what they do not model in `AdditionalData`, beside their `BackingStore`
    // (https://github.com/microsoftgraph/msgraph-sdk-dotnet).
    "odataType",
    "additionalData",
    "backingStore",
];

/// How many problems of one kind one object is reported with one by one; the rules count the
/// rest in one finding, so that a file of 100,000 misspelled keys is a report of a few findings.
pub const PER_OBJECT: usize = 10;

/// Checks every policy-like object of the tenant. The objects are checked on as many threads as
/// the machine offers; what is found is in the order of the objects, whichever thread found it.
pub fn check(tenant: &Tenant) -> SchemaFacts {
    let wrong_types = wrong_types(tenant);
    let mut seen: HashSet<(FileId, &str)> = HashSet::new();
    let all = targets(tenant);
    let targets: Vec<&Target> = all
        .iter()
        // Objects translated from another tool's settings (EasyPIM) are not written as Graph's.
        .filter(|t| !tenant.sources.is_translated(t.object.origin.file))
        // One place is checked once, as the first object read from it.
        .filter(|t| seen.insert((t.object.origin.file, t.object.origin.pointer.as_str())))
        .collect();
    let parts = entralint_parser::parallel::map(&targets, |target| {
        let mut facts = SchemaFacts::default();
        check_target(tenant, target, &wrong_types, &mut facts);
        facts
    });
    let mut facts = SchemaFacts::default();
    for part in parts {
        let offset = facts.objects.len();
        facts.objects.extend(part.objects);
        facts
            .findings
            .extend(part.findings.into_iter().map(|mut f| {
                f.object += offset;
                f
            }));
    }
    facts
}

/// An object to check: what it is, where it is, and the Graph types it may be.
struct Target {
    object: GraphObject,
    types: &'static [RootType],
    /// A PIM policy: its rules are checked one by one when the policy itself is only a wrapper.
    policy: bool,
}

/// The objects to check, PIM policies before the assignments that may share their place (an
/// EntraExporter PIM file yields both from its `Policy`).
fn targets(t: &Tenant) -> Vec<Target> {
    use RootType::*;
    let mut out = Vec::new();
    let object = |kind, id: &Option<ObjectId>, name: Option<&str>, origin: &Origin| GraphObject {
        kind,
        rule: None,
        id: id.clone(),
        display_name: name.map(str::to_owned),
        origin: origin.clone(),
    };
    for p in &t.conditional_access {
        let o = object(
            Kind::ConditionalAccessPolicy,
            &p.id,
            p.display_name.as_deref(),
            &p.origin,
        );
        out.push((o, &[ConditionalAccessPolicy][..], false));
    }
    for l in &t.named_locations {
        let o = object(
            Kind::NamedLocation,
            &l.id,
            l.display_name.as_deref(),
            &l.origin,
        );
        out.push((o, &[NamedLocation][..], false));
    }
    for c in &t.authentication_contexts {
        let id = c.id.as_deref().map(ObjectId::new);
        let o = object(
            Kind::AuthenticationContext,
            &id,
            c.display_name.as_deref(),
            &c.origin,
        );
        out.push((o, &[AuthenticationContextClassReference][..], false));
    }
    for s in &t.authentication_strengths {
        let o = object(
            Kind::AuthenticationStrength,
            &s.id,
            s.display_name.as_deref(),
            &s.origin,
        );
        out.push((o, &[AuthenticationStrengthPolicy][..], false));
    }
    for d in &t.role_definitions {
        let o = object(
            Kind::RoleDefinition,
            &d.id,
            d.display_name.as_deref(),
            &d.origin,
        );
        out.push((o, &[UnifiedRoleDefinition][..], false));
    }
    for m in &t.role_memberships {
        let (kind, types): (Kind, &'static [RootType]) = match m.kind {
            MembershipKind::Assignment => (Kind::RoleAssignment, &[UnifiedRoleAssignment]),
            MembershipKind::AssignmentSchedule => (
                Kind::RoleAssignmentSchedule,
                &[
                    UnifiedRoleAssignmentSchedule,
                    UnifiedRoleAssignmentScheduleInstance,
                ],
            ),
            MembershipKind::EligibilitySchedule => (
                Kind::RoleEligibilitySchedule,
                &[
                    UnifiedRoleEligibilitySchedule,
                    UnifiedRoleEligibilityScheduleInstance,
                ],
            ),
        };
        out.push((object(kind, &m.id, None, &m.origin), types, false));
    }
    for p in &t.role_management_policies {
        let o = object(
            Kind::RoleManagementPolicy,
            &p.id,
            p.display_name.as_deref(),
            &p.origin,
        );
        out.push((o, &[UnifiedRoleManagementPolicy][..], true));
    }
    for a in &t.policy_assignments {
        let o = object(Kind::RoleManagementPolicyAssignment, &a.id, None, &a.origin);
        out.push((o, &[UnifiedRoleManagementPolicyAssignment][..], false));
    }
    out.into_iter()
        .map(|(object, types, policy)| Target {
            object,
            types,
            policy,
        })
        .collect()
}

/// The places the loader reported a value of the wrong JSON type (JSON001): not reported again.
fn wrong_types(t: &Tenant) -> HashSet<(FileId, String)> {
    t.issues
        .iter()
        .filter(|i| i.kind == IssueKind::Unreadable)
        .filter_map(|i| match &i.at {
            IssueAt::Pointer(p) => Some((i.file, p.as_str().to_ascii_lowercase())),
            _ => None,
        })
        .collect()
}

/// A value as the loader reads it: keys lower-first (PascalCase exports), annotations other than
/// `@odata.type` (in any case) left out, `null` members absent.
#[cfg(test)]
fn normalise(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                if key.eq_ignore_ascii_case("@odata.type") {
                    out.insert("@odata.type".to_owned(), value);
                } else if !(key.contains("@odata.") || key.starts_with('#') || value.is_null()) {
                    out.insert(lower_first(key), normalise(value));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(normalise).collect()),
        other => other,
    }
}

#[cfg(test)]
fn lower_first(mut key: String) -> String {
    if let Some(first) = key.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    key
}

fn check_target(
    tenant: &Tenant,
    target: &Target,
    wrong_types: &HashSet<(FileId, String)>,
    facts: &mut SchemaFacts,
) {
    let origin = &target.object.origin;
    // Read from its text (a policy a CIPP template writes as a JSON string, from the decoded
    // string).
    let Some(text) = tenant.sources.value_text(origin) else {
        return;
    };
    let (read, names) = match target.policy {
        true => Read::parse_policy(text).map_or((None, false), |(r, n)| (Some(r), n)),
        false => (Read::parse(text), false),
    };
    let Some(Read::Object(mut map)) = read else {
        return;
    };
    let object = &target.object;
    let mut rules = Vec::new();
    // A PIM policy's rules are checked one by one, each as a rule; the place may hold a wrapper
    // of rules rather than a Graph policy.
    let (key, wrapper) = match target.policy {
        true => wrapper_of_rules(&map, names).map_or(("rules", false), |key| (key, true)),
        false => ("", false),
    };
    if target.policy {
        if let Some(Read::Array(items)) = read::remove(&mut map, key) {
            rules = items;
        }
    }
    if !wrapper {
        let types = narrow(target.types, &map);
        let found = check_value(&Read::Object(map), &types);
        if !found.is_empty() {
            let index = add(facts, object.clone());
            push(facts, index, origin, found, wrong_types);
        }
    }
    for (i, rule) in rules.into_iter().enumerate() {
        if !rule.is_object() {
            continue;
        }
        let found = check_value(&rule, &[RootType::UnifiedRoleManagementPolicyRule]);
        if found.is_empty() {
            continue;
        }
        let mut o = object.clone();
        o.rule = rule.get("id").and_then(Read::as_str).map(str::to_owned);
        let index = add(facts, o);
        let base = Origin::new(origin.file, origin.pointer.child(key).index(i));
        push(facts, index, &base, found, wrong_types);
    }
}

/// Of the types an object may be (a schedule or its instance), those its keys show it to be: the
/// types that declare a key of the object no other of them declares, when there is exactly one;
/// else all of them.
fn narrow(types: &[RootType], map: &[(Cow<'_, str>, Read<'_>)]) -> Vec<RootType> {
    if types.len() < 2 {
        return types.to_vec();
    }
    let mut buf = String::new();
    let shown: Vec<RootType> = types
        .iter()
        .copied()
        .filter(|t| {
            map.iter().any(|(k, _)| {
                let key = read::normalised(k, &mut buf);
                top_names(*t).contains(&key)
                    && !types.iter().any(|o| o != t && top_names(*o).contains(&key))
            })
        })
        .collect();
    match shown.as_slice() {
        [one] => vec![*one],
        _ => types.to_vec(),
    }
}

/// The property names v1.0 or beta declares for a root type itself (not its derived types).
fn top_names(ty: RootType) -> &'static BTreeSet<&'static str> {
    static NAMES: [OnceLock<BTreeSet<&'static str>>; RootType::ALL.len()] =
        [const { OnceLock::new() }; RootType::ALL.len()];
    NAMES[ty as usize].get_or_init(|| {
        let mut names = BTreeSet::new();
        for version in 0..VERSIONS.len() {
            let Some(doc) = document(ty, version) else {
                continue;
            };
            let mut nodes = Vec::new();
            expand(defs(doc), root(doc, ty), None, None, 0, &mut nodes);
            for n in nodes {
                if let Some(Value::Object(props)) = n.value.get("properties") {
                    names.extend(props.keys().map(String::as_str));
                }
            }
        }
        names
    })
}

/// Records an object that has findings; returns its index.
fn add(facts: &mut SchemaFacts, object: GraphObject) -> usize {
    facts.objects.push(object);
    facts.objects.len() - 1
}

/// Whether a PIM policy's place holds not a Graph policy but a wrapper of rules: EntraExporter's
/// `Policy` (`RoleID`, `PolicyID`, `Rules`), an entry of ScubaGear's `privileged_roles`
/// (`DisplayName`, `RoleTemplateId`, `Assignments`, `Rules`), or a Graph collection of one
/// policy's rules (`policies/roleManagementPolicies('…')/rules`). The key of the rules' array.
/// `names`: the object names its role or policy (see [`Read::parse_policy`]).
fn wrapper_of_rules(map: &[(Cow<'_, str>, Read<'_>)], names: bool) -> Option<&'static str> {
    if names {
        return Some("rules");
    }
    let value = map
        .iter()
        .any(|(k, v)| read::norm_cmp(k, "value").is_eq() && matches!(v, Read::Array(_)));
    (map.len() == 1 && value).then_some("value")
}

/// A problem at a pointer relative to the object.
struct Found {
    /// The place, a pointer relative to the object.
    path: Pointer,
    problem: Problem,
}

/// Adds the problems of one object (the walk meets each place once), leaving out values the
/// loader reported as of the wrong type.
fn push(
    facts: &mut SchemaFacts,
    object: usize,
    base: &Origin,
    found: Vec<Found>,
    wrong_types: &HashSet<(FileId, String)>,
) {
    // Only the findings the rules show one by one need their field in words.
    let mut shown = [0usize; 3];
    for f in found {
        let pointer = Pointer::parse(&[base.pointer.as_str(), f.path.as_str()].concat());
        if !wrong_types.is_empty()
            && wrong_types.contains(&(base.file, pointer.as_str().to_ascii_lowercase()))
        {
            continue;
        }
        let kind = match f.problem {
            Problem::OutsideEnum { .. } => 0,
            Problem::UnknownProperty { .. } => 1,
            Problem::Stringified { .. } => 2,
        };
        shown[kind] += 1;
        let field = if shown[kind] <= PER_OBJECT {
            let named: Vec<String> = f
                .path
                .tokens()
                .filter(|t| t.parse::<usize>().is_err())
                .collect();
            named.join(".")
        } else {
            String::new()
        };
        facts.findings.push(SchemaFinding {
            object,
            at: Origin::new(base.file, pointer),
            field,
            problem: f.problem,
        });
    }
}

/// Checks one normalised object against the schemas of `types` (any of which it may be); the
/// problems, at pointers relative to it.
///
/// The object is walked down both versions' schemas: keys neither declares are unknown, and a
/// string neither version accepts where it stands (outside the enum, or text where an object or
/// a list belongs) is a candidate. Candidates are then confirmed by validating the object
/// against the schemas with a JSON Schema validator: each is kept only where every type the
/// object may be rejects it in v1.0 and in beta, for that reason.
fn check_value(value: &Read<'_>, types: &[RootType]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut start = Vec::new();
    let mut scratch = SCRATCH.take();
    for version in 0..VERSIONS.len() {
        for ty in types {
            let Some(doc) = document(*ty, version) else {
                SCRATCH.set(scratch);
                return out;
            };
            expanded(
                &mut scratch.expanded,
                version,
                defs(doc),
                root(doc, *ty),
                value.odata_type(),
                &mut start,
            );
        }
    }
    let mut candidates = Vec::new();
    // Beta first, alone: what beta accepts, no version rejects (a problem is one both
    // versions reject), and most objects are accepted whole. Only an object beta finds
    // something in is walked down both versions, which says what both reject.
    let beta = VERSIONS.len() - 1;
    let only_beta: Vec<At> = start
        .iter()
        .filter(|a| a.version == beta)
        .cloned()
        .collect();
    for (nodes, versions) in [
        (&only_beta, beta..VERSIONS.len()),
        (&start, 0..VERSIONS.len()),
    ] {
        out.clear();
        candidates.clear();
        scratch.path.clear();
        let mut walker = Walker {
            scratch: &mut scratch,
            out: &mut out,
            candidates: &mut candidates,
            versions,
        };
        walker.walk(value, nodes);
        if out.is_empty() && candidates.is_empty() {
            break;
        }
    }
    SCRATCH.set(scratch);
    if candidates.is_empty() {
        return out;
    }
    let value = &value.to_value();
    // The candidates shown one by one are confirmed; the validator is given them alone (with
    // the `@odata.type` of the objects above them), so that a list of 100,000 bad values costs
    // a walk, not 100,000 errors. The others are counted as the walk finds them, when any of
    // those confirmed is.
    let sample = candidates.len().min(PER_OBJECT);
    let rejected = rejected(&reduced(value, &candidates[..sample]), types);
    let confirmed = |c: &Found| {
        let keywords: &[&str] = match c.problem {
            Problem::Stringified { .. } => &["type"],
            _ => &["enum", "pattern"],
        };
        rejected
            .get(c.path.as_str())
            .is_some_and(|k| keywords.iter().any(|w| k.contains(*w)))
    };
    let any = candidates[..sample].iter().any(confirmed);
    for (i, c) in candidates.into_iter().enumerate() {
        if (i < sample && confirmed(&c)) || (i >= sample && any) {
            out.push(c);
        }
    }
    out
}

/// A copy of `value` that holds only the places of `samples`, and the `@odata.type` of every
/// object on the way (which chooses the type that describes it). Elements before a kept one are
/// `null`.
fn reduced(value: &Value, samples: &[Found]) -> Value {
    let mut out = skeleton(value);
    for c in samples {
        let (mut from, mut to) = (value, &mut out);
        for token in c.path.tokens() {
            match (from, to) {
                (Value::Object(f), Value::Object(t)) => {
                    let Some(next) = f.get(&token) else { break };
                    from = next;
                    to = t.entry(token).or_insert_with(|| skeleton(next));
                }
                (Value::Array(f), Value::Array(t)) => {
                    let Some((i, next)) = token
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| Some((i, f.get(i)?)))
                    else {
                        break;
                    };
                    if t.len() <= i {
                        t.resize(i + 1, Value::Null);
                    }
                    if t[i].is_null() {
                        t[i] = skeleton(next);
                    }
                    from = next;
                    to = &mut t[i];
                }
                _ => break,
            }
        }
    }
    out
}

/// An object emptied but for its `@odata.type`, an array emptied, a scalar copied.
fn skeleton(value: &Value) -> Value {
    match value {
        Value::Object(m) => {
            let mut o = Map::new();
            if let Some(t) = m.get("@odata.type") {
                o.insert("@odata.type".to_owned(), t.clone());
            }
            Value::Object(o)
        }
        Value::Array(_) => Value::Array(Vec::new()),
        other => other.clone(),
    }
}

/// The places (and the keywords) at which the validators of every type the object may be reject
/// it, in v1.0 and in beta; empty when it is valid as one of the types in one version.
fn rejected(value: &Value, types: &[RootType]) -> BTreeMap<String, BTreeSet<String>> {
    let mut both: Option<BTreeMap<String, BTreeSet<String>>> = None;
    for version in 0..VERSIONS.len() {
        let validators: Vec<&jsonschema::Validator> = types
            .iter()
            .filter_map(|t| validator(*t, version))
            .collect();
        if validators.len() < types.len() || validators.iter().any(|v| v.is_valid(value)) {
            return BTreeMap::new();
        }
        let mut places: Option<BTreeMap<String, BTreeSet<String>>> = None;
        for v in validators {
            let mut here: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for e in v.evaluate(value).iter_errors() {
                let keyword = e.error.keyword();
                if matches!(keyword, "enum" | "pattern" | "type") {
                    here.entry(e.instance_location.as_str().to_owned())
                        .or_default()
                        .insert(keyword.to_owned());
                }
            }
            places = Some(match places {
                None => here,
                Some(p) => intersect(p, here),
            });
        }
        let places = places.unwrap_or_default();
        both = Some(match both {
            None => places,
            Some(b) => intersect(b, places),
        });
    }
    both.unwrap_or_default()
}

/// The places (and their keywords) in both maps.
fn intersect(
    a: BTreeMap<String, BTreeSet<String>>,
    mut b: BTreeMap<String, BTreeSet<String>>,
) -> BTreeMap<String, BTreeSet<String>> {
    a.into_iter()
        .filter_map(|(place, k)| {
            let other = b.remove(&place)?;
            let common: BTreeSet<String> = k.intersection(&other).cloned().collect();
            (!common.is_empty()).then_some((place, common))
        })
        .collect()
}

/// Text PowerShell writes for an object it turned into a string: `@{key=value; …}` (an object's
/// `ToString()`), or a .NET type name (`System.Collections.Generic.List`1[System.String]`). The
/// type names the loader already reports as depth-truncated (JSON004) are left to it.
pub fn looks_stringified(s: &str) -> bool {
    let s = s.trim();
    if json::is_depth_truncated(s) {
        return false;
    }
    (s.starts_with("@{") && s.ends_with('}'))
        || (s.starts_with("System.") && !s.contains(char::is_whitespace) && s.len() > 7)
}

/// A step down the schemas: the nodes reached, with the name of the definition each belongs
/// to.
#[derive(Clone, Copy)]
struct Node<'s> {
    /// The `$defs` entry the node is (or is inside of), without `microsoft.graph.`.
    def: &'s str,
    /// The type the field declares (`namedLocation` for an `ipNamedLocation` reached through
    /// it), without `microsoft.graph.`.
    declared: &'s str,
    value: &'s Value,
}

/// A node of one version's schema, with what the walk reads of it, looked up once per node
/// rather than once per object.
#[derive(Clone, Copy)]
struct At {
    version: usize,
    defs: &'static Map<String, Value>,
    node: Node<'static>,
    /// The node's `properties`, when it lists them, by name.
    properties: Option<&'static Properties>,
    /// Whether the node is a choice among types (`allOf`).
    choice: bool,
    /// The node's `items`.
    items: Option<&'static Value>,
    /// The members the node lists, and whether it is a flags enum (see [`members_of`]).
    members: Option<(&'static [Value], bool)>,
    /// Whether the node accepts a string of no enum (its `type`, when it has one, allows it).
    string: bool,
}

impl At {
    fn new(version: usize, defs: &'static Map<String, Value>, node: Node<'static>) -> At {
        let v = node.value;
        At {
            version,
            defs,
            node,
            properties: v
                .get("properties")
                .and_then(Value::as_object)
                .map(properties),
            choice: v.get("allOf").is_some(),
            items: v.get("items"),
            members: members_of(v),
            string: match v.get("type") {
                None => true,
                Some(Value::String(t)) => t == "string",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
                _ => false,
            },
        }
    }

    /// The members of the node's enum (or flags enum), as strings.
    fn enum_members(&self) -> Option<(impl Iterator<Item = &'static str> + Clone, bool)> {
        let (list, flags) = self.members?;
        Some((list.iter().filter_map(Value::as_str), flags))
    }
}

/// The `properties` of a schema node, by name: a member of every object is looked up in those
/// of each node describing it, by hashing its name once rather than comparing it with a few of
/// them in a `BTreeMap`.
type Properties = FxHashMap<&'static str, &'static Value>;

/// The `properties` of a schema node, by name, made once per process for each such object of
/// the embedded documents (which are read once per process and never freed: neither are these).
fn properties(map: &'static Map<String, Value>) -> &'static Properties {
    static MADE: OnceLock<Mutex<FxHashMap<usize, &'static Properties>>> = OnceLock::new();
    let mut made = MADE
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    made.entry(std::ptr::from_ref(map) as usize)
        .or_insert_with(|| {
            let by_name: Properties = map.iter().map(|(k, v)| (k.as_str(), v)).collect();
            Box::leak(Box::new(by_name))
        })
}

/// The qualified name without its namespace.
fn short(name: &str) -> &str {
    name.strip_prefix("microsoft.graph.").unwrap_or(name)
}

/// The definitions `node` stands for when it describes `instance`: references followed,
/// alternatives (`anyOf`) all taken, derived types chosen by the instance's `@odata.type`, or,
/// without one, all of them (the names of every type the object may be are known names).
fn expand<'s>(
    defs: &'s Map<String, Value>,
    node: Node<'s>,
    odata_type: Option<&str>,
    declared: Option<&'s str>,
    depth: u8,
    out: &mut Vec<Node<'s>>,
) {
    expand_to(defs, node, odata_type, declared, depth, false, &mut |n| {
        out.push(n)
    });
}

/// [`expand`]; with `dispatch`, a choice among derived types is itself the result (its
/// `properties` list the `@odata.type` names it accepts).
fn expand_to<'s>(
    defs: &'s Map<String, Value>,
    node: Node<'s>,
    odata_type: Option<&str>,
    declared: Option<&'s str>,
    depth: u8,
    dispatch: bool,
    out: &mut dyn FnMut(Node<'s>),
) {
    if depth > 16 {
        return;
    }
    let Value::Object(n) = node.value else {
        return;
    };
    if let Some(Value::String(r)) = n.get("$ref") {
        let Some(name) = r.strip_prefix("#/$defs/") else {
            return;
        };
        let name: std::borrow::Cow<'_, str> = if name.contains('~') {
            name.replace("~1", "/").replace("~0", "~").into()
        } else {
            name.into()
        };
        let Some((key, target)) = defs.get_key_value(name.as_ref()) else {
            return;
        };
        let base = key.strip_suffix("-or-derived").unwrap_or(key);
        let declared = declared.unwrap_or(short(base));
        let next = Node {
            def: short(base),
            declared,
            value: target,
        };
        expand_to(
            defs,
            next,
            odata_type,
            Some(declared),
            depth + 1,
            dispatch,
            out,
        );
        return;
    }
    if let (true, Some(Value::Array(_))) = (dispatch, n.get("allOf")) {
        let declared = declared.unwrap_or(node.declared);
        out(Node { declared, ..node });
        return;
    }
    if let Some(Value::Array(all)) = n.get("allOf") {
        let mut chosen = false;
        for branch in all {
            let Some(then) = branch.get("then") else {
                continue;
            };
            let applies = match (branch.get("if"), odata_type) {
                // Member by member: `Value::pointer` allocates each token of its path, and this
                // runs for every branch of every derived-type choice of every object.
                (Some(cond), Some(t)) => cond
                    .get("properties")
                    .and_then(|p| p.get("@odata.type"))
                    .and_then(|p| p.get("enum"))
                    .and_then(Value::as_array)
                    .is_some_and(|names| {
                        names
                            .iter()
                            .any(|n| n.as_str().is_some_and(|n| n.eq_ignore_ascii_case(t)))
                    }),
                (Some(_), None) => true,
                (None, _) => false,
            };
            if applies {
                chosen = true;
                let next = Node {
                    value: then,
                    ..node
                };
                expand_to(defs, next, odata_type, declared, depth + 1, dispatch, out);
            }
        }
        if !chosen {
            // An `@odata.type` of no type of the family: the choice itself describes the object,
            // which holds nothing else it can vouch for.
            let declared = declared.unwrap_or(node.declared);
            out(Node { declared, ..node });
        }
        return;
    }
    if let Some(Value::Array(any)) = n.get("anyOf") {
        for branch in any {
            let next = Node {
                value: branch,
                ..node
            };
            expand_to(defs, next, odata_type, declared, depth + 1, dispatch, out);
        }
        return;
    }
    let declared = declared.unwrap_or(node.declared);
    out(Node { declared, ..node });
}

/// The root node of a schema document.
fn root(document: &Value, ty: RootType) -> Node<'_> {
    Node {
        def: ty.name(),
        declared: ty.name(),
        value: document,
    }
}

/// The nodes `schema` (a member's or an element's schema under `at`) stands for when it
/// describes an instance of that `@odata.type`, in `at`'s version.
fn children(
    cache: &mut Expanded,
    at: &At,
    schema: &'static Value,
    odata_type: Option<&str>,
    out: &mut Vec<At>,
) {
    let node = Node {
        value: schema,
        ..at.node
    };
    expanded(cache, at.version, at.defs, node, odata_type, out);
}

/// Where a node is expanded from: the node (its schema and the names it carries), and its
/// version's `$defs`, by address (they are static).
type ExpansionKey = [usize; 6];

/// The expansions of one node: for instances without `@odata.type`, and by `@odata.type`,
/// lower-cased (the only part of the instance [`expand_to`] reads, ignoring its case).
#[derive(Default)]
struct Expansions {
    untyped: Option<Vec<At>>,
    typed: FxHashMap<String, Vec<At>>,
}

/// The expansions already made, and room to lower-case an `@odata.type` in to look it up. The
/// schemas are static, and an expansion depends on the instance only through its `@odata.type`:
/// the same member of every object of an export is expanded once per thread, not once per
/// object. The entries are bounded by the schema nodes times the distinct `@odata.type` values
/// of the input.
#[derive(Default)]
struct Expanded {
    made: FxHashMap<ExpansionKey, Expansions>,
    lower: String,
}

/// [`expand_to`] of `node` for an instance of that `@odata.type`, in one version, as schema
/// nodes of that version, made once per node and `@odata.type`.
fn expanded(
    cache: &mut Expanded,
    version: usize,
    defs: &'static Map<String, Value>,
    node: Node<'static>,
    odata_type: Option<&str>,
    out: &mut Vec<At>,
) {
    let key = [
        std::ptr::from_ref(node.value) as usize,
        node.def.as_ptr() as usize,
        node.def.len(),
        node.declared.as_ptr() as usize,
        node.declared.len(),
        std::ptr::from_ref(defs) as usize,
    ];
    let expand = || {
        let mut nodes = Vec::new();
        expand_to(defs, node, odata_type, None, 0, false, &mut |n| {
            nodes.push(At::new(version, defs, n))
        });
        nodes
    };
    let entry = cache.made.entry(key).or_default();
    let nodes = match odata_type {
        None => entry.untyped.get_or_insert_with(expand),
        Some(t) => {
            let lower = &mut cache.lower;
            lower.clear();
            lower.push_str(t);
            lower.make_ascii_lowercase();
            if !entry.typed.contains_key(lower.as_str()) {
                entry.typed.insert(lower.clone(), expand());
            }
            &entry.typed[lower.as_str()]
        }
    };
    out.extend_from_slice(nodes);
}

/// Walks an object down the schema nodes describing it (of both versions): unknown keys go to
/// `out`, strings neither version accepts to `candidates`.
struct Walker<'a> {
    scratch: &'a mut Scratch,
    out: &'a mut Vec<Found>,
    candidates: &'a mut Vec<Found>,
    /// The versions whose nodes are walked (a string is a problem when all of them reject it).
    versions: std::ops::Range<usize>,
}

/// What a walk writes in as it goes, kept from one object to the next so that the members of
/// every object do not each allocate their own.
#[derive(Default)]
struct Scratch {
    /// The escaped text of the pointer to the value walked (grown and cut back in place; a
    /// [`Pointer`] is made only for what is found).
    path: String,
    /// Lists of nodes.
    lists: Vec<Vec<At>>,
    /// Room for a key as the loader reads it.
    names: Vec<String>,
    /// The expansions of schema nodes made so far on this thread.
    expanded: Expanded,
}

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::default();
}

impl Walker<'_> {
    fn list(&mut self) -> Vec<At> {
        self.scratch.lists.pop().unwrap_or_default()
    }

    fn give_back(&mut self, mut list: Vec<At>) {
        list.clear();
        self.scratch.lists.push(list);
    }

    /// Walks `instance` down `nodes`, the schema nodes describing it.
    fn walk(&mut self, instance: &Read<'_>, nodes: &[At]) {
        if nodes.is_empty() {
            return;
        }
        match instance {
            Read::Object(map) => self.object(instance, map, nodes),
            Read::Array(items) => {
                let mut below = self.list();
                let mut scalar_items: Option<Vec<At>> = None;
                for (i, item) in items.iter().enumerate() {
                    below.clear();
                    let nodes_of_item = if item.is_object() {
                        for at in nodes {
                            if let Some(c) = at.items {
                                children(
                                    &mut self.scratch.expanded,
                                    at,
                                    c,
                                    item.odata_type(),
                                    &mut below,
                                );
                            }
                        }
                        &below
                    } else {
                        // Only an object's `@odata.type` chooses among types: the items' nodes
                        // are the same for every other element.
                        if scalar_items.is_none() {
                            let mut v = self.list();
                            for at in nodes {
                                if let Some(c) = at.items {
                                    children(&mut self.scratch.expanded, at, c, None, &mut v);
                                }
                            }
                            scalar_items = Some(v);
                        }
                        scalar_items.as_ref().map_or(&below, |v| v)
                    };
                    let len = self.scratch.path.len();
                    self.scratch.path.push('/');
                    match u8::try_from(i) {
                        // Most lists are short: no formatting for them.
                        Ok(digit @ 0..=9) => self.scratch.path.push(char::from(b'0' + digit)),
                        _ => {
                            use std::fmt::Write;
                            let _ = write!(self.scratch.path, "{i}");
                        }
                    }
                    self.walk(item, nodes_of_item);
                    self.scratch.path.truncate(len);
                }
                self.give_back(below);
                if let Some(v) = scalar_items {
                    self.give_back(v);
                }
            }
            Read::Str(s) => {
                if let Some(problem) = string_problem(s, nodes, self.versions.clone()) {
                    self.candidates.push(Found {
                        path: Pointer::parse(&self.scratch.path),
                        problem,
                    });
                }
            }
            _ => {}
        }
    }

    fn object(&mut self, instance: &Read<'_>, map: &[(Cow<'_, str>, Read<'_>)], nodes: &[At]) {
        // `@odata.type` names the type: one of those the place allows.
        if let Some(Read::Plain(Value::String(t))) = instance.odata_type_value() {
            let mut below = self.list();
            for at in nodes {
                if let Some(&c) = at.properties.and_then(|p| p.get("@odata.type")) {
                    children(&mut self.scratch.expanded, at, c, None, &mut below);
                }
            }
            if let Some(mut problem) = string_problem(t, &below, self.versions.clone()) {
                if let Problem::OutsideEnum { enum_name, .. } = &mut problem {
                    *enum_name = "@odata.type";
                }
                let at = Pointer::parse(&self.scratch.path).child("@odata.type");
                self.candidates.push(Found { path: at, problem });
            }
            self.give_back(below);
        }
        // The types that describe the object (not a choice among types no `@odata.type`
        // made).
        let mut declaring = self.list();
        declaring.extend(nodes.iter().filter(|a| !a.choice && a.properties.is_some()));
        if declaring.is_empty() {
            self.give_back(declaring);
            return;
        }
        let mut below = self.list();
        let mut buf = self.scratch.names.pop().unwrap_or_default();
        for (key, member) in map {
            let key = read::normalised(key, &mut buf);
            // One look at the key's bytes: an annotation holds `@`; `~` and `/` are escaped in
            // a pointer.
            let plain = !key.bytes().any(|b| matches!(b, b'@' | b'~' | b'/'));
            if (!plain && is_annotation(key)) || key.starts_with('#') || SDK_MEMBERS.contains(&key)
            {
                continue;
            }
            below.clear();
            let mut declared = false;
            for at in &declaring {
                if let Some(&c) = at.properties.and_then(|p| p.get(key)) {
                    declared = true;
                    children(
                        &mut self.scratch.expanded,
                        at,
                        c,
                        member.odata_type(),
                        &mut below,
                    );
                }
            }
            if !declared {
                if !is_undeclared(key, &declaring) {
                    let path = Pointer::parse(&self.scratch.path);
                    unknown(instance, key, &declaring, &path, self.out);
                }
                continue;
            }
            let len = self.scratch.path.len();
            self.scratch.path.push('/');
            if !plain {
                for c in key.chars() {
                    match c {
                        '~' => self.scratch.path.push_str("~0"),
                        '/' => self.scratch.path.push_str("~1"),
                        c => self.scratch.path.push(c),
                    }
                }
            } else {
                self.scratch.path.push_str(key);
            }
            self.walk(member, &below);
            self.scratch.path.truncate(len);
        }
        self.give_back(below);
        self.give_back(declaring);
        self.scratch.names.push(buf);
    }
}

/// What is wrong with a string described by `nodes` (of the versions walked), when none of
/// `versions` accepts it: it is outside the enum, or it is text where an object or a list
/// belongs.
fn string_problem(s: &str, nodes: &[At], mut versions: std::ops::Range<usize>) -> Option<Problem> {
    let accepted = |version: usize| {
        let mut mine = nodes.iter().filter(|a| a.version == version).peekable();
        // A version that does not describe the place accepts whatever is there.
        mine.peek().is_none() || mine.any(|a| accepts(a, s))
    };
    if versions.any(accepted) {
        return None;
    }
    if looks_stringified(s) {
        let kinds: BTreeSet<&str> = nodes
            .iter()
            .filter_map(|a| a.node.value.get("type").and_then(Value::as_str))
            .filter(|t| *t != "null")
            .collect();
        let expected = match kinds.iter().copied().collect::<Vec<_>>()[..] {
            ["object"] => "an object",
            ["array"] => "an array",
            _ => return None,
        };
        return Some(Problem::Stringified {
            value: s.to_owned(),
            expected,
        });
    }
    if s.is_empty() {
        // A `null` element of a list reads as an empty string: not a value written.
        return None;
    }
    let mut members: Vec<&'static str> = Vec::new();
    let mut enum_name = None;
    let mut flags = false;
    for a in nodes {
        let Some((list, is_flags)) = a.enum_members() else {
            continue;
        };
        flags |= is_flags;
        enum_name.get_or_insert(a.node.def);
        for m in list {
            if !members.contains(&m) {
                members.push(m);
            }
        }
    }
    Some(Problem::OutsideEnum {
        value: s.to_owned(),
        enum_name: enum_name?,
        members,
        flags,
    })
}

/// The members a node lists: its `enum`, or a flags enum's (`examples` beside its `pattern`);
/// and whether it is a flags enum.
fn members_of(node: &'static Value) -> Option<(&'static [Value], bool)> {
    match (node.get("enum"), node.get("examples")) {
        (Some(Value::Array(e)), _) => Some((e, false)),
        (None, Some(Value::Array(e))) if node.get("pattern").is_some() => Some((e, true)),
        _ => None,
    }
}

/// Whether a node accepts the string `s` as far as these checks go: a member of its enum (letter
/// case aside, as the loader reads it), comma-joined members of its flags enum, or any string
/// when it is a string of no enum (its other patterns, GUIDs and durations, are not checked).
fn accepts(node: &At, s: &str) -> bool {
    if let Some((members, flags)) = node.enum_members() {
        let is_member = |part: &str| members.clone().any(|m| m.eq_ignore_ascii_case(part));
        return if flags {
            s.split(',').all(is_member)
        } else {
            is_member(s)
        };
    }
    node.string
}

/// Whether `key` is a property real exports carry beyond the metadata of the type holding it.
fn is_undeclared(key: &str, declaring: &[At]) -> bool {
    declaring.iter().any(|at| {
        UNDECLARED.iter().any(|(ty, k)| {
            *k == key
                && match short(ty).split_once('*') {
                    Some((head, tail)) => {
                        let def = at.node.def;
                        def.len() >= head.len() + tail.len()
                            && def.starts_with(head)
                            && def.ends_with(tail)
                    }
                    None => short(ty) == at.node.def,
                }
        })
    })
}

/// Records an unknown key, with a hint for those shown one by one.
fn unknown(instance: &Read<'_>, key: &str, declaring: &[At], path: &Pointer, out: &mut Vec<Found>) {
    let hint = (out.len() < PER_OBJECT)
        .then(|| hint(key, declaring, path))
        .flatten();
    out.push(Found {
        path: path.child(key),
        problem: Problem::UnknownProperty {
            key: key.to_owned(),
            type_name: type_name(instance, declaring),
            hint,
        },
    });
}

/// Instance annotations (`@odata.type`, `x@odata.type`, `@microsoft.graph.tips`) and advertised
/// actions (`#microsoft.graph.restore`) belong to no type's properties.
fn is_annotation(key: &str) -> bool {
    key.bytes().any(|b| b == b'@') || key.starts_with('#')
}

/// The name a message gives the type of an object: the type its `@odata.type` names, else the
/// type its field declares.
fn type_name(instance: &Read<'_>, declaring: &[At]) -> String {
    let typed = instance.get("@odata.type").is_some();
    declaring
        .first()
        .map(|a| if typed { a.node.def } else { a.node.declared })
        .unwrap_or_default()
        .to_owned()
}

/// The name the type declares that `key` most likely means: a few edits away, or declared by the
/// type of one of the object's members.
fn hint(key: &str, declaring: &[At], path: &Pointer) -> Option<Hint> {
    let names: Vec<&str> = declaring
        .iter()
        .filter_map(|a| a.node.value.get("properties").and_then(Value::as_object))
        .flat_map(|p| p.keys().map(String::as_str))
        .filter(|k| !is_annotation(k))
        .collect();
    if let Some(name) = closest(key, names.iter().copied()) {
        return Some(Hint::Rename(name.to_owned()));
    }
    // A key of a member's type, one level down (`includeUsers` on `conditions`).
    for at in declaring {
        let Some(props) = at.node.value.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for (name, schema) in props {
            if is_annotation(name) {
                continue;
            }
            let mut e = Vec::new();
            let n = Node {
                value: schema,
                ..at.node
            };
            expand(at.defs, n, None, None, 0, &mut e);
            let declares = e
                .iter()
                .any(|n| n.value.get("properties").and_then(|p| p.get(key)).is_some());
            if declares {
                let mut at: Vec<String> = path
                    .tokens()
                    .filter(|t| t.parse::<usize>().is_err())
                    .collect();
                at.push(name.clone());
                return Some(Hint::MoveInto(at.join(".")));
            }
        }
    }
    None
}

/// The candidate closest to `word` (ignoring ASCII case), if it is close enough to be a typo:
/// at most one edit for words of up to four letters, two up to ten, three beyond. An adjacent
/// transposition is one edit.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = match word.chars().count() {
        0..=4 => 1,
        5..=10 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = distance(word, c);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The optimal string alignment distance between `a` and `b`, ignoring ASCII case.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    // Long words are never typos of each other in a few edits when their lengths differ much.
    if a.len().abs_diff(b.len()) > 3 {
        return usize::MAX;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_schema_compiles() {
        for ty in RootType::ALL {
            for (v, name) in VERSIONS.iter().enumerate() {
                assert!(validator(ty, v).is_some(), "{name} {}", ty.name());
            }
        }
    }

    #[test]
    fn values_are_normalised_as_read() {
        let texts = [
            r#"{"State":"enabled","Conditions":{"Users":{"IncludeUsers":["All",null]}}}"#,
            r#"{"state":"a","State":"b","STATE":null}"#,
            r#"{"State":"b","state":"a"}"#,
            r#"{"a":1,"a":null,"b":null,"b":2,"c":3,"c":4}"#,
            r##"{"@odata.type":"#x","@OData.Type":null,"id@odata.type":"#y","#restore":{},"x@odata.context":1}"##,
            r#"{"@odata.type":{"A":null},"List":[{"B":null,"C":[null,{"D":1.5e3}]}],"E":-2,"F":true}"#,
            r#"[{"Él":"é","":0,"_x":{}},null,"s",18446744073709551615]"#,
        ];
        for text in texts {
            let parsed: Value = serde_json::from_str(text).unwrap();
            let read = Read::parse(text).unwrap().to_value();
            assert_eq!(read, normalise(parsed), "{text}");
        }
    }

    /// A wrapper that names its role or policy is read for its rules alone: they are those the
    /// whole object holds, and it is known as a wrapper exactly when the whole object, as read,
    /// holds a member naming a role or a policy.
    #[test]
    fn a_wrapper_is_read_for_its_rules_alone() {
        let rule = r##"{"Id":"Expiration_Admin_Eligibility","@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyExpirationRule","MaximumDuration":"P365D"}"##;
        let texts = [
            format!(
                r#"{{"DisplayName":"Global Administrator","RoleTemplateId":"62e90394-69f5-4237-9190-012177145e10","Assignments":[{{"Id":"a"}}],"Rules":[{rule}]}}"#
            ),
            format!(r#"{{"RoleID":"r","PolicyID":"p","Rules":[{rule},{rule}]}}"#),
            format!(r#"{{"roleTemplateId":null,"Rules":[{rule}]}}"#),
            format!(
                r#"{{"RoleTemplateId":null,"RoleTemplateId":"x","rules":[],"Rules":[{rule}]}}"#
            ),
            format!(r#"{{"RoleTemplateId":"x","RoleTemplateId":null,"Rules":[{rule}]}}"#),
            format!(
                r#"{{"roleTemplateId":null,"RoleTemplateID":"x","Rules":null,"rules":[{rule}]}}"#
            ),
            format!(r#"{{ "policyid" : 1 , "Rules" : [ {rule} ] , "x" : {{ "Rules" : [] }} }}"#),
            format!(r#"{{"id":"p","rules":[{rule}]}}"#),
            format!(r#"{{"value":[{rule}]}}"#),
            r#"{"RoleID":"r"}"#.to_owned(),
            r#"{}"#.to_owned(),
        ];
        for text in &texts {
            let Some(Read::Object(mut whole)) = Read::parse(text) else {
                panic!("{text}")
            };
            let named = whole.iter().any(|(k, _)| {
                ["roleID", "policyID", "roleTemplateId"]
                    .iter()
                    .any(|n| k.eq_ignore_ascii_case(n))
            });
            let Some((Read::Object(mut read), names)) = Read::parse_policy(text) else {
                panic!("{text}")
            };
            assert_eq!(names, named, "{text}");
            if !names {
                assert_eq!(read, whole, "{text}");
                continue;
            }
            assert_eq!(
                read::remove(&mut read, "rules"),
                read::remove(&mut whole, "rules"),
                "{text}"
            );
            assert!(read.is_empty(), "{text}");
        }
        // Text that is not an object, or not JSON, is not read.
        for text in [
            "[]",
            r#"{"RoleID":"r","Rules":[1,]}"#,
            r#"{"Rules":[]"#,
            r#"{"a":tru}"#,
        ] {
            assert!(Read::parse_policy(text).is_none(), "{text}");
        }
    }

    #[test]
    fn typos_are_a_few_edits_away() {
        let names = ["grantControls", "sessionControls", "conditions", "state"];
        assert_eq!(closest("grantControl", names), Some("grantControls"));
        assert_eq!(closest("stat", names), Some("state"));
        assert_eq!(closest("conditons", names), Some("conditions"));
        assert_eq!(closest("templateId", names), None);
        assert_eq!(closest("enabeld", ["enabled", "disabled"]), Some("enabled"));
        assert_eq!(closest("mfaa", ["mfa", "block"]), Some("mfa"));
        assert_eq!(closest("legacy", ["all", "browser", "other"]), None);
        assert_eq!(distance("ab", "ba"), 1);
    }

    #[test]
    fn stringified_values_are_recognised() {
        assert!(looks_stringified("@{membershipKind=all}"));
        assert!(looks_stringified("@{a=1} @{a=2}"));
        assert!(looks_stringified(
            "System.Collections.Generic.List`1[System.String]"
        ));
        // JSON004's.
        assert!(!looks_stringified("System.Object[]"));
        assert!(!looks_stringified(
            "Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessUsers"
        ));
        assert!(!looks_stringified("All"));
        assert!(!looks_stringified("System"));
    }
}
