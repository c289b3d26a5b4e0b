//! Terraform configuration (`.tf`), what a pre-commit hook sees of a policy-as-code repository:
//! parsed with hcl-edit, which keeps the span of every value, and read through the same mapper
//! as a plan ([`crate::terraform`]), each finding located on the line and column of the value in
//! the file.
//!
//! What is evaluated statically: literals, objects and string templates; `var.<name>` through the
//! `default` of its `variable` block, overridden by `terraform.tfvars` and `*.auto.tfvars`, and
//! `local.<name>` through a `locals` block, in any file of the same folder. A reference to another
//! resource or to a data source (`azuread_group.breakglass.object_id`) is read as that reference,
//! a symbol named by its Terraform address, as in a plan. Anything else (function calls,
//! conditionals, `for` expressions, `dynamic` blocks, `for_each`, `count`) is not evaluated: it is
//! read as unknown, and reported once per file, never guessed.

use super::msgraph::PolicyLookup;
use super::tfplan::Planned;
use super::Loader;
use crate::origin::{FileId, Pointer};
use crate::tenant::{IssueAt, IssueKind, TerraformData};
use crate::terraform::{self, is_string_list, Resource};
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{BlockLabel, Body};
use hcl_edit::template::Element;
use hcl_edit::Span;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// What a value entralint does not evaluate is read as.
pub(crate) const NOT_EVALUATED: &str = "(not statically evaluable)";

/// A parsed `.tf` or `.tfvars` file, read once every file of the run is parsed (a variable's
/// default may be in another file of the folder).
pub(super) struct TfSource {
    file: FileId,
    folder: String,
    text: std::sync::Arc<String>,
    body: Body,
    vars: Option<VarsFile>,
    /// The file's name.
    text_name: String,
}

impl TfSource {
    /// The file's name, without its folder.
    fn name(&self) -> &str {
        &self.text_name
    }
}

/// A variable definitions file Terraform loads by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VarsFile {
    /// `terraform.tfvars`.
    Main,
    /// `*.auto.tfvars`.
    Auto,
}

/// Whether a path names Terraform configuration.
pub(super) fn is_tf(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".tf")
}

/// Whether a path names a variable definitions file Terraform loads by itself.
pub(super) fn vars_file(path: &str) -> Option<VarsFile> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if name == "terraform.tfvars" {
        Some(VarsFile::Main)
    } else if name.ends_with(".auto.tfvars") {
        Some(VarsFile::Auto)
    } else {
        None
    }
}

/// What a folder's variables (defaults, `.tfvars`) and `locals` are: their expressions, each with
/// the text of the file that writes it; and its data sources.
#[derive(Default)]
struct Scope<'b> {
    vars: BTreeMap<String, (&'b Expression, &'b str)>,
    locals: BTreeMap<String, (&'b Expression, &'b str)>,
    data: Vec<(String, &'b Body, &'b str)>,
    /// The directory roles activated by a literal template id or built-in display name, by
    /// address: their template id.
    roles: BTreeMap<String, String>,
}

/// Reading one file's values: the spans of what was read, and what was not evaluated.
struct Reading<'a> {
    text: &'a str,
    scope: &'a Scope<'a>,
    cells: BTreeMap<String, Range<usize>>,
    not_evaluated: Vec<Pointer>,
    /// `jsondecode(file("…"))`: where, and the file named.
    json_files: Vec<(Pointer, String)>,
}

