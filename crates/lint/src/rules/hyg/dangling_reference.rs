use super::*;
use entralint_parser::builtin::{built_in_role, built_in_strength};
use entralint_parser::is_guid;
use std::borrow::Cow;

declare_rule! {
    /// A policy references a user, group, role, location, strength or context that does not exist.
    ///
    /// ## Why is this bad?
    /// Conditional Access keeps the ids of deleted objects. A deleted group in `includeGroups`
    /// silently stops covering its former members; a deleted group in `excludeGroups` no longer
    /// exempts anyone, so the break-glass accounts it held are locked out with everybody else; a
    /// location, strength or authentication context that no longer exists leaves the condition or
    /// grant undefined.
    ///
    /// The rule checks every id in `include`/`exclude` `Users`/`Groups`/`Roles` against the
    /// exported users, groups and role definitions (built-in roles count even when not exported),
    /// location ids against the named locations, `authenticationStrength.id` against the exported
    /// and built-in strengths, and `includeAuthenticationContextClassReferences` against the
    /// exported contexts. Special values (`All`, `None`, `GuestsOrExternalUsers`, `AllTrusted`,
    /// `00000000-0000-0000-0000-000000000000`) are never dangling, and an entry of a user, group,
    /// role or location list that is not an id at all — a name, a UPN, a placeholder such as
    /// `<EmergencyAccessAccountsGroup>` — is resolved or reported by JSON012 (unresolved
    /// reference), never here. A kind of object that is not in the export at all is not checked,
    /// and the rule says so under "not evaluated"; so are the policies of a Microsoft365DSC
    /// configuration or snapshot, whose export leaves out the references it cannot resolve.
    ///
    /// High on the include side and for strengths and contexts (coverage shrinks), medium on the
    /// exclude side (an exemption is lost).
    ///
    /// Each dangling entry is one finding, up to 10 in one list of a policy; a list with more is
    /// one finding at its first dangling entry, naming the first 5 and giving the count (a
    /// suppression then names the policy).
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "2b3c4d5e-0001-4000-8000-000000000001", "displayName": "CA-Exclude-BreakGlass",
    ///     "securityEnabled": true, "isAssignableToRole": true },
    ///   { "id": "3c4d5e6f-0102-4000-8000-000000000102", "displayName": "CA102 - All users - Require MFA",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"],
    ///                                "excludeGroups": ["2b3c4d5e-0009-4000-8000-000000000009"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "2b3c4d5e-0001-4000-8000-000000000001", "displayName": "CA-Exclude-BreakGlass",
    ///     "securityEnabled": true, "isAssignableToRole": true },
    ///   { "id": "3c4d5e6f-0102-4000-8000-000000000102", "displayName": "CA102 - All users - Require MFA",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"],
    ///                                "excludeGroups": ["2b3c4d5e-0001-4000-8000-000000000001"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Replace the reference with the id of the object that should be there (re-create the group
    /// or location if it was deleted by mistake), or remove the entry. Replace placeholders before
    /// deploying a policy from a template.
    ///
    /// ## References
    /// - [Users and groups in Conditional Access policies](https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups)
    /// - [Network locations in Conditional Access](https://learn.microsoft.com/entra/identity/conditional-access/location-condition)
    /// - [Authentication context](https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps#authentication-context)
    pub static DANGLING_REFERENCE = {
        code: "HYG002",
        name: "dangling-reference",
        severity: Severity::High,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
        ],
        check: check,
    }
}

/// The zero GUID that appears in `excludeLocations` (believed to be the legacy MFA trusted IPs).
const ZERO_GUID: &str = "00000000-0000-0000-0000-000000000000";

/// What a reference points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    User,
    Group,
    Role,
    Location,
    Strength,
    Context,
}

