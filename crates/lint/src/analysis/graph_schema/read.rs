//! An object of the export as the schema check reads it: normalised as the loader reads it (keys
//! lower-first, annotations other than `@odata.type` dropped, `null` members absent), read in one
//! pass from its text, its strings and keys borrowed from the text wherever they hold no escape.
//!
//! The walk down the schemas only looks values up and compares them: a `serde_json::Value` would
//! copy every key and string of every object into an allocation of its own, and a `BTreeMap` of
//! them, only to drop them all after the walk. A [`Read`] is made into a `Value`
//! ([`Read::to_value`]) only for the objects a JSON Schema validator is given.
//!
//! The text is read by hand ([`Reader`]) rather than through serde_json's deserializer, whose
//! generic visitors cost as much as the walk itself; serde_json still reads what is rare (a string
//! with an escape, a number) and is the reference the reader is tested against: the two accept
//! the same texts and give the same values.

use entralint_parser::json;
use serde::de::IgnoredAny;
#[cfg(test)]
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
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
    /// Reads the value `text` holds (and nothing after it); `None` when it is not JSON.
    pub(super) fn parse(text: &'t str) -> Option<Read<'t>> {
        let mut reader = Reader {
            text,
            at: 0,
            depth: 0,
        };
        let value = reader.value()?;
        reader.space();
        (reader.at == text.len()).then_some(value)
    }

    /// A PIM policy's place, read: the object it holds, and whether it names its role or policy
    /// as a wrapper of rules does (`RoleID`, `PolicyID` or `RoleTemplateId` in any case, the last
    /// value written for the key not `null`). Such a wrapper holds nothing the check reads but its
    /// rules: of it only the members the loader reads as `rules` are read, the others passed over
    /// (their text is known to be valid: it is the text the loader read). Any other object is
    /// read whole, as [`Read::parse`] reads it.
    pub(super) fn parse_policy(text: &'t str) -> Option<(Read<'t>, bool)> {
        let mut reader = Reader {
            text,
            at: 0,
            depth: 0,
        };
        if reader.peek()? != b'{' {
            return None;
        }
        reader.enter()?;
        // The members as written: the rules read, the others as the text of their value.
        let mut members: Vec<(Cow<'t, str>, Result<Read<'t>, &'t str>)> = Vec::with_capacity(8);
        let mut more = reader.peek()? != b'}';
        if !more {
            reader.at += 1;
        }
        while more {
            if reader.peek()? != b'"' {
                return None;
            }
            let key = reader.string()?;
            if reader.peek()? != b':' {
                return None;
            }
            reader.at += 1;
            let value = if norm_cmp(&key, "rules").is_eq() {
                Ok(reader.member(&key)?)
            } else {
                reader.space();
                let start = reader.at;
                reader.at += json::valid_len(&text[start..])?;
                Err(text.get(start..reader.at)?)
            };
            members.push((key, value));
            more = reader.next(b'}')?;
        }
        reader.space();
        if reader.at != text.len() {
            return None;
        }
        // The last value written for each key that names a role or a policy.
        let mut last: Vec<(&str, &str)> = Vec::new();
        for (key, value) in &members {
            if let Err(value) = value {
                if ["roleID", "policyID", "roleTemplateId"]
                    .iter()
                    .any(|name| key.eq_ignore_ascii_case(name))
                {
                    last.retain(|(k, _)| k != key);
                    last.push((key, value));
                }
            }
        }
        let names = last.iter().any(|(_, value)| *value != "null");
        let mut read = Vec::with_capacity(members.len());
        for (key, value) in members {
            let value = match value {
                Ok(value) => value,
                Err(_) if names => continue,
                Err(value) => {
                    // Read at the depth it stands at.
                    let mut inner = Reader {
                        text: value,
                        at: 0,
                        depth: 1,
                    };
                    let value = inner.member(&key)?;
                    inner.space();
                    if inner.at != inner.text.len() {
                        return None;
                    }
                    value
                }
            };
            read.push((key, value));
        }
        Some((members_read(read), names))
    }

    /// [`Read::parse`] through serde_json: what the reader above must give for every text.
    #[cfg(test)]
    pub(super) fn parse_with_serde(text: &'t str) -> Option<Read<'t>> {
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
        self.odata_type_value().and_then(Read::as_str)
    }

    /// The object's `@odata.type` member: [`Read::get`] of it, looked for among the first
    /// members only (the keys are in order, and few sort before `@`: most objects have none).
    pub(super) fn odata_type_value(&self) -> Option<&Read<'t>> {
        let Read::Object(members) = self else {
            return None;
        };
        for (key, value) in members {
            match key.as_bytes().first().map(u8::to_ascii_lowercase) {
                Some(b'@') if key == "@odata.type" => return Some(value),
                Some(c) if c > b'@' => return None,
                _ => {}
            }
        }
        None
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

/// Reads a [`Read`] through serde_json (the reference the reader is tested against).
#[cfg(test)]
#[derive(Clone, Copy)]
struct Seed;

#[cfg(test)]
impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Read<'de>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Read<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

#[cfg(test)]
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
            } else if is_left_out(&key) {
                map.next_value::<IgnoredAny>()?;
                Read::Scalar(Value::Null)
            } else {
                map.next_value_seed(Seed)?
            };
            members.push((key, value));
        }
        Ok(members_read_reference(members))
    }
}

