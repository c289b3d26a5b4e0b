//! The careful reader's last step: a typed object read from its normalised value, leniently.
//!
//! A value of the wrong JSON type (an array where the model expects an object, a number where it
//! expects a string) does not make the whole object unreadable. [`read`] notes it as a
//! [`Mismatch`], with its path, and goes on:
//! - a member of the wrong type is read as absent (the model's default for the field), so that
//!   the object keeps every other field;
//! - an element of the wrong type is read as the empty value of the type the model expects
//!   there (as a `null` element is, see [`parse_value`](super::parse_value)), so that the
//!   indices of the others stay those of the file.
//!
//! serde gives a deserializer no way to undo a value it has handed to the model, so a member is
//! first read as an empty value too; when there were such members, they are removed from the
//! value and the object is read again. Either way the object is read at most twice.
//!
//! What the model's own types reject among values of the right JSON type is not a mismatch: the
//! object then cannot be read, and [`read`] says where ([`Failure`]).

use super::is_depth_truncated;
use crate::model::Flags;
use serde::de::value::StrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::fmt;

/// One step of a path below the object read: a member's key (normalised) or an element's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A value of the wrong JSON type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Where the value is, below the object read.
    pub path: Vec<Step>,
    /// What the value is, in words (`an array`).
    pub found: &'static str,
    /// What the model expects there, in words (`an object`).
    pub expected: &'static str,
    /// Whether the value is a member, read as absent; an element is read as an empty value.
    pub member: bool,
}

/// How many values of the wrong type of one object are listed (the others are counted).
pub const LISTED: usize = 3;

/// The values of the wrong type in one object.
#[derive(Debug, Default)]
pub struct Found {
    /// The first [`LISTED`], in the order of the text. A PowerShell depth-truncation marker is
    /// left out: it is reported as such.
    pub listed: Vec<Mismatch>,
    /// How many more there are.
    pub more: usize,
}

/// An object that cannot be read: the error, and where it arose below the object.
#[derive(Debug)]
pub struct Failure {
    pub path: Vec<Step>,
    pub message: String,
}

/// Reads `T` from a normalised object, leniently (see the module documentation). Returns the
/// object and the values of the wrong type in it.
pub fn read<T: DeserializeOwned>(map: Map<String, Value>) -> Result<(T, Found), Failure> {
    let mut value = Value::Object(map);
    let (first, cx) = pass::<T>(&value);
    let members = cx.members.into_inner();
    let found = cx.found.into_inner();
    if members.is_empty() {
        return first.map(|v| (v, found));
    }
    // Members of the wrong type are absent: without them, the object is read again.
    for path in &members {
        remove(&mut value, path);
    }
    let (second, _) = pass::<T>(&value);
    second.map(|v| (v, found))
}

/// Reads `T` once; returns it and what was noted.
fn pass<T: DeserializeOwned>(value: &Value) -> (Result<T, Failure>, Context) {
    let cx = Context::default();
    let result = T::deserialize(Lenient {
        value,
        member: false,
        cx: &cx,
    });
    let result = cx.locate(result).map_err(|e| Failure {
        path: e.path.unwrap_or_default(),
        message: e.message,
    });
    (result, cx)
}

/// Removes the member at `path` (a member's path ends with its key).
fn remove(value: &mut Value, path: &[Step]) {
    let Some((Step::Key(key), parents)) = path.split_last() else {
        return;
    };
    let mut at = value;
    for step in parents {
        let next = match (step, at) {
            (Step::Key(k), Value::Object(m)) => m.get_mut(k),
            (Step::Index(i), Value::Array(items)) => items.get_mut(*i),
            _ => None,
        };
        let Some(next) = next else {
            return;
        };
        at = next;
    }
    if let Value::Object(m) = at {
        m.remove(key);
    }
}

/// The JSON type of a value, in words.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// What one reading notes, and where it is.
#[derive(Default)]
struct Context {
    path: RefCell<Vec<Step>>,
    found: RefCell<Found>,
    /// The paths of all the members of the wrong type (to read the object again without them).
    members: RefCell<Vec<Vec<Step>>>,
}

impl Context {
    /// Gives an error the path where it arose, if it has none yet.
    fn locate<T>(&self, result: Result<T, Error>) -> Result<T, Error> {
        result.map_err(|mut e| {
            if e.path.is_none() {
                e.path = Some(self.path.borrow().clone());
            }
            e
        })
    }