impl Target {
    fn noun(self) -> &'static str {
        match self {
            Target::User => "user",
            Target::Group => "group",
            Target::Role => "role",
            Target::Location => "named location",
            Target::Strength => "authentication strength",
            Target::Context => "authentication context",
        }
    }

    /// Where the reference would have to be found.
    fn among(self) -> &'static str {
        match self {
            Target::User => "is not among the exported users",
            Target::Group => "is not among the exported groups",
            Target::Role => "is neither an exported role definition nor a built-in role",
            Target::Location => "is not among the exported named locations",
            Target::Strength => "is neither an exported nor a built-in authentication strength",
            Target::Context => "is not among the exported authentication contexts",
        }
    }

    /// [`Target::among`], of several.
    fn among_plural(self) -> &'static str {
        match self {
            Target::User => "are not among the exported users",
            Target::Group => "are not among the exported groups",
            Target::Role => "are neither exported role definitions nor built-in roles",
            Target::Location => "are not among the exported named locations",
            Target::Strength => "are neither exported nor built-in authentication strengths",
            Target::Context => "are not among the exported authentication contexts",
        }
    }

    fn kind(self) -> Kind {
        match self {
            Target::User => Kind::User,
            Target::Group => Kind::Group,
            Target::Role => Kind::RoleDefinition,
            Target::Location => Kind::NamedLocation,
            Target::Strength => Kind::AuthenticationStrength,
            Target::Context => Kind::AuthenticationContext,
        }
    }

    /// The "not evaluated" reason when the kind is not in the export.
    fn missing(self) -> &'static str {
        match self {
            Target::User => "no users in input: user references not checked",
            Target::Group => "no groups in input: group references not checked",
            Target::Role => "no role definitions in input: role references not checked",
            Target::Location => "no named locations in input: location references not checked",
            Target::Strength => {
                "no authentication strengths in input: custom strength references not checked"
            }
            Target::Context => {
                "no authentication contexts in input: context references not checked"
            }
        }
    }

    fn is_special(self, id: &str) -> bool {
        let specials: &[&str] = match self {
            Target::User => &entralint_parser::builtin::SPECIAL_USERS,
            Target::Location => &["All", "AllTrusted", ZERO_GUID],
            _ => &[],
        };
        specials.iter().any(|s| s.eq_ignore_ascii_case(id.trim()))
    }
}

/// Template text left where an id belongs: `<EmergencyAccessAccountsGroup>`,
/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, `%OrganizationId%`, `{{groupId}}`, `${id}`.
fn is_placeholder(id: &str) -> bool {
    let trimmed = id.trim();
    if trimmed.is_empty() {
        return true;
    }
    // One pass over the bytes: most ids are GUIDs, and a policy may hold a great many.
    let mut xs = 0;
    for b in id.bytes() {
        match b {
            b'<' | b'>' | b'%' | b'{' | b'}' | b'$' => return true,
            b'x' | b'X' => {
                xs += 1;
                if xs == 4 {
                    return true;
                }
            }
            _ => xs = 0,
        }
    }
    if trimmed.is_ascii() {
        // `char::is_whitespace` of the ASCII characters.
        trimmed
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b == 0x0b)
    } else {
        trimmed.contains(char::is_whitespace)
    }
}

/// One reference of a policy: where it is, what it names, and whether it includes.
struct Reference<'p> {
    /// The list (or the value) below the policy.
    field: &'static str,
    /// Position in the list; `None` for a single value.
    index: Option<usize>,
    id: &'p str,
    /// The id as the model holds it, when it is an object id (not the strength's).
    object: Option<&'p ObjectId>,
    target: Target,
    include: bool,
}

impl Reference<'_> {
    fn path(&self) -> String {
        match self.index {
            Some(i) => format!("{}/{i}", self.field),
            None => self.field.to_owned(),
        }
    }
}