impl<'a> Reading<'a> {
    /// The value of an expression, as far as it is evaluated statically.
    fn eval(&mut self, e: &Expression, at: &Pointer, depth: usize) -> Value {
        if let Some(span) = e.span() {
            self.cells.entry(at.as_str().to_owned()).or_insert(span);
        }
        match e {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => match n.value().as_i64() {
                Some(i) => Value::from(i),
                None => n
                    .value()
                    .as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number),
            },
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| self.eval(x, &at.index(i), depth))
                    .collect(),
            ),
            Expression::Parenthesis(p) => self.eval(p.inner(), at, depth),
            // A built-in role's template id, through the display name it is activated by.
            Expression::Traversal(_) if self.role(e).is_some() => {
                Value::String(self.role(e).unwrap_or_default())
            }
            Expression::Traversal(_) => match self.lookup(e) {
                // The value of a variable or a local, located where it is used.
                Some((x, text)) if depth < 8 => {
                    let mut inner = Reading {
                        text,
                        scope: self.scope,
                        cells: BTreeMap::new(),
                        not_evaluated: Vec::new(),
                        json_files: Vec::new(),
                    };
                    let v = inner.eval(x, at, depth + 1);
                    self.not_evaluated.extend(inner.not_evaluated);
                    self.json_files.extend(inner.json_files);
                    v
                }
                _ => match e.span().and_then(|s| self.text.get(s)) {
                    Some(written) => Value::String(written.trim().to_owned()),
                    None => self.unknown(at),
                },
            },
            // A JSON file's content: the file is linted on its own (it is Graph JSON when it
            // is a `body`), not evaluated here.
            Expression::FuncCall(f) if json_file(f).is_some() => {
                let path = json_file(f).unwrap_or_default();
                self.json_files.push((at.clone(), path));
                Value::String(NOT_EVALUATED.to_owned())
            }
            // The JSON text of a value is that value for whoever reads it as JSON (a Graph
            // provider `body`).
            Expression::FuncCall(f)
                if f.name.name.value().as_str() == "jsonencode" && f.args.len() == 1 =>
            {
                match f.args.get(0) {
                    Some(inner) => self.eval(inner, at, depth),
                    None => self.unknown(at),
                }
            }
            Expression::Object(o) => {
                let mut out = Map::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.value().to_string(),
                        ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                        ObjectKey::Expression(_) => {
                            self.not_evaluated.push(at.clone());
                            continue;
                        }
                    };
                    let v_at = at.child(&key);
                    let value = self.eval(v.expr(), &v_at, depth);
                    out.insert(key, value);
                }
                Value::Object(out)
            }
            Expression::StringTemplate(t) => {
                let elements: Vec<&Element> = t.iter().collect();
                // `"${x}"` is `x`.
                if let [Element::Interpolation(i)] = elements.as_slice() {
                    return self.eval(&i.expr, at, depth);
                }
                let mut out = String::new();
                for element in elements {
                    match element {
                        Element::Literal(l) => out.push_str(l.value()),
                        Element::Interpolation(i) => {
                            let reference = matches!(i.expr, Expression::Traversal(_))
                                && self.lookup(&i.expr).is_none()
                                && self.role(&i.expr).is_none();
                            match self.eval(&i.expr, at, depth) {
                                Value::String(s) if s == NOT_EVALUATED => return Value::String(s),
                                // A reference is kept as written: its value is not known here.
                                Value::String(s) if reference => out.push_str(&format!("${{{s}}}")),
                                Value::String(s) => out.push_str(&s),
                                Value::Number(n) => out.push_str(&n.to_string()),
                                Value::Bool(b) => out.push_str(&b.to_string()),
                                _ => return self.unknown(at),
                            }
                        }
                        Element::Directive(_) => return self.unknown(at),
                    }
                }
                Value::String(out)
            }
            _ => self.unknown(at),
        }
    }

    /// The expression a `var.<name>` or `local.<name>` traversal stands for, when the folder
    /// has one.
    fn lookup(&self, e: &Expression) -> Option<(&'a Expression, &'a str)> {
        let Expression::Traversal(t) = e else {
            return None;
        };
        let (Expression::Variable(root), [op]) = (&t.expr, t.operators.as_slice()) else {
            return None;
        };
        let TraversalOperator::GetAttr(attr) = op.value() else {
            return None;
        };
        let attr = attr.value().as_str();
        match root.value().as_str() {
            "var" => self.scope.vars.get(attr).copied(),
            "local" => self.scope.locals.get(attr).copied(),
            _ => None,
        }
    }

    /// The template id `azuread_directory_role.<name>.template_id` stands for, when the folder
    /// activates that role with a literal `template_id`, or with a literal `display_name` of a
    /// built-in role (registry.terraform.io/providers/hashicorp/azuread, resource
    /// `azuread_directory_role`).
    fn role(&self, e: &Expression) -> Option<String> {
        let written = self.text.get(e.span()?)?.trim();
        let address = written.strip_suffix(".template_id")?;
        self.scope.roles.get(address).cloned()
    }

    fn unknown(&mut self, at: &Pointer) -> Value {
        self.not_evaluated.push(at.clone());
        Value::String(NOT_EVALUATED.to_owned())
    }

    /// The values of a block's body, blocks as lists, as a plan writes them.
    fn body(&mut self, body: &Body, at: &Pointer) -> Map<String, Value> {
        let mut out = Map::new();
        for a in body.attributes() {
            let key = a.key.value().to_string();
            // Meta-arguments, reported by the resource's reader.
            if matches!(key.as_str(), "for_each" | "count") {
                continue;
            }
            let at = at.child(&key);
            let mut v = self.eval(&a.value, &at, 0);
            if is_string_list(&key) && v.is_string() {
                v = Value::Array(vec![v]);
            }
            out.insert(key, v);
        }
        for b in body.blocks() {
            let ident = b.ident.value().to_string();
            if ident == "dynamic" {
                self.not_evaluated.push(at.child(&ident));
                continue;
            }
            let list = out
                .entry(ident.clone())
                .or_insert_with(|| Value::Array(Vec::new()));
            let i = list.as_array().map_or(0, Vec::len);
            let bat = at.child(&ident).index(i);
            if let Some(span) = b.span() {
                self.cells.insert(bat.as_str().to_owned(), span);
            }
            let inner = Value::Object(self.body(&b.body, &bat));
            if let Some(Value::Array(list)) = out.get_mut(&ident) {
                list.push(inner);
            }
        }
        out
    }
}