    /// Reads a value one step below the current one.
    fn below<T>(&self, step: Step, read: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
        self.path.borrow_mut().push(step);
        let result = self.locate(read());
        self.path.borrow_mut().pop();
        result
    }
}

/// An error of the model's own types.
#[derive(Debug)]
struct Error {
    message: String,
    /// Where it arose, once known.
    path: Option<Vec<Step>>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error {
            message: message.to_string(),
            path: None,
        }
    }
}

/// The empty array a [`Flags`] value of the wrong type is read as.
static NO_FLAGS: Value = Value::Array(Vec::new());

/// The lenient deserializer over one value.
#[derive(Clone, Copy)]
struct Lenient<'a> {
    value: &'a Value,
    /// Whether the value is an object's member (else an element, or the object read).
    member: bool,
    cx: &'a Context,
}

impl Lenient<'_> {
    /// Notes that the value is not what the model expects.
    fn mismatch(&self, expected: &'static str) {
        if self.member {
            self.cx
                .members
                .borrow_mut()
                .push(self.cx.path.borrow().clone());
        }
        if self.value.as_str().is_some_and(is_depth_truncated) {
            return;
        }
        let mut found = self.cx.found.borrow_mut();
        if found.listed.len() >= LISTED {
            found.more += 1;
            return;
        }
        found.listed.push(Mismatch {
            path: self.cx.path.borrow().clone(),
            found: json_type(self.value),
            expected,
            member: self.member,
        });
    }
}

macro_rules! signed {
    ($($method:ident),*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.value.as_i64() {
                Some(n) => visitor.visit_i64(n),
                None => {
                    self.mismatch("a whole number");
                    visitor.visit_i64(0)
                }
            }
        })*
    };
}

macro_rules! unsigned {
    ($($method:ident),*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.value.as_u64() {
                Some(n) => visitor.visit_u64(n),
                None => {
                    self.mismatch("a whole number that is not negative");
                    visitor.visit_u64(0)
                }
            }
        })*
    };
}