/// The members of an object, read in the order they are written, as the object holds them (a map
/// of the keys as the loader reads them would hold them): of repeated keys the last one written,
/// a member whose value is `null` absent, and of two keys that normalise alike (`State`,
/// `state`) the later in the order of the keys as written, `@odata.type` in any case as
/// `@odata.type` (kept whatever its value). One sort; most objects have no such keys.
fn members_read<'t>(mut members: Vec<(Cow<'t, str>, Read<'t>)>) -> Read<'t> {
    // Stable: the members of one key as written stay in the order they are written in.
    members.sort_by(|a, b| norm_cmp(typed(&a.0), typed(&b.0)).then_with(|| a.0.cmp(&b.0)));
    let mut kept = 0;
    let mut start = 0;
    while start < members.len() {
        let key = typed(&members[start].0);
        let end = start
            + 1
            + members[start + 1..]
                .iter()
                .take_while(|(k, _)| norm_cmp(typed(k), key).is_eq())
                .count();
        let odata_type = key == "@odata.type";
        // From the last key as written: its last value written, if it is kept.
        let mut chosen = None;
        let mut i = end;
        while i > start {
            let last = i - 1;
            if odata_type || !members[last].1.is_null() {
                chosen = Some(last);
                break;
            }
            i = last;
            while i > start && members[i - 1].0 == members[last].0 {
                i -= 1;
            }
        }
        if let Some(c) = chosen {
            members.swap(kept, c);
            if odata_type {
                members[kept].0 = Cow::Borrowed("@odata.type");
            }
            kept += 1;
        }
        start = end;
    }
    members.truncate(kept);
    Read::Object(members)
}

/// `@odata.type` for the key `@odata.type` in any case; any other key as it is.
fn typed(key: &str) -> &str {
    if key.eq_ignore_ascii_case("@odata.type") {
        "@odata.type"
    } else {
        key
    }
}

/// [`members_read`] as the serde_json reading (the reference) does it, step by step: of repeated
/// keys the last one written, and the members taken in the order of their keys as written, so
/// that of two keys that normalise alike (`State`, `state`) the later in that order is kept.
#[cfg(test)]
fn members_read_reference<'t>(mut members: Vec<(Cow<'t, str>, Read<'t>)>) -> Read<'t> {
    members.sort_by(|a, b| a.0.cmp(&b.0));
    keep_later(&mut members, |a, b| a == b);
    let mut members: Vec<(Cow<'t, str>, Read<'t>)> = members
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
    Read::Object(members)
}

/// Whether the value of `key` is left out: an annotation other than `@odata.type` (those are
/// looked for first), or an advertised action (`#microsoft.graph.restore`).
fn is_left_out(key: &str) -> bool {
    key.starts_with('#') || (key.bytes().any(|b| b == b'@') && key.contains("@odata."))
}

/// How deeply arrays and objects may nest: serde_json's limit, kept so that the reader accepts
/// the texts serde_json accepts, and a text nested without end is refused rather than read down
/// the stack.
const DEPTH: usize = 128;

