//! An object of the export as the schema check reads it: normalised as the loader reads it (keys
//! lower-first, annotations other than `@odata.type` dropped, `null` members absent), read in one
//! pass from its text, its strings and keys borrowed from the text wherever they hold no escape.
//!
//! The walk down the schemas only looks values up and compares them: a `serde_json::Value` would
//! copy every key and string of every object into an allocation of its own, and a `BTreeMap` of
//! them, only to drop them all after the walk. A [`Read`] is made into a `Value`
//! ([`Read::to_value`]) only for the objects a JSON Schema validator is given.

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::cmp::Ordering;

/// A normalised value; the text it was read from outlives it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Read<'t> {
    /// `null`, a boolean or a number.
    Scalar(Value),
    Str(Cow<'t, str>),
    Array(Vec<Read<'t>>),
    /// The members, in the order of their keys as the loader reads them (see [`norm_cmp`]), one
    /// per such key. Each key is kept as written (`@odata.type` in any case as `@odata.type`):
    /// [`normalised`] gives it as the loader reads it.
    Object(Vec<(Cow<'t, str>, Read<'t>)>),
    /// The value of `@odata.type`, kept as written (it is not normalised).
    Plain(Value),
}

impl<'t> Read<'t> {
    /// Reads the value `text` holds (and nothing after it).
    pub(super) fn parse(text: &'t str) -> Option<Read<'t>> {
        let mut de = serde_json::Deserializer::from_str(text);
        let value = Seed.deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(value)
    }

    pub(super) fn is_null(&self) -> bool {
        matches!(self, Read::Scalar(Value::Null) | Read::Plain(Value::Null))
    }

    pub(super) fn is_object(&self) -> bool {
        matches!(self, Read::Object(_))
    }

    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Read::Str(s) => Some(s),
            Read::Plain(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    /// The member of an object by its key as the loader reads it (`name` is lower-first).
    pub(super) fn get(&self, name: &str) -> Option<&Read<'t>> {
        match self {
            Read::Object(members) => members
                .binary_search_by(|(k, _)| norm_cmp(k, name))
                .ok()
                .map(|i| &members[i].1),
            _ => None,
        }
    }

    /// The object's `@odata.type`, when it is a string.
    pub(super) fn odata_type(&self) -> Option<&str> {
        self.get("@odata.type").and_then(Read::as_str)
    }

    /// The value as a `serde_json::Value`, as the validator reads it.
    pub(super) fn to_value(&self) -> Value {
        match self {
            Read::Scalar(v) | Read::Plain(v) => v.clone(),
            Read::Str(s) => Value::String(s.as_ref().to_owned()),
            Read::Array(items) => Value::Array(items.iter().map(Read::to_value).collect()),
            Read::Object(members) => {
                let mut buf = String::new();
                let map: Map<String, Value> = members
                    .iter()
                    .map(|(k, v)| (normalised(k, &mut buf).to_owned(), v.to_value()))
                    .collect();
                Value::Object(map)
            }
        }
    }
}

/// Removes the member of `members` whose key the loader reads as `name` (lower-first).
pub(super) fn remove<'t>(
    members: &mut Vec<(Cow<'t, str>, Read<'t>)>,
    name: &str,
) -> Option<Read<'t>> {
    let i = members.binary_search_by(|(k, _)| norm_cmp(k, name)).ok()?;
    Some(members.remove(i).1)
}

/// A key as the loader reads it: its first letter lower-case (only an ASCII first letter changes,
/// as `str::make_ascii_lowercase` of its first byte). Borrows the key when nothing changes, else
/// writes it into `buf`.
pub(super) fn normalised<'a>(key: &'a str, buf: &'a mut String) -> &'a str {
    match key.as_bytes().first() {
        Some(b) if b.is_ascii_uppercase() => {
            buf.clear();
            buf.push_str(key);
            if let Some(first) = buf.get_mut(..1) {
                first.make_ascii_lowercase();
            }
            buf
        }
        _ => key,
    }
}

/// The order of two keys as the loader reads them (first ASCII letter lower-cased): the order of
/// the normalised keys' bytes, as a `BTreeMap<String, _>` of them would keep them.
pub(super) fn norm_cmp(a: &str, b: &str) -> Ordering {
    match (a.as_bytes().split_first(), b.as_bytes().split_first()) {
        (Some((x, a)), Some((y, b))) => x
            .to_ascii_lowercase()
            .cmp(&y.to_ascii_lowercase())
            .then_with(|| a.cmp(b)),
        _ => a.len().cmp(&b.len()),
    }
}