impl<'de> Deserializer<'de> for Lenient<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (None, Some(i), _) => visitor.visit_i64(i),
                (None, None, f) => visitor.visit_f64(f.unwrap_or(0.0)),
            },
            Value::String(s) => visitor.visit_str(s),
            Value::Array(items) => visitor.visit_seq(Elements::new(items, self.cx)),
            Value::Object(map) => visitor.visit_map(Members::new(map, self.cx)),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => {
                self.mismatch("true or false");
                visitor.visit_bool(false)
            }
        }
    }

    signed!(
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128
    );
    unsigned!(
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128
    );

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value.as_f64() {
            Some(f) => visitor.visit_f64(f),
            None => {
                self.mismatch("a number");
                visitor.visit_f64(0.0)
            }
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_str(s),
            _ => {
                self.mismatch("a string");
                visitor.visit_str("")
            }
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if !self.value.is_null() {
            self.mismatch("null");
        }
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        // A flags value is a string or an array of strings.
        if name == Flags::NAME && !matches!(self.value, Value::String(_) | Value::Array(_)) {
            self.mismatch("a string or an array of strings");
            return visitor.visit_newtype_struct(Lenient {
                value: &NO_FLAGS,
                ..self
            });
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(items) => visitor.visit_seq(Elements::new(items, self.cx)),
            _ => {
                self.mismatch("an array");
                visitor.visit_seq(Empty)
            }
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(map) => visitor.visit_map(Members::new(map, self.cx)),
            _ => {
                self.mismatch("an object");
                visitor.visit_map(Empty)
            }
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    // Nothing in the model is an enum read by serde (closed vocabularies are read from strings).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Error> {
        Err(de::Error::custom(format_args!("`{name}` is not read")))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// The elements of an array, each read leniently.
struct Elements<'a> {
    items: std::slice::Iter<'a, Value>,
    index: usize,
    cx: &'a Context,
}

impl<'a> Elements<'a> {
    fn new(items: &'a [Value], cx: &'a Context) -> Self {
        Elements {
            items: items.iter(),
            index: 0,
            cx,
        }
    }
}

impl<'de> SeqAccess<'de> for Elements<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(value) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        let cx = self.cx;
        cx.below(Step::Index(index), || {
            seed.deserialize(Lenient {
                value,
                member: false,
                cx,
            })
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The members of an object, each value read leniently.
struct Members<'a> {
    entries: serde_json::map::Iter<'a>,
    next: Option<(&'a String, &'a Value)>,
    cx: &'a Context,
}

impl<'a> Members<'a> {
    fn new(map: &'a Map<String, Value>, cx: &'a Context) -> Self {
        Members {
            entries: map.iter(),
            next: None,
            cx,
        }
    }
}

impl<'de> MapAccess<'de> for Members<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.next = Some((key, value));
        seed.deserialize(StrDeserializer::<Error>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.next.take() else {
            return Err(de::Error::custom("a value asked for before its key"));
        };
        let cx = self.cx;
        cx.below(Step::Key(key.clone()), || {
            seed.deserialize(Lenient {
                value,
                member: true,
                cx,
            })
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// What a sequence or an object of the wrong type is read as.
struct Empty;

impl<'de> SeqAccess<'de> for Empty {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        _: T,
    ) -> Result<Option<T::Value>, Error> {
        Ok(None)
    }
}

impl<'de> MapAccess<'de> for Empty {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, _: K) -> Result<Option<K::Value>, Error> {
        Ok(None)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, _: V) -> Result<V::Value, Error> {
        Err(de::Error::custom("a value asked for before its key"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AuthenticationStrength, ConditionalAccessPolicy};
    use serde_json::json;

    fn object(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn paths(found: &Found) -> Vec<String> {
        found
            .listed
            .iter()
            .map(|m| {
                m.path
                    .iter()
                    .map(|s| match s {
                        Step::Key(k) => format!("/{k}"),
                        Step::Index(i) => format!("/{i}"),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_member_of_the_wrong_type_is_absent_and_the_rest_is_read() {
        let (p, found) = read::<ConditionalAccessPolicy>(object(json!({
            "displayName": "CA001",
            "state": "enabled",
            "conditions": {"users": {"includeUsers": ["All"]}, "applications": [], "clientAppTypes": "all"},
            "grantControls": {"operator": 1, "builtInControls": ["mfa"]},
            "sessionControls": [],
        })))
        .unwrap();
        assert_eq!(p.display_name.as_deref(), Some("CA001"));
        assert!(p.conditions.users.includes_all_users());
        assert!(p.conditions.client_app_types.is_empty());
        let grant = p.grant_controls.unwrap();
        assert!(grant.operator.is_none());
        assert_eq!(grant.built_in_controls.len(), 1);
        // Absent, not an empty object.
        assert!(p.session_controls.is_none());
        // The first three are listed, the others counted.
        assert_eq!(
            paths(&found),
            [
                "/conditions/applications",
                "/conditions/clientAppTypes",
                "/grantControls/operator",
            ]
        );
        assert_eq!(found.more, 1);
        let first = &found.listed[0];
        assert_eq!(
            (first.found, first.expected, first.member),
            ("an array", "an object", true)
        );
    }

    #[test]
    fn an_element_of_the_wrong_type_is_empty_and_the_indices_stay() {
        let (s, found) = read::<AuthenticationStrength>(object(json!({
            "allowedCombinations": ["fido2", 7, ["password", {}], {"a": 1}],
            "requirementsSatisfied": true,
        })))
        .unwrap();
        let combinations: Vec<Vec<String>> =
            s.allowed_combinations.into_iter().map(|f| f.0).collect();
        assert_eq!(
            combinations,
            [
                vec!["fido2".to_owned()],
                vec![],
                vec!["password".to_owned()],
                vec![]
            ]
        );
        assert!(s.requirements_satisfied.is_empty());
        assert_eq!(
            paths(&found),
            [
                "/allowedCombinations/1",
                "/allowedCombinations/2/1",
                "/allowedCombinations/3",
            ]
        );
        assert!(!found.listed[0].member);
        assert_eq!(found.more, 1);
    }

    #[test]
    fn the_root_is_read_once_when_only_elements_are_wrong() {
        let (p, found) = read::<ConditionalAccessPolicy>(object(json!({
            "conditions": {"users": {"excludeUsers": ["u1", false, "u3"]}},
        })))
        .unwrap();
        assert_eq!(p.conditions.users.exclude_users, ["u1", "", "u3"]);
        assert_eq!(paths(&found), ["/conditions/users/excludeUsers/1"]);
    }
}