fn references(p: &ConditionalAccessPolicy) -> Vec<Reference<'_>> {
    let c = &p.conditions;
    let u = &c.users;
    let mut out = Vec::new();
    let lists: [(&str, &[ObjectId], Target, bool); 6] = [
        (
            "conditions/users/includeUsers",
            &u.include_users,
            Target::User,
            true,
        ),
        (
            "conditions/users/excludeUsers",
            &u.exclude_users,
            Target::User,
            false,
        ),
        (
            "conditions/users/includeGroups",
            &u.include_groups,
            Target::Group,
            true,
        ),
        (
            "conditions/users/excludeGroups",
            &u.exclude_groups,
            Target::Group,
            false,
        ),
        (
            "conditions/users/includeRoles",
            &u.include_roles,
            Target::Role,
            true,
        ),
        (
            "conditions/users/excludeRoles",
            &u.exclude_roles,
            Target::Role,
            false,
        ),
    ];
    for (field, list, target, include) in lists {
        for (i, id) in list.iter().enumerate() {
            out.push(Reference {
                field,
                index: Some(i),
                id,
                object: Some(id),
                target,
                include,
            });
        }
    }
    if let Some(l) = &c.locations {
        for (field, list, include) in [
            ("conditions/locations/includeLocations", &l.include, true),
            ("conditions/locations/excludeLocations", &l.exclude, false),
        ] {
            for (i, id) in list.iter().enumerate() {
                out.push(Reference {
                    field,
                    index: Some(i),
                    id,
                    object: None,
                    target: Target::Location,
                    include,
                });
            }
        }
    }
    for (i, id) in c
        .applications
        .include_authentication_context_class_references
        .iter()
        .enumerate()
    {
        out.push(Reference {
            field: "conditions/applications/includeAuthenticationContextClassReferences",
            index: Some(i),
            id,
            object: None,
            target: Target::Context,
            include: true,
        });
    }
    if let Some(id) = p.strength().and_then(|s| s.id.as_deref()) {
        out.push(Reference {
            field: "grantControls/authenticationStrength/id",
            index: None,
            id,
            object: None,
            target: Target::Strength,
            include: true,
        });
    }
    out
}

