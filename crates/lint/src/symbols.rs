//! References that are not ids. Graph's Conditional Access lists hold object ids, but policies
//! kept in repositories often name their objects instead: a group by its display name
//! (`"excludeGroups": ["CA-01 - Exclusion"]`), a user by UPN, an application by name
//! (`"Office 365"`), typed tokens (`"<DISPLAYNAME>:Example group"`, `"<USERPRINCIPALNAME>:bg@…"`),
//! script variables (`$breakglassid`, `${…}`) and template placeholders
//! (`"Current administrator will be excluded"`).
//!
//! Before the rules run, each such *symbol* in a policy's user, group, role, application and
//! location lists is resolved, in this order, through:
//! 1. the exported objects: users by user principal name or display name (their mail is not
//!    kept: a large export holds it for every user); groups by display name or mail; role
//!    definitions and named locations by display name;
//! 2. id-to-name tables (IntuneManagement's `MigrationTable.json`);
//! 3. the accounts declared in entralint.toml (`{ upn = "…" }`, `{ group-name = "…" }`);
//! 4. the built-in directory roles and first-party applications.
//!
//! Authentication contexts named where their id (`c1`) belongs, and a strength named in the grant
//! controls without its id (Microsoft365DSC names both by display name), resolve through the
//! exported contexts and strengths, and for a strength the built-in ones.
//!
//! A Terraform reference (`azuread_group.breakglass.object_id`: what a plan reads where Terraform
//! knows the value only after apply, and what a configuration writes) names no display name: it
//! resolves only through an account declared in entralint.toml by that address
//! (`{ terraform = "azuread_group.breakglass" }`).
//!
//! A symbol that one source names exactly one object for is replaced by that object's id, and
//! every rule then reads it as it reads the id. One that several objects answer to, one no
//! source knows, and every placeholder stay unresolved: the runner reports each (JSON012) and
//! withholds the judgements of the rules that depend on the policy's scope for that policy.

use crate::settings::{AccountKind, TenantFacts};
use entralint_parser::builtin::{is_special_user, BUILT_IN_ROLES, BUILT_IN_STRENGTHS};
use entralint_parser::model::ConditionalAccessPolicy;
use entralint_parser::Kind;
use entralint_parser::{ObjectId, Tenant};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{BTreeSet, HashMap};

/// Every target, in the order of the id-to-name table's indexes.
const TARGETS: [Target; 5] = [
    Target::User,
    Target::Group,
    Target::Role,
    Target::Application,
    Target::Location,
];

/// What a list of a policy refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    User,
    Group,
    Role,
    Application,
    Location,
    /// An authentication strength, named in a policy's grant controls.
    Strength,
    /// An authentication context, named where its id (`c1`) belongs.
    Context,
}

impl Target {
    pub fn noun(self) -> &'static str {
        match self {
            Target::User => "user",
            Target::Group => "group",
            Target::Role => "role",
            Target::Application => "application",
            Target::Location => "named location",
            Target::Strength => "authentication strength",
            Target::Context => "authentication context",
        }
    }

    /// The noun with its article: "a user", "an application".
    pub fn a_noun(self) -> &'static str {
        match self {
            Target::User => "a user",
            Target::Group => "a group",
            Target::Role => "a role",
            Target::Application => "an application",
            Target::Location => "a named location",
            Target::Strength => "an authentication strength",
            Target::Context => "an authentication context",
        }
    }

    /// The kind of exported object the target is looked up among.
    fn kind(self) -> Option<Kind> {
        match self {
            Target::User => Some(Kind::User),
            Target::Group => Some(Kind::Group),
            Target::Role => Some(Kind::RoleDefinition),
            Target::Location => Some(Kind::NamedLocation),
            Target::Strength => Some(Kind::AuthenticationStrength),
            Target::Context => Some(Kind::AuthenticationContext),
            Target::Application => None,
        }
    }

    /// Values Graph gives a meaning in the list, which are never symbols.
    fn is_special(self, value: &str) -> bool {
        let specials: &[&str] = match self {
            Target::User => return is_special_user(value),
            // `includeApplications`: "Can also include All, None, Office365, or
            // MicrosoftAdminPortals"
            // (conditionalAccessApplications, Microsoft Graph); beta adds `AllAgentIdResources`
            // for policies on agent identities.
            Target::Application => &[
                "All",
                "None",
                "Office365",
                "MicrosoftAdminPortals",
                "AllAgentIdResources",
            ],
            Target::Location => &["All", "AllTrusted"],
            Target::Group | Target::Role | Target::Strength | Target::Context => &[],
        };
        specials
            .iter()
            .any(|s| s.eq_ignore_ascii_case(value.trim()))
    }
}