/// Reads a [`Read`] from JSON text by hand, in one pass: strings looked through eight bytes at a
/// time ([`json::string_stop`]), and only a string with an escape, a number, or a value that is
/// not normalised handed to serde_json. It accepts exactly the texts serde_json accepts and gives
/// what serde_json's reading gives (the tests compare the two on every shape of value).
struct Reader<'t> {
    text: &'t str,
    /// The position of the next byte to read.
    at: usize,
    /// The arrays and objects the reader is in.
    depth: usize,
}

impl<'t> Reader<'t> {
    /// Passes over whitespace; the next byte, if any.
    fn peek(&mut self) -> Option<u8> {
        self.space();
        self.text.as_bytes().get(self.at).copied()
    }

    fn space(&mut self) {
        let b = self.text.as_bytes();
        // The indentation of a pretty-printed export, eight spaces at a time.
        while let Some(w) = b.get(self.at..self.at + 8) {
            if w != b"        " {
                break;
            }
            self.at += 8;
        }
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = b.get(self.at) {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Option<Read<'t>> {
        match self.peek()? {
            b'"' => self.string().map(Read::Str),
            b'{' => self.object(),
            b'[' => self.array(),
            _ => self.scalar().map(Read::Scalar),
        }
    }

    /// `true`, `false`, `null` or a number.
    fn scalar(&mut self) -> Option<Value> {
        let rest = &self.text[self.at..];
        for (word, value) in [
            ("true", Value::Bool(true)),
            ("false", Value::Bool(false)),
            ("null", Value::Null),
        ] {
            if rest.starts_with(word) {
                self.at += word.len();
                return Some(value);
            }
        }
        // A number: the bytes a number may hold, read by serde_json (which refuses the text
        // when they are not one number).
        let len = rest
            .bytes()
            .position(|c| !matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
            .unwrap_or(rest.len());
        if len == 0 {
            return None;
        }
        let number: Value = serde_json::from_str(&rest[..len]).ok()?;
        self.at += len;
        number.is_number().then_some(number)
    }

    /// A string, at its opening quote: borrowed from the text when it holds no escape.
    fn string(&mut self) -> Option<Cow<'t, str>> {
        let b = self.text.as_bytes();
        let start = self.at + 1;
        let end = start + json::string_stop(b.get(start..)?)?;
        if b[end] == b'"' {
            self.at = end + 1;
            return Some(Cow::Borrowed(&self.text[start..end]));
        }
        // An escape, or a control character (which serde_json refuses): serde_json reads it.
        let mut close = end;
        while b[close] != b'"' {
            close += if b[close] == b'\\' { 2 } else { 1 };
            close += json::string_stop(b.get(close..)?)?;
        }
        let s: String = serde_json::from_str(&self.text[self.at..=close]).ok()?;
        self.at = close + 1;
        Some(Cow::Owned(s))
    }

    /// Enters an array or an object, at its opening bracket.
    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        self.at += 1;
        (self.depth < DEPTH).then_some(())
    }

    /// After an element or a member: past the comma (true) or the closing bracket (false).
    fn next(&mut self, close: u8) -> Option<bool> {
        match self.peek()? {
            b',' => {
                self.at += 1;
                Some(true)
            }
            c if c == close => {
                self.at += 1;
                self.depth -= 1;
                Some(false)
            }
            _ => None,
        }
    }