fn check(cx: &mut Check<'_>) {
    let t = cx.tenant;
    let a = cx.analysis;
    let locations: BTreeSet<&ObjectId> = t
        .named_locations
        .iter()
        .filter_map(|l| l.id.as_ref())
        .collect();
    let strengths: BTreeSet<&ObjectId> = t
        .authentication_strengths
        .iter()
        .filter_map(|s| s.id.as_ref())
        .collect();
    let contexts: BTreeSet<&str> = t
        .authentication_contexts
        .iter()
        .filter_map(|c| c.id.as_deref())
        .collect();
    let mut skipped: Vec<Target> = Vec::new();
    for p in &t.conditional_access {
        // The dangling references of each list, with whether each is a placeholder.
        let mut dangling: Vec<(Reference<'_>, bool)> = Vec::new();
        for r in references(p) {
            if dangling.first().is_some_and(|(d, _)| d.field != r.field) {
                report_list(cx, p, std::mem::take(&mut dangling));
            }
            if r.target.is_special(r.id) {
                continue;
            }
            // A name or placeholder where an id belongs is JSON012's (resolved before the rules
            // run, or reported as unresolved).
            let listed = matches!(
                r.target,
                Target::User | Target::Group | Target::Role | Target::Location
            );
            if listed && !r.object.map_or_else(|| is_guid(r.id.trim()), ObjectId::is_guid) {
                continue;
            }
            let placeholder = is_placeholder(r.id);
            if !placeholder {
                // An id the export can vouch for, or one that needs no export.
                if r.target == Target::Strength && built_in_strength(r.id).is_some() {
                    continue;
                }
                let id = r
                    .object
                    .map_or_else(|| Cow::Owned(ObjectId::new(r.id)), Cow::Borrowed);
                let id: &ObjectId = &id;
                if r.target == Target::Role && built_in_role(id).is_some() {
                    continue;
                }
                if !t.inventory.has(r.target.kind()) {
                    // An embedded strength with its combinations was expanded by Graph: it exists.
                    let embedded = r.target == Target::Strength
                        && p.strength()
                            .is_some_and(|s| !s.allowed_combinations.is_empty());
                    if !embedded && !skipped.contains(&r.target) {
                        skipped.push(r.target);
                    }
                    continue;
                }
                let known = match r.target {
                    Target::User => a.is_exported_user(id),
                    Target::Group => a.is_group(id),
                    Target::Role => a.role_definition(id).is_some(),
                    Target::Location => locations.contains(&id),
                    Target::Strength => strengths.contains(&id),
                    Target::Context => contexts.contains(r.id.trim()),
                };
                if known {
                    continue;
                }
            }
            dangling.push((r, placeholder));
        }
        report_list(cx, p, dangling);
    }
    if !skipped.is_empty() {
        let reasons: Vec<String> = skipped
            .iter()
            .map(|s| {
                // A selection of the kind (ScubaGear's privileged users) vouches for no id.
                let missing = s.missing();
                match cx.tenant.inventory.partial.contains(&s.kind()) {
                    true => missing.replacen("no ", "only a selection of ", 1),
                    false => missing.to_owned(),
                }
            })
            .collect();
        cx.not_evaluated(reasons.join("; "));
    }
    // Microsoft365DSC leaves out of its export a reference it cannot resolve: a policy read from
    // its configuration (or a snapshot in its vocabulary) can hold no dangling reference to see.
    let dropped = &cx.tenant.inventory.references_dropped;
    let blind = t
        .conditional_access
        .iter()
        .filter(|p| dropped.contains(&p.origin.file))
        .count();
    if blind > 0 {
        cx.not_evaluated(format!(
            "{blind} {} read from Microsoft365DSC's vocabulary, which drops a reference it cannot resolve when it exports: a deleted object is absent from {}, not dangling",
            if blind == 1 { "policy" } else { "policies" },
            if blind == 1 { "it" } else { "them" },
        ));
    }
}

/// The dangling references of one list: one finding each, or one for the list past
/// [`ONE_BY_ONE`].
fn report_list(
    cx: &mut Check<'_>,
    p: &ConditionalAccessPolicy,
    dangling: Vec<(Reference<'_>, bool)>,
) {
    if dangling.len() <= ONE_BY_ONE {
        for (r, placeholder) in &dangling {
            report(cx, p, r, *placeholder);
        }
        return;
    }
    let (first, _) = &dangling[0];
    let n = dangling.len();
    let noun = first.target.noun();
    let placeholders = dangling.iter().filter(|(_, x)| *x).count();
    let what = if placeholders == n {
        format!("{n} placeholders where {noun} ids belong")
    } else if placeholders == 0 {
        format!("{n} {noun}s that {}", first.target.among_plural())
    } else {
        format!(
            "{n} {noun} ids that {} or are placeholders",
            first.target.among_plural()
        )
    };
    let ids = first_of(dangling.iter().map(|(r, _)| format!("`{}`", r.id)), n);
    let f = cx.report(
        p.origin.at(&first.path()),
        format!(
            "policy `{}` {} {what} ({ids}): {}",
            p.name(),
            verb(first),
            effect(first)
        ),
    );
    f.label(format!("the first of {n} entries that refer to nothing"))
        .help(format!(
            "replace them with the ids of existing {noun}s, or remove the entries"
        ))
        .subject(policy_subject(p))
        .key(Key::Aspect("count".into()));
    if !first.include {
        f.severity(Severity::Medium);
    }
}

/// How the policy uses the reference.
fn verb(r: &Reference<'_>) -> &'static str {
    match (r.target, r.include) {
        (Target::Strength, _) => "requires",
        (Target::Context, _) => "targets",
        (_, true) => "includes",
        (_, false) => "excludes",
    }
}

/// What a dangling reference does to the policy.
fn effect(r: &Reference<'_>) -> &'static str {
    match (r.target, r.include) {
        (Target::Strength, _) => "the grant refers to nothing",
        (Target::Location, false) => "sign-ins from that location are no longer exempt",
        (Target::Context, _) => "no app or PIM activation can request it",
        (_, true) => "the policy covers fewer sign-ins than it seems",
        (_, false) => "whoever it was meant to exempt is no longer exempt",
    }
}

fn report(cx: &mut Check<'_>, p: &ConditionalAccessPolicy, r: &Reference<'_>, placeholder: bool) {
    let verb = verb(r);
    let noun = r.target.noun();
    let (what, label, help) = if placeholder {
        (
            format!("the placeholder `{}` where a {noun} id belongs", r.id),
            "placeholder, not an object id".to_owned(),
            format!(
                "replace the placeholder with the id of the tenant's {noun}, or remove the entry"
            ),
        )
    } else {
        (
            format!("{noun} `{}`, which {}", r.id, r.target.among()),
            "deleted, or never existed in this tenant".to_owned(),
            if r.target == Target::Strength {
                "point the grant at an existing authentication strength".to_owned()
            } else {
                format!("replace it with the id of an existing {noun}, or remove the entry")
            },
        )
    };
    let effect = effect(r);
    let f = cx.report(
        p.origin.at(&r.path()),
        format!("policy `{}` {verb} {what}: {effect}", p.name()),
    );
    f.label(label)
        .help(help)
        .subject(policy_subject(p))
        .key(Key::Object(ObjectId::new(r.id)));
    if !r.include {
        f.severity(Severity::Medium);
    }
}