/// Why a symbol stayed unresolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// Template text left where an id belongs; what it looks like.
    Placeholder(&'static str),
    /// No source knows the name: a clause saying where it was looked for ("no group by that name
    /// is among the exported groups or …") and what the export lacks.
    NotFound(String),
    /// Several objects of one source answer to the name: how many, and which source.
    Ambiguous(usize, &'static str),
    /// A Terraform reference (its value known only after apply) that no account declared in
    /// entralint.toml by Terraform address matches.
    Terraform,
}

/// A symbol no source resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    /// The policy, by its position in the tenant's list.
    pub policy: usize,
    /// The list below the policy, e.g. `conditions/users/excludeGroups`.
    pub field: &'static str,
    pub index: usize,
    /// The entry as written.
    pub text: String,
    /// The name a Terraform data source reads the object by, when the entry is a reference to it.
    pub name: Option<String>,
    pub target: Target,
    pub why: Why,
}

impl Unresolved {
    /// The path of the entry below its policy (a policy names one strength: no index).
    pub fn path(&self) -> String {
        match self.target {
            Target::Strength => self.field.to_owned(),
            _ => format!("{}/{}", self.field, self.index),
        }
    }
}

/// The symbols of a tenant's policies.
#[derive(Debug, Clone, Default)]
pub struct Symbols {
    pub unresolved: Vec<Unresolved>,
}

/// How a symbol names its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    /// A display name (or, for a user, anything but an address).
    Name,
    /// A user principal name or a mail address.
    Address,
}