/// Reads a [`Read`].
#[derive(Clone, Copy)]
struct Seed;

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Read<'de>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Read<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed {
    type Value = Read<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Read<'de>, E> {
        Ok(Read::Scalar(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Read<'de>, E> {
        Ok(Read::Scalar(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Read<'de>, E> {
        Ok(Read::Scalar(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Read<'de>, E> {
        Ok(Read::Scalar(
            serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number),
        ))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Read<'de>, E> {
        Ok(Read::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Read<'de>, E> {
        Ok(Read::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Read<'de>, E> {
        Ok(Read::Str(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<Read<'de>, E> {
        Ok(Read::Scalar(Value::Null))
    }
    fn visit_none<E>(self) -> Result<Read<'de>, E> {
        Ok(Read::Scalar(Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Read<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(Seed)? {
            items.push(v);
        }
        Ok(Read::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read<'de>, A::Error> {
        // The members as written, each value normalised (`@odata.type`'s kept as written).
        // Room for the members of most objects of an export, allocated once.
        let mut members: Vec<(Cow<'de, str>, Read<'de>)> = Vec::with_capacity(8);
        while let Some(key) = map.next_key_seed(Key)? {
            let value = if key.eq_ignore_ascii_case("@odata.type") {
                Read::Plain(map.next_value::<Value>()?)
            } else if key.contains("@odata.") || key.starts_with('#') {
                map.next_value::<IgnoredAny>()?;
                Read::Scalar(Value::Null)
            } else {
                map.next_value_seed(Seed)?
            };
            members.push((key, value));
        }
        // As a map of the members would hold them: of repeated keys the last one written, and
        // the members taken in the order of their keys as written, so that of two keys that
        // normalise alike (`State`, `state`) the later in that order is kept.
        members.sort_by(|a, b| a.0.cmp(&b.0));
        keep_later(&mut members, |a, b| a == b);
        let mut members: Vec<(Cow<'de, str>, Read<'de>)> = members
            .into_iter()
            .filter_map(|(key, value)| {
                if key.eq_ignore_ascii_case("@odata.type") {
                    Some((Cow::Borrowed("@odata.type"), value))
                } else {
                    (!value.is_null()).then_some((key, value))
                }
            })
            .collect();
        // Stable: of keys that normalise alike, the order above is kept, and the later wins.
        members.sort_by(|a, b| norm_cmp(&a.0, &b.0));
        keep_later(&mut members, |a, b| norm_cmp(a, b).is_eq());
        Ok(Read::Object(members))
    }
}

/// Of adjacent members whose keys are `same`, keeps the later one's key and value.
fn keep_later<'t>(members: &mut Vec<(Cow<'t, str>, Read<'t>)>, same: impl Fn(&str, &str) -> bool) {
    members.dedup_by(|later, earlier| {
        let same = same(&later.0, &earlier.0);
        if same {
            std::mem::swap(later, earlier);
        }
        same
    });
}

/// A key, borrowed from the text when it holds no escape.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The members of an object are in the order of their keys as the loader reads them, as a
    /// map of those keys holds them, and found by those keys.
    #[test]
    fn members_are_in_the_order_of_their_keys() {
        let texts = [
            r#"{"State":"b","state":"a","Conditions":{"Users":{"IncludeUsers":["All"]}},"_x":1,"Él":2,"":3,"a":4,"B":5}"#,
            r##"{"@OData.Type":"#y","@odata.type":"#x","Zeta":{"@odata.type":"#z","Id":"i"},"id":"j"}"##,
        ];
        for text in texts {
            let read = Read::parse(text).unwrap();
            let Value::Object(map) = read.to_value() else {
                panic!("{text}")
            };
            let Read::Object(members) = &read else {
                panic!("{text}")
            };
            let mut buf = String::new();
            let keys: Vec<String> = members
                .iter()
                .map(|(k, _)| normalised(k, &mut buf).to_owned())
                .collect();
            assert_eq!(keys, map.keys().cloned().collect::<Vec<_>>(), "{text}");
            for key in map.keys() {
                assert_eq!(read.get(key).map(Read::to_value).as_ref(), map.get(key));
            }
        }
        let read = Read::parse(r##"{"@OData.Type":"#y","@odata.type":"#x"}"##).unwrap();
        assert_eq!(read.odata_type(), Some("#x"));
    }
}