/// The template id of an `azuread_directory_role` block: its literal `template_id`, or the
/// built-in role of its literal `display_name`.
fn directory_role(body: &Body, ty: String) -> Option<String> {
    if ty != "azuread_directory_role" {
        return None;
    }
    let literal = |key: &str| match body.get_attribute(key).map(|a| &a.value) {
        Some(Expression::String(s)) => Some(s.value().clone()),
        _ => None,
    };
    if let Some(id) = literal("template_id") {
        return Some(id);
    }
    let name = literal("display_name")?;
    crate::builtin::BUILT_IN_ROLES
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(name.trim()))
        .map(|r| r.id.as_str().to_owned())
}

/// The file `jsondecode(file("<path>"))` reads, when the path is a literal.
fn json_file(f: &hcl_edit::expr::FuncCall) -> Option<String> {
    if f.name.name.value().as_str() != "jsondecode" || f.args.len() != 1 {
        return None;
    }
    let Some(Expression::FuncCall(inner)) = f.args.get(0) else {
        return None;
    };
    if inner.name.name.value().as_str() != "file" || inner.args.len() != 1 {
        return None;
    }
    match inner.args.get(0) {
        Some(Expression::String(s)) => Some(s.value().clone()),
        _ => None,
    }
}

/// A file's resources, evaluated: (address, type, pointer, values); the places of what was not
/// evaluated; the resources of types not read, by type.
struct Values {
    planned: Vec<(String, String, Pointer, Value)>,
    not_evaluated: Vec<Pointer>,
    json_files: Vec<(Pointer, String)>,
    not_read: BTreeMap<String, usize>,
    /// The first resource of a type not read.
    not_read_at: Option<Pointer>,
    /// The modules the file calls (`module "<name>" { source = … }`), where each is written, and
    /// its literal `source`.
    modules: Vec<(Pointer, String, Option<String>)>,
}

/// Whether a module's name or source speaks of Entra ID configuration.
fn entra_words(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "conditional",
        "azuread",
        "entra",
        "aad",
        "pim",
        "privileged",
        "msgraph",
        "identity",
    ]
    .iter()
    .any(|w| t.contains(w))
}

fn label(l: &BlockLabel) -> String {
    match l {
        BlockLabel::Ident(i) => i.value().to_string(),
        BlockLabel::String(s) => s.value().clone(),
    }
}