/// What an entry that is not an id says.
enum Symbol<'s> {
    Name(By, &'s str),
    Placeholder(&'static str),
    /// A Terraform reference (`azuread_group.bg.object_id`, `var.bg_group`).
    Terraform(&'s str),
}

/// The words a Terraform plan reads where a value is known only after apply and the
/// configuration does not say what it refers to (as `terraform plan` prints it).
const KNOWN_AFTER_APPLY: &str = "(known after apply)";

/// What Terraform configuration reads where an expression is not evaluated statically (a
/// function call, a template, a conditional).
const NOT_EVALUATED: &str = "(not statically evaluable)";

/// Whether `t` is a Terraform reference: `<type>.<name>.<attribute>…` with a resource type
/// `<provider>_<kind>`, `data.<type>.<name>.…`, `module.<name>.<output>…`, `var.<name>` or
/// `local.<name>` (Terraform, "References to Named Values",
/// <https://developer.hashicorp.com/terraform/language/expressions/references>).
pub fn is_terraform_reference(t: &str) -> bool {
    let t = t.trim();
    if t.is_empty() || t.contains(char::is_whitespace) || t.contains(['"', '@', '/']) {
        return false;
    }
    let parts: Vec<&str> = t.split('.').collect();
    let word = |s: &str| {
        let s = s.split('[').next().unwrap_or(s);
        !s.is_empty()
            && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    if !parts.iter().all(|p| word(p)) {
        return false;
    }
    match parts[0] {
        "var" | "local" => parts.len() >= 2,
        "module" => parts.len() >= 3,
        "data" => parts.len() >= 4 && parts[1].contains('_'),
        ty => {
            parts.len() >= 3
                && ty.contains('_')
                && ty
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        }
    }
}

/// Whether the Terraform reference `reference` reads the object at `address`
/// (`azuread_group.bg.object_id`, `azuread_group.bg[0].id` and `azuread_group.bg` itself read
/// `azuread_group.bg`).
pub fn reads_address(reference: &str, address: &str) -> bool {
    let (r, a) = (reference.trim(), address.trim());
    r.strip_prefix(a)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// The id an account declared by Terraform address stands for: the address itself, so that a
/// policy's reference and the declaration meet.
pub fn terraform_id(address: &str) -> ObjectId {
    ObjectId::new(address.trim())
}

/// Microsoft's Conditional Access templates put this where the creating administrator's id
/// goes (conditionalAccessTemplate, Microsoft Graph).
const CURRENT_ADMINISTRATOR: &str = "Current administrator will be excluded";

/// Reads an entry that is neither an id nor a special value.
fn symbol(text: &str) -> Symbol<'_> {
    let t = text.trim();
    // Typed tokens of the Entra Conditional Access policy library (`<DISPLAYNAME>:…`).
    if let Some(rest) = t.strip_prefix('<') {
        if let Some((tag, value)) = rest.split_once(">:") {
            let value = value.trim();
            if value.is_empty() {
                return Symbol::Placeholder("a typed token with no value");
            }
            return match tag.to_ascii_uppercase().as_str() {
                "USERPRINCIPALNAME" | "MAIL" | "UPN" => Symbol::Name(By::Address, value),
                _ => Symbol::Name(By::Name, value),
            };
        }
    }
    if t.is_empty() {
        Symbol::Placeholder("an empty string")
    } else if t == NOT_EVALUATED {
        Symbol::Placeholder("an expression entralint does not evaluate statically")
    } else if t == KNOWN_AFTER_APPLY {
        Symbol::Placeholder(
            "a value Terraform knows only after apply, whose configuration names no reference",
        )
    } else if is_terraform_reference(t) {
        Symbol::Terraform(t)
    } else if t.eq_ignore_ascii_case(CURRENT_ADMINISTRATOR) {
        Symbol::Placeholder(
            "Microsoft's template text for the administrator who creates the policy",
        )
    } else if t.starts_with('$') {
        Symbol::Placeholder("a script or template variable")
    } else if t.contains("{{")
        || (t.starts_with('%') && t.ends_with('%') && t.len() > 1)
        || (t.starts_with('<') && t.ends_with('>'))
    {
        Symbol::Placeholder("a template placeholder")
    } else if t.to_ascii_lowercase().contains("xxxx") {
        Symbol::Placeholder("a placeholder id")
    } else if t.contains('@') && !t.contains(char::is_whitespace) {
        Symbol::Name(By::Address, t)
    } else {
        Symbol::Name(By::Name, t)
    }
}

/// First-party Microsoft applications by the names policies give them, with their application
/// ids ("Verify first-party Microsoft applications in sign-in reports",
/// <https://learn.microsoft.com/troubleshoot/entra/entra-id/governance/verify-first-party-apps-sign-in>)
/// or the special value Graph uses for the suite ("Conditional Access: Target resources",
/// <https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps>).
pub const FIRST_PARTY_APPLICATIONS: [(&str, &str); 14] = [
    ("Office 365", "Office365"),
    ("Microsoft Admin Portals", "MicrosoftAdminPortals"),
    (
        "Windows Azure Service Management API",
        "797f4846-ba00-4fd7-ba43-dac1f8f63013",
    ),
    (
        "Microsoft Azure Management",
        "797f4846-ba00-4fd7-ba43-dac1f8f63013",
    ),
    (
        "Azure Resource Manager",
        "797f4846-ba00-4fd7-ba43-dac1f8f63013",
    ),
    ("Microsoft Graph", "00000003-0000-0000-c000-000000000000"),
    (
        "Office 365 Exchange Online",
        "00000002-0000-0ff1-ce00-000000000000",
    ),
    (
        "Office 365 SharePoint Online",
        "00000003-0000-0ff1-ce00-000000000000",
    ),
    ("Microsoft Intune", "0000000a-0000-0000-c000-000000000000"),
    (
        "Microsoft Intune Enrollment",
        "d4ebce55-015a-49b5-a083-c84d1797ae8c",
    ),
    (
        "Microsoft Teams Services",
        "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe",
    ),
    (
        "Azure Virtual Desktop",
        "9cdead84-a844-4324-93f2-b2e6bb768d07",
    ),
    (
        "Microsoft Azure CLI",
        "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
    ),
    (
        "Microsoft Azure PowerShell",
        "1950a258-227b-4e31-a9cf-717495945fc2",
    ),
];

/// The lists of a policy that hold references: path below the policy, what they refer to, and
/// the entries.
fn lists(p: &ConditionalAccessPolicy) -> Vec<(&'static str, Target, Vec<&str>)> {
    let c = &p.conditions;
    let u = &c.users;
    fn ids(l: &[ObjectId]) -> Vec<&str> {
        l.iter().map(ObjectId::as_str).collect()
    }
    let mut out = vec![
        (INCLUDE_USERS, Target::User, ids(&u.include_users)),
        (EXCLUDE_USERS, Target::User, ids(&u.exclude_users)),
        (INCLUDE_GROUPS, Target::Group, ids(&u.include_groups)),
        (EXCLUDE_GROUPS, Target::Group, ids(&u.exclude_groups)),
        (INCLUDE_ROLES, Target::Role, ids(&u.include_roles)),
        (EXCLUDE_ROLES, Target::Role, ids(&u.exclude_roles)),
        (
            INCLUDE_APPLICATIONS,
            Target::Application,
            ids(&c.applications.include_applications),
        ),
        (
            EXCLUDE_APPLICATIONS,
            Target::Application,
            ids(&c.applications.exclude_applications),
        ),
    ];
    if let Some(l) = &c.locations {
        fn texts(l: &[String]) -> Vec<&str> {
            l.iter().map(String::as_str).collect()
        }
        out.push((INCLUDE_LOCATIONS, Target::Location, texts(&l.include)));
        out.push((EXCLUDE_LOCATIONS, Target::Location, texts(&l.exclude)));
    }
    let contexts = &c
        .applications
        .include_authentication_context_class_references;
    out.push((
        CONTEXTS,
        Target::Context,
        contexts.iter().map(String::as_str).collect(),
    ));
    // A strength named without its id (Microsoft365DSC names it by display name).
    let named = p
        .grant_controls
        .as_ref()
        .and_then(|g| g.authentication_strength.as_ref())
        .filter(|s| s.id.is_none())
        .and_then(|s| s.display_name.as_deref());
    if let Some(name) = named {
        out.push((STRENGTH, Target::Strength, vec![name]));
    }
    // A strength a Terraform plan or configuration refers to without its id.
    let referred = p
        .grant_controls
        .as_ref()
        .and_then(|g| g.authentication_strength.as_ref())
        .and_then(|s| s.id.as_ref())
        .filter(|id| {
            is_terraform_reference(id.as_str())
                || [KNOWN_AFTER_APPLY, NOT_EVALUATED].contains(&id.as_str())
        });
    if let Some(id) = referred {
        out.push((STRENGTH, Target::Strength, vec![id.as_str()]));
    }
    out
}

const INCLUDE_USERS: &str = "conditions/users/includeUsers";
const EXCLUDE_USERS: &str = "conditions/users/excludeUsers";
const INCLUDE_GROUPS: &str = "conditions/users/includeGroups";
const EXCLUDE_GROUPS: &str = "conditions/users/excludeGroups";
const INCLUDE_ROLES: &str = "conditions/users/includeRoles";
const EXCLUDE_ROLES: &str = "conditions/users/excludeRoles";
const INCLUDE_APPLICATIONS: &str = "conditions/applications/includeApplications";
const EXCLUDE_APPLICATIONS: &str = "conditions/applications/excludeApplications";
const INCLUDE_LOCATIONS: &str = "conditions/locations/includeLocations";
const EXCLUDE_LOCATIONS: &str = "conditions/locations/excludeLocations";
const CONTEXTS: &str = "conditions/applications/includeAuthenticationContextClassReferences";
const STRENGTH: &str = "grantControls/authenticationStrength";

/// Replaces entry `index` of the list at `field` (one of [`lists`]) by `id`.
fn set(p: &mut ConditionalAccessPolicy, field: &str, index: usize, id: &ObjectId) {
    let c = &mut p.conditions;
    let u = &mut c.users;
    let list = match field {
        INCLUDE_USERS => &mut u.include_users,
        EXCLUDE_USERS => &mut u.exclude_users,
        INCLUDE_GROUPS => &mut u.include_groups,
        EXCLUDE_GROUPS => &mut u.exclude_groups,
        INCLUDE_ROLES => &mut u.include_roles,
        EXCLUDE_ROLES => &mut u.exclude_roles,
        INCLUDE_APPLICATIONS => &mut c.applications.include_applications,
        EXCLUDE_APPLICATIONS => &mut c.applications.exclude_applications,
        CONTEXTS => {
            let list = &mut c
                .applications
                .include_authentication_context_class_references;
            list[index] = id.as_str().to_owned();
            return;
        }
        STRENGTH => {
            if let Some(s) = p
                .grant_controls
                .as_mut()
                .and_then(|g| g.authentication_strength.as_mut())
            {
                s.id = Some(id.clone());
            }
            return;
        }
        _ => {
            if let Some(l) = &mut c.locations {
                let list = if field == INCLUDE_LOCATIONS {
                    &mut l.include
                } else {
                    &mut l.exclude
                };
                list[index] = id.as_str().to_owned();
            }
            return;
        }
    };
    list[index] = id.clone();
}

/// Whether an entry is an id (or a value Graph defines) rather than a symbol.
fn is_id(target: Target, text: &str) -> bool {
    let t = text.trim();
    let unbraced = t
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(t);
    if target == Target::Context {
        // Context ids are `c1` to `c99` (authenticationContextClassReference, Microsoft Graph).
        let digits = t.strip_prefix(['c', 'C']).unwrap_or("");
        return !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    }
    entralint_parser::is_guid(unbraced) || target.is_special(t)
}

/// Resolves the symbols of every policy: the tenant as the rules read it (a copy with resolved
/// symbols replaced by their ids, or the tenant itself when nothing needed replacing — most
/// exports hold no symbol) and what stayed unresolved.
pub fn resolve<'t>(tenant: &'t Tenant, facts: &TenantFacts) -> (Cow<'t, Tenant>, Symbols) {
    let sources = Sources::new(tenant, facts);
    let mut symbols = Symbols::default();
    let mut replace: Vec<(usize, &'static str, usize, ObjectId)> = Vec::new();
    for (n, p) in tenant.conditional_access.iter().enumerate() {
        for (field, target, list) in lists(p) {
            for (i, text) in list.into_iter().enumerate() {
                if is_id(target, text) {
                    continue;
                }
                let mut via = None;
                let why = match symbol(text) {
                    Symbol::Placeholder(what) => Why::Placeholder(what),
                    Symbol::Terraform(reference) => {
                        let found = match sources.find_terraform(target, reference) {
                            Some(id) => Ok(id),
                            // A data source's object: the name it reads it by.
                            None => match sources.data_name(target, reference) {
                                Some((by, name)) => {
                                    via = Some(name.to_owned());
                                    sources.find(target, by, name)
                                }
                                None => Err(Why::Terraform),
                            },
                        };
                        match found {
                            Ok(id) => {
                                replace.push((n, field, i, id));
                                continue;
                            }
                            Err(why) => why,
                        }
                    }
                    Symbol::Name(by, name) => match sources.find(target, by, name) {
                        Ok(id) => {
                            replace.push((n, field, i, id));
                            continue;
                        }
                        Err(why) => why,
                    },
                };
                symbols.unresolved.push(Unresolved {
                    policy: n,
                    field,
                    index: i,
                    text: text.to_owned(),
                    name: via,
                    target,
                    why,
                });
            }
        }
    }
    if replace.is_empty() {
        return (Cow::Borrowed(tenant), symbols);
    }
    let mut copy = tenant.clone();
    for (n, field, i, id) in replace {
        set(&mut copy.conditional_access[n], field, i, &id);
    }
    (Cow::Owned(copy), symbols)
}

/// The group a `group-name` account declaration names: the exported group of that display name
/// when exactly one has it, else the name itself (which a policy's symbol resolves to).
pub fn declared_group(tenant: &Tenant, name: &str) -> ObjectId {
    let ids: BTreeSet<&ObjectId> = tenant
        .groups
        .iter()
        .filter(|g| same(g.display_name.as_deref(), name))
        .filter_map(|g| g.id.as_ref())
        .collect();
    match ids.len() {
        1 => ids.into_iter().next().cloned().expect("one id"),
        _ => name_id(name),
    }
}

/// The id a declared name stands for when no exported object has it: the name itself, so that
/// a policy's symbol and the declaration meet.
fn name_id(name: &str) -> ObjectId {
    ObjectId::new(&name.trim().to_lowercase())
}

fn same(a: Option<&str>, b: &str) -> bool {
    a.is_some_and(|a| a.trim().eq_ignore_ascii_case(b.trim()))
}

/// Where symbols are looked up.
struct Sources<'t> {
    tenant: &'t Tenant,
    facts: &'t TenantFacts,
    /// The ids of each name, per index, built the first time it is asked: a policy-as-code
    /// repository holds a few names, but an export may hold very many users and policies.
    indexes: [OnceCell<Index<'t>>; INDEXES],
}

/// Ids by name, the name trimmed and lower-cased.
type Index<'t> = HashMap<String, Vec<&'t ObjectId>>;

/// The indexes: users by address and by name, groups by address and by name, role definitions,
/// named locations, and the id-to-name table's entries of each target.
const INDEXES: usize = 11;

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

fn index<'t, T: 't>(
    items: &'t [T],
    names: impl Fn(&'t T) -> [Option<&'t str>; 2],
    id: impl Fn(&'t T) -> Option<&'t ObjectId>,
) -> Index<'t> {
    let mut map: Index<'t> = HashMap::new();
    for item in items {
        let Some(id) = id(item) else { continue };
        for name in names(item).into_iter().flatten() {
            map.entry(key(name)).or_default().push(id);
        }
    }
    map
}

impl<'t> Sources<'t> {
    fn new(tenant: &'t Tenant, facts: &'t TenantFacts) -> Self {
        Sources {
            tenant,
            facts,
            indexes: Default::default(),
        }
    }

    /// The ids index `i` has for `name`.
    fn ids(&self, i: usize, name: &str) -> Vec<&'t ObjectId> {
        let t = self.tenant;
        let index = self.indexes[i].get_or_init(|| match i {
            0 => index(
                &t.users,
                |u| [u.user_principal_name.as_deref(), None],
                |u| u.id.as_ref(),
            ),
            1 => index(
                &t.users,
                |u| [u.display_name.as_deref(), None],
                |u| u.id.as_ref(),
            ),
            2 => index(&t.groups, |g| [g.mail.as_deref(), None], |g| g.id.as_ref()),
            3 => index(
                &t.groups,
                |g| [g.display_name.as_deref(), None],
                |g| g.id.as_ref(),
            ),
            4 => index(
                &t.role_definitions,
                |r| [r.display_name.as_deref(), None],
                |r| r.template_id.as_ref().or(r.id.as_ref()),
            ),
            5 => index(
                &t.named_locations,
                |l| [l.display_name.as_deref(), None],
                |l| l.id.as_ref(),
            ),
            _ => {
                let target = TARGETS[i - 6];
                index(
                    &t.name_table,
                    |e| {
                        let of_target = e
                            .object_type
                            .as_deref()
                            .is_some_and(|ty| type_is(ty, target));
                        [e.display_name.as_deref().filter(|_| of_target), None]
                    },
                    |e| e.id.as_ref(),
                )
            }
        });
        index.get(&key(name)).cloned().unwrap_or_default()
    }

    /// The id `name` stands for, or why there is none.
    fn find(&self, target: Target, by: By, name: &str) -> Result<ObjectId, Why> {
        if matches!(target, Target::Strength | Target::Context) {
            return self.find_named(target, name);
        }
        let t = self.tenant;
        let mut looked: Vec<&str> = Vec::new();
        // 1. The exported objects.
        let has = |kind| t.inventory.has(kind);
        let exported: Option<(Vec<&ObjectId>, &'static str)> = match target {
            Target::User if has(Kind::User) => Some((
                self.ids(if by == By::Address { 0 } else { 1 }, name),
                "the exported users",
            )),
            Target::Group if has(Kind::Group) => Some((
                self.ids(if by == By::Address { 2 } else { 3 }, name),
                "the exported groups",
            )),
            Target::Role if has(Kind::RoleDefinition) => {
                Some((self.ids(4, name), "the exported role definitions"))
            }
            Target::Location if has(Kind::NamedLocation) => {
                Some((self.ids(5, name), "the exported named locations"))
            }
            _ => None,
        };
        if let Some((ids, source)) = exported {
            looked.push(source);
            if let Some(id) = one(ids, source)? {
                return Ok(id);
            }
        }
        // 2. Id-to-name tables.
        if has(Kind::NameTableEntry) {
            let source = "the id-to-name tables (MigrationTable.json)";
            looked.push(source);
            let i = 6 + TARGETS
                .iter()
                .position(|x| *x == target)
                .expect("every target");
            if let Some(id) = one(self.ids(i, name), source)? {
                return Ok(id);
            }
        }
        // 3. The accounts declared in entralint.toml.
        let declared = self
            .facts
            .break_glass
            .iter()
            .chain(&self.facts.service)
            .any(|a| match (target, a.kind) {
                (Target::User, AccountKind::Upn) => by == By::Address && same(Some(&a.value), name),
                (Target::Group, AccountKind::GroupName) => same(Some(&a.value), name),
                _ => false,
            });
        if declared {
            return Ok(name_id(name));
        }
        if matches!(target, Target::User | Target::Group) {
            looked.push("the accounts declared in entralint.toml");
        }
        // 4. The built-in catalogues.
        match target {
            Target::Role => {
                looked.push("the built-in roles");
                if let Some(r) = BUILT_IN_ROLES.iter().find(|r| same(Some(r.name), name)) {
                    return Ok(r.id.clone());
                }
            }
            Target::Application => {
                looked.push("the first-party applications entralint knows");
                if let Some((_, id)) = FIRST_PARTY_APPLICATIONS
                    .iter()
                    .find(|(n, _)| same(Some(n), name))
                {
                    return Ok(ObjectId::new(id));
                }
            }
            _ => {}
        }
        let missing = target.kind().filter(|k| !t.inventory.has(*k));
        let noun = target.noun();
        Err(Why::NotFound(match (looked.is_empty(), missing) {
            (false, None) => format!("no {noun} by that name is among {}", join(&looked)),
            (false, Some(kind)) => format!(
                "no {noun} by that name is among {} (the export holds no {})",
                join(&looked),
                kind.noun()
            ),
            (true, Some(kind)) => format!("the export holds no {} to find it among", kind.noun()),
            (true, None) => "no source entralint reads names it".to_owned(),
        }))
    }
}

impl Sources<'_> {
    /// The id a Terraform reference stands for: a named location the same configuration writes
    /// (whose id, known only after apply, is its address), or an account declared in
    /// entralint.toml by the address the reference reads.
    fn find_terraform(&self, target: Target, reference: &str) -> Option<ObjectId> {
        if target == Target::Location {
            return self
                .tenant
                .named_locations
                .iter()
                .filter_map(|l| l.id.as_ref())
                .find(|id| reads_address(reference, id.as_str()))
                .cloned();
        }
        if !matches!(target, Target::User | Target::Group) {
            return None;
        }
        self.facts
            .break_glass
            .iter()
            .chain(&self.facts.service)
            .filter(|a| a.kind == AccountKind::Terraform)
            .find(|a| reads_address(reference, &a.value))
            .map(|a| terraform_id(&a.value))
    }

    /// The name a Terraform data source reads the group or user a reference reads by
    /// (`data.azuread_group.bg.object_id` → the `display_name` of `data.azuread_group.bg`).
    fn data_name<'r>(&'r self, target: Target, reference: &str) -> Option<(By, &'r str)> {
        let group = match target {
            Target::Group => true,
            Target::User => false,
            _ => return None,
        };
        self.tenant
            .terraform_data
            .iter()
            .find(|d| d.group == group && reads_address(reference, &d.address))
            .map(|d| {
                let by = if group { By::Name } else { By::Address };
                (by, d.name.as_str())
            })
    }

    /// The id of the authentication strength or context of that display name: among the
    /// exported ones, then (strengths) the built-in ones.
    fn find_named(&self, target: Target, name: &str) -> Result<ObjectId, Why> {
        let t = self.tenant;
        let kind = target
            .kind()
            .expect("strengths and contexts are exported kinds");
        let mut looked = Vec::new();
        if t.inventory.has(kind) {
            let source = if target == Target::Strength {
                "the exported authentication strengths"
            } else {
                "the exported authentication contexts"
            };
            looked.push(source);
            let ids: Vec<ObjectId> = if target == Target::Strength {
                t.authentication_strengths
                    .iter()
                    .filter(|s| same(s.display_name.as_deref(), name))
                    .filter_map(|s| s.id.clone())
                    .collect()
            } else {
                t.authentication_contexts
                    .iter()
                    .filter(|c| same(c.display_name.as_deref(), name))
                    .filter_map(|c| c.id.as_deref().map(ObjectId::new))
                    .collect()
            };
            if let Some(id) = one(ids.iter().collect(), source)? {
                return Ok(id);
            }
        }
        if target == Target::Strength {
            looked.push("the built-in strengths");
            if let Some((id, _, _)) = BUILT_IN_STRENGTHS
                .iter()
                .find(|(_, n, _)| same(Some(n), name))
            {
                return Ok(ObjectId::new(id));
            }
        }
        let noun = target.noun();
        Err(Why::NotFound(match (looked.len(), t.inventory.has(kind)) {
            (_, true) => format!("no {noun} by that name is among {}", join(&looked)),
            (0, false) => format!("the export holds no {} to find it among", kind.noun()),
            (_, false) => format!(
                "no {noun} by that name is among {} (the export holds no {})",
                join(&looked),
                kind.noun()
            ),
        }))
    }
}