    fn array(&mut self) -> Option<Read<'t>> {
        self.enter()?;
        let mut items = Vec::new();
        if self.peek()? == b']' {
            self.at += 1;
            self.depth -= 1;
            return Some(Read::Array(items));
        }
        loop {
            items.push(self.value()?);
            if !self.next(b']')? {
                return Some(Read::Array(items));
            }
        }
    }

    fn object(&mut self) -> Option<Read<'t>> {
        self.enter()?;
        // Room for the members of most objects of an export, allocated once.
        let mut members: Vec<(Cow<'t, str>, Read<'t>)> = Vec::with_capacity(8);
        if self.peek()? == b'}' {
            self.at += 1;
            self.depth -= 1;
            return Some(members_read(members));
        }
        loop {
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            if self.peek()? != b':' {
                return None;
            }
            self.at += 1;
            let value = self.member(&key)?;
            members.push((key, value));
            if !self.next(b'}')? {
                return Some(members_read(members));
            }
        }
    }

    /// The value of the member `key`: `@odata.type`'s kept as written, an annotation's left out
    /// (read as `null`), any other normalised.
    fn member(&mut self, key: &str) -> Option<Read<'t>> {
        Some(if key.eq_ignore_ascii_case("@odata.type") {
            Read::Plain(self.plain()?)
        } else if is_left_out(key) {
            self.ignored()?;
            Read::Scalar(Value::Null)
        } else {
            self.value()?
        })
    }

    /// A value kept as written (`@odata.type`'s), as serde_json reads it.
    fn plain(&mut self) -> Option<Value> {
        if self.peek()? == b'"' {
            return self.string().map(|s| Value::String(s.into_owned()));
        }
        let start = self.at;
        self.value()?;
        serde_json::from_str(&self.text[start..self.at]).ok()
    }

    /// A value read and left out, as serde_json passes over it (at any depth).
    fn ignored(&mut self) -> Option<()> {
        self.space();
        let mut values =
            serde_json::Deserializer::from_str(&self.text[self.at..]).into_iter::<IgnoredAny>();
        values.next()?.ok()?;
        self.at += values.byte_offset();
        Some(())
    }
}

/// Of adjacent members whose keys are `same`, keeps the later one's key and value.
#[cfg(test)]
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
#[cfg(test)]
struct Key;

#[cfg(test)]
impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