impl Loader {
    /// Parses a `.tf` file; it is read with the others of its folder when the run ends.
    pub(super) fn tf_parse(&mut self, file: FileId, text: std::sync::Arc<String>) {
        match hcl_edit::parser::parse_body(&text) {
            Ok(body) => {
                let inside = self.t.sources.file(file).path_inside();
                let folder = inside.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
                let vars = vars_file(inside);
                let name = inside.rsplit('/').next().unwrap_or_default().to_owned();
                self.tf_sources.push(TfSource {
                    file,
                    folder,
                    text,
                    body,
                    vars,
                    text_name: name,
                });
            }
            Err(e) => {
                let message = format!(
                    "invalid Terraform configuration: {}",
                    e.message().trim_end()
                );
                let at = IssueAt::Offset(e.location().offset().min(text.len()));
                self.issue(IssueKind::Unreadable, file, at, message);
            }
        }
    }

    /// Reads the parsed `.tf` files, each with the variables and locals of its folder: a
    /// variable is its `default`, overridden by `terraform.tfvars`, then by the `*.auto.tfvars`
    /// files in the order of their names, as Terraform loads them
    /// (<https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence>).
    pub(super) fn tf_read_all(&mut self) {
        let mut sources = std::mem::take(&mut self.tf_sources);
        // `terraform.tfvars` sorts before `*.auto.tfvars` of its folder as `t` does not before
        // `a`: it is put first explicitly.
        sources.sort_by_key(|s| (s.vars.map(|v| v == VarsFile::Auto), s.name().to_owned()));
        let mut scopes: BTreeMap<&str, Scope<'_>> = BTreeMap::new();
        for s in sources.iter().filter(|s| s.vars.is_none()) {
            let scope = scopes.entry(s.folder.as_str()).or_default();
            for b in s.body.blocks() {
                match b.ident.value().as_str() {
                    "variable" => {
                        let (Some(name), Some(default)) =
                            (b.labels.first(), b.body.get_attribute("default"))
                        else {
                            continue;
                        };
                        scope
                            .vars
                            .insert(label(name), (&default.value, s.text.as_str()));
                    }
                    "locals" => {
                        for a in b.body.attributes() {
                            scope
                                .locals
                                .insert(a.key.value().to_string(), (&a.value, s.text.as_str()));
                        }
                    }
                    "data" => {
                        if let [ty, name] = b.labels.as_slice() {
                            let address = format!("data.{}.{}", label(ty), label(name));
                            if let Some(id) = directory_role(&b.body, label(ty)) {
                                scope.roles.insert(address.clone(), id);
                            }
                            scope.data.push((address, &b.body, s.text.as_str()));
                        }
                    }
                    "resource" => {
                        if let [ty, name] = b.labels.as_slice() {
                            if let Some(id) = directory_role(&b.body, label(ty)) {
                                let address = format!("{}.{}", label(ty), label(name));
                                scope.roles.insert(address, id);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        for s in sources.iter().filter(|s| s.vars.is_some()) {
            let scope = scopes.entry(s.folder.as_str()).or_default();
            for a in s.body.attributes() {
                scope
                    .vars
                    .insert(a.key.value().to_string(), (&a.value, s.text.as_str()));
            }
        }
        let empty = Scope::default();
        let mut lookups: BTreeMap<&str, Vec<PolicyLookup>> = BTreeMap::new();
        let mut data = Vec::new();
        for (folder, scope) in &scopes {
            let mut found = Vec::new();
            for (address, body, text) in &scope.data {
                let mut r = Reading {
                    text,
                    scope,
                    cells: BTreeMap::new(),
                    not_evaluated: Vec::new(),
                    json_files: Vec::new(),
                };
                let values = Value::Object(r.body(body, &Pointer::root()));
                found.extend(PolicyLookup::of(address, &values));
                // A group or user read by name: references to it stand for that name. A name
                // that is itself a reference or not evaluated names nothing.
                let by = if address.starts_with("data.azuread_group.") {
                    Some(("display_name", true))
                } else if address.starts_with("data.azuread_user.") {
                    Some(("user_principal_name", false))
                } else {
                    None
                };
                let literal = |key: &str| match body.get_attribute(key).map(|a| &a.value) {
                    Some(Expression::String(s)) => Some(s.value().clone()),
                    _ => None,
                };
                if let Some((key, group)) = by {
                    if let Some(name) = literal(key) {
                        data.push(TerraformData {
                            address: address.clone(),
                            name,
                            group,
                        });
                    }
                }
            }
            lookups.insert(folder, found);
        }
        self.t.terraform_data.extend(data);
        let mut read = Vec::new();
        for s in sources.iter().filter(|s| s.vars.is_none()) {
            let scope = scopes.get(s.folder.as_str()).unwrap_or(&empty);
            read.push((s, self.tf_values(s, scope)));
        }
        // The strengths of a folder, by address: a policy's reference to one reads as its id.
        let mut strengths: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
        for (s, v) in &read {
            let found = super::tfplan::strengths(
                v.planned
                    .iter()
                    .map(|(address, ty, _, values)| (address.as_str(), ty.as_str(), values)),
            );
            strengths
                .entry(s.folder.as_str())
                .or_default()
                .extend(found);
        }
        for s in sources.iter().filter(|s| s.vars.is_some()) {
            self.done(s.file, true);
        }
        let none = BTreeMap::new();
        // The folders whose files write something entralint reads, or call a module named for it.
        let entra: BTreeSet<String> = read
            .iter()
            .filter(|(_, v)| {
                !v.planned.is_empty()
                    || !v.not_read.is_empty()
                    || v.modules.iter().any(|(_, name, source)| {
                        entra_words(name) || source.as_deref().is_some_and(entra_words)
                    })
            })
            .map(|(s, _)| s.folder.clone())
            .collect();
        for (s, mut v) in read {
            let found = lookups
                .get(s.folder.as_str())
                .map_or(&[][..], Vec::as_slice);
            let strengths = strengths.get(s.folder.as_str()).unwrap_or(&none);
            // A module called beside Entra ID resources, or named for them, is said to be
            // unread; one of another configuration (a network, a subscription) is not entralint's.
            if !entra.contains(&s.folder) {
                v.modules.clear();
            }
            self.tf_read(s.file, v, found, strengths);
        }
    }

    /// The values of a file's resources, as far as they are evaluated statically.
    fn tf_values(&mut self, s: &TfSource, scope: &Scope<'_>) -> Values {
        let file = s.file;
        let mut r = Reading {
            text: &s.text,
            scope,
            cells: BTreeMap::new(),
            not_evaluated: Vec::new(),
            json_files: Vec::new(),
        };
        let mut planned = Vec::new();
        let mut not_read: BTreeMap<String, usize> = BTreeMap::new();
        let mut not_read_at = None;
        let mut modules = Vec::new();
        for b in s.body.blocks() {
            if b.ident.value().as_str() == "module" {
                let name = b.labels.first().map(label).unwrap_or_default();
                let at = Pointer::root().child(&format!("module.{name}"));
                if let Some(span) = b.span() {
                    r.cells.insert(at.as_str().to_owned(), span);
                }
                let source = match b.body.get_attribute("source").map(|a| &a.value) {
                    Some(Expression::String(s)) => Some(s.value().clone()),
                    _ => None,
                };
                modules.push((at, name, source));
                continue;
            }
            if b.ident.value().as_str() != "resource" {
                continue;
            }
            let [ty, name] = b.labels.as_slice() else {
                continue;
            };
            let (ty, name) = (label(ty), label(name));
            if terraform::NOT_READ.contains(&ty.as_str()) {
                let at = Pointer::root().child(&format!("{ty}.{name}"));
                if let Some(span) = b.span() {
                    r.cells.insert(at.as_str().to_owned(), span);
                }
                not_read_at.get_or_insert(at);
                *not_read.entry(ty).or_default() += 1;
                continue;
            }
            if Resource::of_type(&ty).is_none() && !terraform::GRAPH_TYPES.contains(&ty.as_str()) {
                continue;
            }
            let address = format!("{ty}.{name}");
            let at = Pointer::root().child(&address);
            if let Some(span) = b.span() {
                r.cells.insert(at.as_str().to_owned(), span);
            }
            for meta in ["for_each", "count"] {
                if let Some(a) = b.body.get_attribute(meta) {
                    let meta_at = at.child(meta);
                    if let Some(span) = a.value.span() {
                        r.cells.insert(meta_at.as_str().to_owned(), span);
                    }
                    r.not_evaluated.push(meta_at);
                }
            }
            let values = Value::Object(r.body(&b.body, &at));
            planned.push((address, ty, at, values));
        }
        let not_evaluated = std::mem::take(&mut r.not_evaluated);
        let json_files = std::mem::take(&mut r.json_files);
        self.t.sources.set_cells(file, r.cells);
        Values {
            planned,
            not_evaluated,
            json_files,
            not_read,
            not_read_at,
            modules,
        }
    }

    /// Reads a file's resources.
    fn tf_read(
        &mut self,
        file: FileId,
        v: Values,
        lookups: &[PolicyLookup],
        strengths: &BTreeMap<String, String>,
    ) {
        let Values {
            planned,
            not_evaluated,
            json_files,
            mut not_read,
            mut not_read_at,
            modules,
        } = v;
        for (address, ty, at, values) in &planned {
            let p = Planned {
                address: address.clone(),
                ty: ty.clone(),
                at: at.clone(),
                values,
            };
            if terraform::GRAPH_TYPES.contains(&ty.as_str()) {
                // The body is HCL, not Graph's JSON text.
                self.t.sources.translated(file, at);
                if !self.tf_graph(file, &p, lookups, strengths) {
                    not_read_at.get_or_insert_with(|| at.clone());
                    *not_read.entry(ty.clone()).or_default() += 1;
                }
                continue;
            }
            let Some(resource) = Resource::of_type(ty) else {
                continue;
            };
            match resource {
                Resource::GroupRoleManagement => self.tf_group_policy(file, &p, values),
                _ => self.tf_object(file, &p, resource, values, &[], strengths),
            }
        }
        if let Some(first) = not_evaluated.first() {
            let n = not_evaluated.len();
            let message = format!(
                "{n} value{} of this file {} not statically evaluable (a function call, a conditional, a `for` expression, a `dynamic` block, `for_each` or `count`): {} read as unknown, not guessed",
                if n == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" },
                if n == 1 { "it is" } else { "they are" },
            );
            self.issue(
                IssueKind::Translated,
                file,
                IssueAt::Pointer(first.clone()),
                message,
            );
        }
        for (at, path) in json_files {
            let message = format!(
                "`jsondecode(file(\"{path}\"))` is not evaluated: `{path}` is linted on its own when it is among the inputs, and this value is read as unknown"
            );
            self.issue(IssueKind::Translated, file, IssueAt::Pointer(at), message);
        }
        if !not_read.is_empty() {
            let message = super::tfplan::not_read_message("file", &not_read);
            let at = IssueAt::Pointer(not_read_at.unwrap_or_else(Pointer::root));
            self.issue(IssueKind::Unread, file, at, message);
        }
        // A module's resources are made from the values its call passes, which only Terraform
        // evaluates (https://developer.hashicorp.com/terraform/language/modules/syntax).
        for (at, name, source) in modules {
            let local = source
                .as_deref()
                .is_some_and(|s| s.starts_with("./") || s.starts_with("../"));
            let source = source.map_or_else(String::new, |s| format!(" (source `{s}`)"));
            let message = if local {
                format!(
                    "module `{name}`{source} is not evaluated with the values this call passes: the module's own files, when among the inputs, are read with its variables unknown; lint the plan (terraform show -json) to check the resources it creates"
                )
            } else {
                format!(
                    "module `{name}`{source} is not read: the resources it creates are not checked; lint the plan (terraform show -json), which holds them"
                )
            };
            self.issue(IssueKind::Unread, file, IssueAt::Pointer(at), message);
        }
        self.done(file, true);
    }
}