/// The one id a source gives, `None` when it gives none, an error when it gives several.
fn one(ids: Vec<&ObjectId>, source: &'static str) -> Result<Option<ObjectId>, Why> {
    let distinct: BTreeSet<&ObjectId> = ids.into_iter().collect();
    match distinct.len() {
        0 => Ok(None),
        1 => Ok(distinct.into_iter().next().cloned()),
        n => Err(Why::Ambiguous(n, source)),
    }
}

/// Whether an id-to-name table's `Type` (`#microsoft.graph.group`, `Group`) is of the target.
fn type_is(ty: &str, target: Target) -> bool {
    let ty = ty.trim().trim_start_matches('#');
    let ty = ty.strip_prefix("microsoft.graph.").unwrap_or(ty);
    let ty = ty.to_ascii_lowercase();
    match target {
        Target::User => ty == "user",
        Target::Group => ty == "group",
        Target::Role => ty.contains("role"),
        Target::Application => ty == "application" || ty == "serviceprincipal",
        Target::Location => ty.ends_with("namedlocation") || ty == "location",
        Target::Strength => ty == "authenticationstrengthpolicy",
        Target::Context => ty == "authenticationcontextclassreference",
    }
}

/// "a, b or c".
fn join(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_placeholders() {
        assert!(matches!(
            symbol("<DISPLAYNAME>:Example group"),
            Symbol::Name(By::Name, "Example group")
        ));
        assert!(matches!(
            symbol("<USERPRINCIPALNAME>:bg@contoso.com"),
            Symbol::Name(By::Address, "bg@contoso.com")
        ));
        assert!(matches!(
            symbol("bg@contoso.com"),
            Symbol::Name(By::Address, _)
        ));
        assert!(matches!(
            symbol("CA-01 - Exclusion"),
            Symbol::Name(By::Name, _)
        ));
        for p in [
            "$breakglassid",
            "${bg_group}",
            "{{groupId}}",
            "%OrganizationId%",
            "<EmergencyAccessAccountsGroup>",
            "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
            "Current administrator will be excluded",
            " ",
            "<DISPLAYNAME>:",
        ] {
            assert!(matches!(symbol(p), Symbol::Placeholder(_)), "{p}");
        }
    }

    #[test]
    fn terraform_references() {
        for r in [
            "azuread_group.breakglass.object_id",
            "azuread_group.bg[0].id",
            "data.azuread_group.bg.object_id",
            "module.groups.breakglass_id",
            "var.breakglass_group",
            "local.bg",
        ] {
            assert!(is_terraform_reference(r), "{r}");
            assert!(matches!(symbol(r), Symbol::Terraform(_)), "{r}");
        }
        for n in [
            "CA-01 - Exclusion",
            "bg@contoso.com",
            "Office 365",
            "a.b",
            "var.",
        ] {
            assert!(!is_terraform_reference(n), "{n}");
        }
        assert!(reads_address(
            "azuread_group.bg.object_id",
            "azuread_group.bg"
        ));
        assert!(reads_address("azuread_group.bg[0].id", "azuread_group.bg"));
        assert!(!reads_address("azuread_group.bg2.id", "azuread_group.bg"));
        assert!(matches!(
            symbol("(known after apply)"),
            Symbol::Placeholder(_)
        ));
    }

    #[test]
    fn ids_and_special_values_are_not_symbols() {
        assert!(is_id(Target::Group, "2B3C4D5E-0001-4000-8000-000000000001"));
        assert!(is_id(
            Target::Group,
            "{2b3c4d5e-0001-4000-8000-000000000001}"
        ));
        assert!(is_id(Target::User, "GuestsOrExternalUsers"));
        assert!(is_id(Target::Application, "office365"));
        assert!(is_id(Target::Location, "AllTrusted"));
        assert!(!is_id(Target::Group, "All"));
        assert!(!is_id(Target::Application, "Office 365"));
    }

    #[test]
    fn first_party_names_are_distinct_and_ids_valid() {
        let names: BTreeSet<String> = FIRST_PARTY_APPLICATIONS
            .iter()
            .map(|(n, _)| n.to_ascii_lowercase())
            .collect();
        assert_eq!(names.len(), FIRST_PARTY_APPLICATIONS.len());
        for (name, id) in FIRST_PARTY_APPLICATIONS {
            assert!(is_id(Target::Application, id), "{name}: {id}");
        }
    }

    #[test]
    fn table_types() {
        assert!(type_is("#microsoft.graph.group", Target::Group));
        assert!(type_is("Group", Target::Group));
        assert!(!type_is("#microsoft.graph.user", Target::Group));
        assert!(type_is(
            "#microsoft.graph.countryNamedLocation",
            Target::Location
        ));
    }
}
