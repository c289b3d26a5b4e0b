//! Terraform configuration (`.tf`), what a pre-commit hook sees of a policy-as-code repository:
//! parsed with hcl-edit, which keeps the span of every value, and read through the same mapper
//! as a plan ([`crate::terraform`]), each finding located on the line and column of the value in
//! the file.
//!
//! What is evaluated statically: literals; `var.<name>` through the `default` of its `variable`
//! block and `local.<name>` through a `locals` block, in any `.tf` file of the same folder. A
//! reference to another resource or to a data source (`azuread_group.breakglass.object_id`) is
//! read as that reference, a symbol named by its Terraform address, as in a plan. Anything else
//! (function calls, templates, conditionals, `for` expressions, `dynamic` blocks) is not
//! evaluated: it is read as unknown, and reported once per file, never guessed.

use super::tfplan::Planned;
use super::Loader;
use crate::origin::{FileId, Pointer};
use crate::tenant::{IssueAt, IssueKind};
use crate::terraform::{is_string_list, Resource};
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{BlockLabel, Body};
use hcl_edit::Span;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::ops::Range;

/// What a value entralint does not evaluate is read as.
pub(crate) const NOT_EVALUATED: &str = "(not statically evaluable)";

/// A parsed `.tf` file, read once every file of the run is parsed (a variable's default may be in
/// another file of the folder).
pub(super) struct TfSource {
    file: FileId,
    folder: String,
    text: std::sync::Arc<String>,
    body: Body,
}

/// Whether a path names Terraform configuration.
pub(super) fn is_tf(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".tf")
}

/// What a folder's `variable` defaults and `locals` are: their expressions.
#[derive(Default)]
struct Scope<'b> {
    vars: BTreeMap<String, &'b Expression>,
    locals: BTreeMap<String, &'b Expression>,
}

/// Reading one file's values: the spans of what was read, and what was not evaluated.
struct Reading<'a> {
    text: &'a str,
    scope: &'a Scope<'a>,
    cells: BTreeMap<String, Range<usize>>,
    not_evaluated: Vec<Pointer>,
}

impl Reading<'_> {
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
            Expression::Traversal(t) => {
                let name = match (&t.expr, t.operators.as_slice()) {
                    (Expression::Variable(root), [op]) => match op.value() {
                        TraversalOperator::GetAttr(attr) => {
                            Some((root.value().as_str().to_owned(), attr.value().to_string()))
                        }
                        _ => None,
                    },
                    _ => None,
                };
                let found = match &name {
                    Some((root, attr)) if root == "var" => self.scope.vars.get(attr),
                    Some((root, attr)) if root == "local" => self.scope.locals.get(attr),
                    _ => None,
                };
                match found {
                    // The value of a variable or a local, located where it is used.
                    Some(x) if depth < 8 => {
                        let mut inner = Reading {
                            text: self.text,
                            scope: self.scope,
                            cells: BTreeMap::new(),
                            not_evaluated: Vec::new(),
                        };
                        let v = inner.eval(x, at, depth + 1);
                        self.not_evaluated.extend(inner.not_evaluated);
                        v
                    }
                    _ => match e.span().and_then(|s| self.text.get(s)) {
                        Some(written) => Value::String(written.trim().to_owned()),
                        None => self.unknown(at),
                    },
                }
            }
            _ => self.unknown(at),
        }
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
                self.tf_sources.push(TfSource {
                    file,
                    folder,
                    text,
                    body,
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

    /// Reads the parsed `.tf` files, each with the variables and locals of its folder.
    pub(super) fn tf_read_all(&mut self) {
        let sources = std::mem::take(&mut self.tf_sources);
        let mut scopes: BTreeMap<&str, Scope<'_>> = BTreeMap::new();
        for s in &sources {
            let scope = scopes.entry(s.folder.as_str()).or_default();
            for b in s.body.blocks() {
                match b.ident.value().as_str() {
                    "variable" => {
                        let (Some(name), Some(default)) =
                            (b.labels.first(), b.body.get_attribute("default"))
                        else {
                            continue;
                        };
                        scope.vars.insert(label(name), &default.value);
                    }
                    "locals" => {
                        for a in b.body.attributes() {
                            scope.locals.insert(a.key.value().to_string(), &a.value);
                        }
                    }
                    _ => {}
                }
            }
        }
        let empty = Scope::default();
        for s in &sources {
            let scope = scopes.get(s.folder.as_str()).unwrap_or(&empty);
            self.tf_read(s, scope);
        }
    }

    fn tf_read(&mut self, s: &TfSource, scope: &Scope<'_>) {
        let file = s.file;
        let mut r = Reading {
            text: &s.text,
            scope,
            cells: BTreeMap::new(),
            not_evaluated: Vec::new(),
        };
        let mut planned = Vec::new();
        for b in s.body.blocks() {
            if b.ident.value().as_str() != "resource" {
                continue;
            }
            let [ty, name] = b.labels.as_slice() else {
                continue;
            };
            let (ty, name) = (label(ty), label(name));
            if Resource::of_type(&ty).is_none() {
                continue;
            }
            let address = format!("{ty}.{name}");
            let at = Pointer::root().child(&address);
            if let Some(span) = b.span() {
                r.cells.insert(at.as_str().to_owned(), span);
            }
            for meta in ["for_each", "count"] {
                if b.body.get_attribute(meta).is_some() {
                    r.not_evaluated.push(at.child(meta));
                }
            }
            let values = Value::Object(r.body(&b.body, &at));
            planned.push((address, ty, at, values));
        }
        let not_evaluated = std::mem::take(&mut r.not_evaluated);
        self.t.sources.set_cells(file, r.cells);
        let mut strengths = BTreeMap::new();
        for (address, ty, _, values) in &planned {
            if ty == "azuread_authentication_strength_policy" {
                let id = values
                    .get("id")
                    .and_then(Value::as_str)
                    .map_or_else(|| address.clone(), crate::terraform::bare_id);
                strengths.insert(address.clone(), id);
            }
        }
        for (address, ty, at, values) in &planned {
            let Some(resource) = Resource::of_type(ty) else {
                continue;
            };
            let p = Planned {
                address: address.clone(),
                ty: ty.clone(),
                at: at.clone(),
                values,
            };
            match resource {
                Resource::GroupRoleManagement => self.tf_group_policy(file, &p, values),
                _ => self.tf_object(file, &p, resource, values, &[], &strengths),
            }
        }
        if let Some(first) = not_evaluated.first() {
            let n = not_evaluated.len();
            let message = format!(
                "{n} value{} of this file {} not statically evaluable (a function call, a template, a conditional, a `for` expression, a `dynamic` block, `for_each` or `count`): {} read as unknown, not guessed",
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
        self.done(file, true);
    }
}