#[cfg(test)]
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

    use proptest::prelude::*;

    /// Keys and scalars of every kind the reader treats apart: keys that normalise alike, the
    /// `@odata.type` annotation in two cases, annotations and actions left out, escapes (a valid
    /// one, a lone surrogate), a raw control character, numbers serde_json reads as integers,
    /// as floats, or refuses.
    const KEYS: [&str; 10] = [
        r#""a""#,
        r#""State""#,
        r#""state""#,
        r#""@odata.type""#,
        r#""@OData.Type""#,
        r#""value@odata.nextLink""#,
        r##""#microsoft.graph.restore""##,
        r#""\u00e9t\"at""#,
        r#""""#,
        r#""Él""#,
    ];
    const SCALARS: [&str; 12] = [
        "true",
        "false",
        "null",
        "0",
        "-12",
        "1.5e3",
        "18446744073709551616",
        "-0.0",
        r#""enabled""#,
        r#""@{membershipKind=all}""#,
        r#""\ud83d\ude00 \n\/""#,
        r##""#microsoft.graph.x""##,
    ];
    /// Values serde_json refuses: a number out of range, a leading zero, a lone surrogate, an
    /// unknown escape, a raw tab in a string, a word cut short.
    const WRONG_VALUES: [&str; 6] = [
        "1e400",
        "01",
        r#""\ud800""#,
        r#""\x""#,
        "\"tab\there\"",
        "tru",
    ];
    /// Bytes out of place.
    const WRONG_BYTES: [&str; 10] = [",", ":", "]", "}", "{", "[", "\"", "\\", " ", "x"];

    /// JSON texts, nested, with whitespace between their tokens, their scalars from `scalars`.
    fn texts_of(scalars: Vec<&'static str>) -> impl Strategy<Value = String> {
        let scalar = prop::sample::select(scalars).prop_map(str::to_owned);
        scalar.prop_recursive(6, 64, 6, |inner| {
            let space = prop::sample::select(vec!["", " ", "\n  ", "\t", "\r\n"]);
            prop_oneof![
                prop::collection::vec((inner.clone(), space.clone()), 0..5).prop_map(|items| {
                    let items: Vec<String> =
                        items.into_iter().map(|(v, s)| format!("{s}{v}")).collect();
                    format!("[{}]", items.join(","))
                }),
                prop::collection::vec((prop::sample::select(&KEYS[..]), inner, space), 0..6)
                    .prop_map(|members| {
                        let members: Vec<String> = members
                            .into_iter()
                            .map(|(k, v, s)| format!("{s}{k}{s}:{v}"))
                            .collect();
                        format!("{{{}}}", members.join(","))
                    }),
            ]
        })
    }

    fn texts() -> impl Strategy<Value = String> {
        texts_of(SCALARS.to_vec())
    }

    /// Texts whose values are now and then one serde_json refuses.
    fn wrong_values() -> impl Strategy<Value = String> {
        texts_of([&SCALARS[..], &WRONG_VALUES[..]].concat())
    }

    /// Changes to a text that make most of them invalid: a byte cut out, or a token put in.
    fn damaged() -> impl Strategy<Value = String> {
        let token = prop::sample::select(&WRONG_BYTES[..]);
        (texts(), any::<prop::sample::Index>(), token, any::<bool>()).prop_map(
            |(text, at, token, cut)| {
                let mut at = at.index(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let mut out = text[..at].to_owned();
                if !cut {
                    out.push_str(token);
                }
                let rest = &text[at..];
                let skip = if cut {
                    rest.chars().next().map_or(0, char::len_utf8)
                } else {
                    0
                };
                out.push_str(&rest[skip..]);
                out
            },
        )
    }

    proptest! {
        /// The reader gives what serde_json's reading gives, and accepts what it accepts.
        #[test]
        fn reads_as_serde_json_reads(text in texts()) {
            prop_assert!(Read::parse(&text).is_some(), "{}", text);
            prop_assert_eq!(Read::parse(&text), Read::parse_with_serde(&text), "{}", text);
        }

        /// A PIM policy's place that does not name a role or a policy is read whole, as any
        /// object; what is not an object, or not JSON, is not read.
        #[test]
        fn a_policy_is_read_as_any_object(text in texts(), rules in texts()) {
            let text = match text.strip_prefix('{') {
                Some(rest) if rest.trim_start().starts_with('}') => format!(r#"{{"Rules":{rules}}}"#),
                Some(rest) => format!(r#"{{"Rules":{rules},{rest}"#),
                None => text,
            };
            match (Read::parse(&text), Read::parse_policy(&text)) {
                (Some(Read::Object(whole)), Some((read, false))) => {
                    prop_assert_eq!(read, Read::Object(whole), "{}", text)
                }
                (whole, read) => prop_assert!(
                    whole.as_ref().is_none_or(|w| !w.is_object()) && read.is_none(),
                    "{}",
                    text
                ),
            }
        }

        /// So it does on texts that are not JSON, or not quite.
        #[test]
        fn refuses_what_serde_json_refuses(text in damaged()) {
            prop_assert_eq!(Read::parse(&text), Read::parse_with_serde(&text), "{}", text);
        }

        /// And on texts with a value serde_json refuses somewhere inside.
        #[test]
        fn refuses_the_values_serde_json_refuses(text in wrong_values()) {
            prop_assert_eq!(Read::parse(&text), Read::parse_with_serde(&text), "{}", text);
        }
    }

    /// Nesting is refused where serde_json refuses it; a value left out (an annotation) is
    /// passed over at any depth, as serde_json passes over it.
    #[test]
    fn nests_as_deep_as_serde_json() {
        for depth in [1, 126, 127, 128, 129, 400] {
            let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let objects = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
            let left_out = format!(r#"{{"x@odata.context":{arrays},"a":1}}"#);
            let typed = format!(r#"{{"@odata.type":{arrays}}}"#);
            for text in [arrays.clone(), objects, left_out, typed] {
                assert_eq!(
                    Read::parse(&text),
                    Read::parse_with_serde(&text),
                    "depth {depth}: {}",
                    &text[..text.len().min(60)]
                );
            }
            assert_eq!(Read::parse(&arrays).is_some(), depth < 128, "depth {depth}");
        }
    }

    /// Text around the value: whitespace is allowed, anything else is not; nor is nothing.
    #[test]
    fn reads_one_value_and_nothing_else() {
        for text in [
            "",
            " ",
            "{} ",
            " {}",
            "{}{}",
            "{} x",
            "\u{feff}{}",
            "1 2",
            "\"a\"b",
            "[1,]",
        ] {
            assert_eq!(Read::parse(text), Read::parse_with_serde(text), "{text:?}");
        }
        assert!(Read::parse(" {}\n").is_some());
        assert!(Read::parse("[1,]").is_none());
    }
}
