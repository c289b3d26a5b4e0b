//! Strict JSON parsing (serde_json), so that a large collection is never held as one
//! `serde_json::Value`:
//!
//! 1. [`parse_top`] validates the whole text and splits it into the top-level members or elements,
//!    as borrowed raw slices (a collection's `value` array whole). A Graph collection whose
//!    `@odata.context` comes first may instead be read as it is parsed, from its
//!    [`collection_head`] on, and validated only if that meets anything unexpected.
//! 2. `norm::read_prefix` reads one object straight into the typed model, normalised on the way,
//!    and tells where its text ends; it gives up on what needs care (repeated keys, depth
//!    truncation, null elements, errors), and [`parse_value`] then reads that object into a
//!    *normalised* `Value`, recording duplicate keys and PowerShell depth-truncation with their
//!    pointers, from which the model is read leniently (`lenient`): a value of the wrong JSON
//!    type is noted with its path and read as absent, and the rest of the object is read.
//!
//! Normalisation makes every export dialect look like Graph's camelCase:
//! - keys containing `@odata.` and keys starting with `#` are dropped, except `@odata.type` itself,
//!   the discriminator of derived types;
//! - `null` members are dropped (null ≡ absent ≡ empty), and `null` array elements become empty
//!   values of their siblings' type, so that indices keep matching the file;
//! - the first letter of every key is lower-cased (PascalCase exports: ScubaGear, PowerShell objects);
//! - the members of an `AdditionalProperties` object, which the Graph PowerShell SDK gives every
//!   object it models and fills with the properties its model lacks, are members of the object
//!   that holds it (a member the object has itself is kept, and the other value reported);
//! - a Windows PowerShell 5.1 date, `/Date(1647536088205)/`, is the ISO 8601 date it stands for.

pub(crate) mod lenient;
pub(crate) mod norm;

use crate::origin::Pointer;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// A key that occurs more than once in one object. Keys that differ only in ASCII case are one
/// key, as for Microsoft Graph, whose property names are case-insensitive (PowerShell exporters
/// write them in PascalCase). The last value wins, as in `serde_json::Value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The object holding the key.
    pub parent: Pointer,
    /// The key as first written.
    pub key: String,
    /// The repetition as written, when it is spelled otherwise than `key`.
    pub spelled: Option<String>,
    /// Repetitions of keys that follow this one in the same object and are not listed: only the
    /// first [`LISTED_DUPLICATES`] of an object are, so that what is reported stays small however
    /// often a key repeats.
    pub more: usize,
}

/// How many repeated keys of one object are listed one by one (the rest are counted).
pub const LISTED_DUPLICATES: usize = 3;

/// Notes the repeated keys of one object into `found`: the first [`LISTED_DUPLICATES`] are
/// listed (in the order of the text), the others counted on the last one listed.
#[derive(Default)]
struct Repeats {
    listed: usize,
    /// Where the last one listed is in `found`.
    last: usize,
}

impl Repeats {
    /// Notes a repetition, written `key`, of the key first written `first` in the object at
    /// `parent` (built only when it is listed).
    fn note(
        &mut self,
        found: &mut Vec<DuplicateKey>,
        parent: impl FnOnce() -> Pointer,
        first: &str,
        key: &str,
    ) {
        if self.listed >= LISTED_DUPLICATES {
            if let Some(last) = found.get_mut(self.last) {
                last.more += 1;
                return;
            }
        }
        self.listed += 1;
        self.last = found.len();
        found.push(DuplicateKey {
            parent: parent(),
            key: first.to_owned(),
            spelled: (key != first).then(|| key.to_owned()),
            more: 0,
        });
    }
}

/// The top level of a document, its parts left unparsed.
pub enum Top<'t> {
    /// Members of the root object in document order, keys as written.
    Object(Vec<(String, TopValue<'t>)>),
    /// Elements of the root array.
    Array(Vec<&'t RawValue>),
    /// A string, number, boolean or null.
    Scalar,
}

/// The value of a root object's member, read as far as the loader needs it.
#[derive(Clone)]
pub enum TopValue<'t> {
    /// An array (a collection's `value`), unparsed.
    Array(&'t str),
    /// A string (`@odata.context`, `@odata.nextLink`).
    Str(String),
    /// An object, unparsed (the sections of a ScubaGear provider export).
    Object(&'t str),
    /// A number, a boolean or null.
    Other,
}

impl TopValue<'_> {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            TopValue::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Validates `text` as strict JSON (RFC 8259) and returns its top level.
pub fn parse_top(text: &str) -> Result<Top<'_>, serde_json::Error> {
    // An export's root is an object: read by hand when it is valid; serde_json reads anything
    // else, and says what is wrong with what is not valid.
    if let Some(top) = parse_top_object(text) {
        return Ok(top);
    }
    parse_top_serde(text)
}

/// [`parse_top`] through serde_json.
fn parse_top_serde(text: &str) -> Result<Top<'_>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let top = de.deserialize_any(TopVisitor)?;
    de.end()?;
    Ok(top)
}

/// [`parse_top`] of a document whose root is an object, read by hand: each key as serde_json
/// reads it, each value validated as serde_json validates the text of a value it keeps unread
/// (`RawValue`), without a limit on nesting, with escapes checked for their form only. `None`
/// when the root is not an object or the text is not valid.
fn parse_top_object(text: &str) -> Option<Top<'_>> {
    let b = text.as_bytes();
    let mut pos = skip_ws(b, 0);
    if b.get(pos) != Some(&b'{') {
        return None;
    }
    let mut members = Vec::new();
    pos = skip_ws(b, pos + 1);
    if b.get(pos) == Some(&b'}') {
        pos += 1;
    } else {
        loop {
            let (key, len) = string_at(text.get(pos..)?)?;
            pos = skip_ws(b, pos + len);
            if b.get(pos) != Some(&b':') {
                return None;
            }
            pos = skip_ws(b, pos + 1);
            let end = value_end(b, pos)?;
            members.push((key, top_value(text.get(pos..end)?)));
            pos = skip_ws(b, end);
            match b.get(pos) {
                Some(b',') => pos = skip_ws(b, pos + 1),
                Some(b'}') => {
                    pos += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    (skip_ws(b, pos) == b.len()).then_some(Top::Object(members))
}

/// Where the JSON value that starts at `pos` ends, when it is valid: validated as serde_json
/// passes over a value (its `ignore_value`), without recursion and so at any depth.
fn value_end(b: &[u8], mut pos: usize) -> Option<usize> {
    // The arrays (`[`) and objects (`{`) the value is in.
    let mut open: Vec<u8> = Vec::new();
    loop {
        // A value.
        pos = skip_ws(b, pos);
        match *b.get(pos)? {
            c @ (b'[' | b'{') => {
                let close = if c == b'[' { b']' } else { b'}' };
                pos = skip_ws(b, pos + 1);
                if b.get(pos) == Some(&close) {
                    pos += 1;
                } else {
                    open.push(c);
                    if c == b'{' {
                        pos = member_key(b, pos)?;
                    }
                    continue;
                }
            }
            b'"' => pos = string_value_end(b, pos + 1)?,
            b't' => pos = word_end(b, pos, b"true")?,
            b'f' => pos = word_end(b, pos, b"false")?,
            b'n' => pos = word_end(b, pos, b"null")?,
            b'-' | b'0'..=b'9' => pos = number_end(b, pos)?,
            _ => return None,
        }
        // After a value: the containers it closes, up to the next value.
        loop {
            let Some(&c) = open.last() else {
                return Some(pos);
            };
            pos = skip_ws(b, pos);
            match (*b.get(pos)?, c) {
                (b',', b'[') => {
                    pos += 1;
                    break;
                }
                (b',', _) => {
                    pos = member_key(b, skip_ws(b, pos + 1))?;
                    break;
                }
                (b']', b'[') | (b'}', b'{') => {
                    open.pop();
                    pos += 1;
                }
                _ => return None,
            }
        }
    }
}

/// Past the key of a member (at its opening quote) and its colon.
fn member_key(b: &[u8], pos: usize) -> Option<usize> {
    if b.get(pos) != Some(&b'"') {
        return None;
    }
    let pos = skip_ws(b, string_value_end(b, pos + 1)?);
    (b.get(pos) == Some(&b':')).then_some(pos + 1)
}

/// Where the string whose text starts at `pos` ends (after its closing quote), when it is valid:
/// no control character, and each escape one JSON allows (`\u` with four hex digits, whatever
/// code point they name).
fn string_value_end(b: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        pos += string_stop(b.get(pos..)?)?;
        match b[pos] {
            b'"' => return Some(pos + 1),
            b'\\' => match *b.get(pos + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => pos += 2,
                b'u' => {
                    let hex = b.get(pos + 2..pos + 6)?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return None;
                    }
                    pos += 6;
                }
                _ => return None,
            },
            _ => return None,
        }
    }
}

/// Past the word `word` (`true`, `false`, `null`) at `pos`.
fn word_end(b: &[u8], pos: usize, word: &[u8]) -> Option<usize> {
    (b.get(pos..pos + word.len())? == word).then_some(pos + word.len())
}

/// Past the number at `pos`: `-`, one `0` or digits not starting with `0`, then a fraction and
/// an exponent, each with at least one digit.
fn number_end(b: &[u8], mut pos: usize) -> Option<usize> {
    let digits = |pos: usize| {
        pos + b
            .get(pos..)
            .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
    };
    if b.get(pos) == Some(&b'-') {
        pos += 1;
    }
    match *b.get(pos)? {
        b'0' => pos += 1,
        b'1'..=b'9' => pos = digits(pos),
        _ => return None,
    }
    if b.get(pos) == Some(&b'.') {
        let end = digits(pos + 1);
        if end == pos + 1 {
            return None;
        }
        pos = end;
    }
    if let Some(b'e' | b'E') = b.get(pos) {
        pos += 1;
        if let Some(b'+' | b'-') = b.get(pos) {
            pos += 1;
        }
        let end = digits(pos);
        if end == pos {
            return None;
        }
        pos = end;
    }
    Some(pos)
}

/// The top level of the JSON value `text` starts with (more may follow, as in an array being
/// read element by element), and the length of its text.
pub fn parse_top_prefix(text: &str) -> Result<(Top<'_>, usize), serde_json::Error> {
    struct Whole<'t>(Top<'t>);
    impl<'de> serde::Deserialize<'de> for Whole<'de> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(TopVisitor).map(Whole)
        }
    }
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<Whole<'_>>();
    match values.next() {
        Some(Ok(Whole(top))) => Ok((top, values.byte_offset())),
        Some(Err(e)) => Err(e),
        None => Err(serde::de::Error::custom("no value")),
    }
}

/// Calls `each` with where every element of the array that starts at `array` in `text` starts;
/// `each` returns where the element ends, or `None` to stop. Returns where the array ends, or
/// `None` when it stopped or the text is not an array there.
pub fn each_element(
    text: &str,
    array: usize,
    mut each: impl FnMut(usize) -> Option<usize>,
) -> Option<usize> {
    let b = text.as_bytes();
    if b.get(array) != Some(&b'[') {
        return None;
    }
    let mut pos = skip_ws(b, array + 1);
    if b.get(pos) == Some(&b']') {
        return Some(pos + 1);
    }
    loop {
        pos = skip_ws(b, each(pos)?);
        match b.get(pos) {
            Some(b',') => pos = skip_ws(b, pos + 1),
            Some(b']') => return Some(pos + 1),
            _ => return None,
        }
    }
}

/// Keys repeated among the root object's members (reading a member finds those below).
pub fn duplicate_members(members: &[(String, TopValue<'_>)]) -> Vec<DuplicateKey> {
    // The first spelling of each key, by the key lower-cased.
    let mut seen: HashMap<String, &str> = HashMap::with_capacity(members.len());
    let mut repeats = Repeats::default();
    let mut found = Vec::new();
    for (key, _) in members {
        match seen.entry(key.to_ascii_lowercase()) {
            Entry::Occupied(first) => repeats.note(&mut found, Pointer::root, first.get(), key),
            Entry::Vacant(v) => {
                v.insert(key);
            }
        }
    }
    found
}

struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Top<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top<'de>, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let raw = map.next_value::<&'de RawValue>()?.get();
            out.push((key, top_value(raw)));
        }
        Ok(Top::Object(out))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Top<'de>, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element::<&'de RawValue>()? {
            out.push(v);
        }
        Ok(Top::Array(out))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Top<'de>, E> {
        Ok(Top::Scalar)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Top<'de>, E> {
        Ok(Top::Scalar)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Top<'de>, E> {
        Ok(Top::Scalar)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Top<'de>, E> {
        Ok(Top::Scalar)
    }
    fn visit_str<E>(self, _: &str) -> Result<Top<'de>, E> {
        Ok(Top::Scalar)
    }
    fn visit_unit<E>(self) -> Result<Top<'de>, E> {
        Ok(Top::Scalar)
    }
}

/// A root member's value, from its (valid) text.
fn top_value(raw: &str) -> TopValue<'_> {
    match raw.as_bytes().first() {
        Some(b'[') => TopValue::Array(raw),
        Some(b'{') => TopValue::Object(raw),
        Some(b'"') => serde_json::from_str(raw).map_or(TopValue::Other, TopValue::Str),
        _ => TopValue::Other,
    }
}

/// The start of a Graph collection whose `@odata.context` comes first, read without validating
/// what follows: `{"@odata.context": "…", more annotations, "value": [`.
pub struct Head<'t> {
    /// The members before `value`, keys as written.
    pub members: Vec<(String, TopValue<'t>)>,
    /// The `value` key as written.
    pub value_key: String,
    /// Where the `value` array starts (its `[`).
    pub array: usize,
}

/// The [`Head`] of `text`, or `None` when the text does not start that way: not an object, a first
/// member other than `@odata.context`, a member before `value` that is not an annotation, a key
/// repeated (ignoring case), a `value` that is not an array, or JSON that is not valid.
pub fn collection_head(text: &str) -> Option<Head<'_>> {
    let b = text.as_bytes();
    let mut pos = skip_ws(b, 0);
    if b.get(pos) != Some(&b'{') {
        return None;
    }
    let mut members: Vec<(String, TopValue<'_>)> = Vec::new();
    // The keys so far, lower-cased.
    let mut seen = HashSet::new();
    loop {
        pos = skip_ws(b, pos + 1);
        let (key, len) = string_at(&text[pos..])?;
        pos = skip_ws(b, pos + len);
        if b.get(pos) != Some(&b':') {
            return None;
        }
        pos = skip_ws(b, pos + 1);
        if members.is_empty() && !key.eq_ignore_ascii_case("@odata.context")
            || !seen.insert(key.to_ascii_lowercase())
        {
            return None;
        }
        if key.eq_ignore_ascii_case("value") {
            return (b.get(pos) == Some(&b'[')).then_some(Head {
                members,
                value_key: key,
                array: pos,
            });
        }
        if !is_annotation(&key) {
            return None;
        }
        let len = value_len(&text[pos..])?;
        members.push((key, top_value(&text[pos..pos + len])));
        pos = skip_ws(b, pos + len);
        if b.get(pos) != Some(&b',') {
            return None;
        }
    }
}

/// Whether a member name is an annotation rather than a property: an OData instance annotation,
/// `@namespace.term` or `property@namespace.term` (`@odata.context`, `@odata.count`,
/// `@microsoft.graph.tips`, `includeUsers@odata.type`), or an advertised action or function,
/// `#namespace.name`. See the OData JSON format, sections 4.5 and 18
/// (https://docs.oasis-open.org/odata/odata-json-format/v4.01/odata-json-format-v4.01.html); Graph
/// adds `@microsoft.graph.tips` to responses without `$select` in developer mode, as Graph
/// Explorer requests (Microsoft Graph REST API guidelines, "default properties" pattern,
/// https://github.com/microsoft/api-guidelines/blob/vNext/graph/patterns/default-properties.md).
pub fn is_annotation(key: &str) -> bool {
    if key.starts_with('#') {
        return true;
    }
    let Some((property, term)) = key.split_once('@') else {
        return false;
    };
    let identifier = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !s.starts_with(|c: char| c.is_ascii_digit())
    };
    (property.is_empty() || identifier(property))
        && term.split('.').count() >= 2
        && term.split('.').all(identifier)
}

/// `text` with every trailing comma (a comma before `}` or `]`, outside strings) replaced by a
/// space, so that offsets stay those of `text`, and where each was; `None` when there is none.
pub fn without_trailing_commas(text: &str) -> Option<(String, Vec<usize>)> {
    let b = text.as_bytes();
    let mut commas = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                // Past the string: its closing quote is the first one not escaped.
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b',' if matches!(b.get(skip_ws(b, i + 1)), Some(b'}' | b']')) => commas.push(i),
            _ => {}
        }
        i += 1;
    }
    if commas.is_empty() {
        return None;
    }
    let mut fixed = text.as_bytes().to_vec();
    for &at in &commas {
        fixed[at] = b' ';
    }
    // Only ASCII commas became ASCII spaces: still UTF-8.
    Some((String::from_utf8(fixed).ok()?, commas))
}

/// Whether all that follows `at` is the end of the root object: `}` and whitespace.
pub fn is_tail(text: &str, at: usize) -> bool {
    let b = text.as_bytes();
    let pos = skip_ws(b, at);
    b.get(pos) == Some(&b'}') && skip_ws(b, pos + 1) == b.len()
}

/// The length of the JSON value `text` starts with (more may follow), validated as the whole text
/// is by [`parse_top`]; `None` if it is not valid.
pub fn value_len(text: &str) -> Option<usize> {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<IgnoredAny>();
    values.next()?.ok()?;
    Some(values.byte_offset())
}

/// The length of the JSON value `text` starts with (more may follow), when the text is known to
/// be valid (it was validated by [`parse_top`]): found from its quotes and brackets alone, without
/// reading the value, so that the elements of a large array are found at a small part of the cost
/// of parsing them. On text that is not valid the answer is meaningless (but `None` rather than
/// past the text): a caller that reads the value afterwards checks the length it finds.
pub fn valid_len(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    match b.first()? {
        b'"' => string_end(b, 1),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = 0;
            loop {
                i = next_structural(b, i)?;
                match b[i] {
                    b'"' => {
                        i = string_end(b, i + 1)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        // A number, `true`, `false` or `null`: up to what ends it.
        _ => Some(
            b.iter()
                .position(|c| matches!(c, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(b.len()),
        ),
    }
}

/// The members of the object `text` starts with, and the length of its text, when the text is
/// known to be valid (as for [`valid_len`]): [`parse_top_prefix`]'s answer for such text, found
/// from quotes and brackets rather than by validating it again. On text that is not valid the
/// answer is meaningless (a caller compares the length with the one it expects).
pub fn valid_members(text: &str) -> Option<(Vec<(String, TopValue<'_>)>, usize)> {
    let b = text.as_bytes();
    let start = skip_ws(b, 0);
    if b.get(start) != Some(&b'{') {
        return None;
    }
    let mut members = Vec::new();
    let mut pos = skip_ws(b, start + 1);
    if b.get(pos) == Some(&b'}') {
        return Some((members, pos + 1));
    }
    loop {
        let (key, len) = string_at(text.get(pos..)?)?;
        pos = skip_ws(b, pos + len);
        if b.get(pos) != Some(&b':') {
            return None;
        }
        pos = skip_ws(b, pos + 1);
        let raw = text.get(pos..)?;
        let len = valid_len(raw)?;
        members.push((key, top_value(raw.get(..len)?)));
        pos = skip_ws(b, pos + len);
        match b.get(pos) {
            Some(b',') => pos = skip_ws(b, pos + 1),
            Some(b'}') => return Some((members, pos + 1)),
            _ => return None,
        }
    }
}

/// The first position from `from` that may hold a quote or a bracket, eight bytes at a time:
/// a byte is looked at when it is `"`, or when setting its `0x20` bit and clearing its `0x06` bits
/// makes it `y` (`[`, `]`, `{` and `}` do; so do a few letters, looked at and passed over).
fn next_structural(b: &[u8], mut from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    while let Some(chunk) = b.get(from..from + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let w = u64::from_le_bytes(w);
        let bracket = ((w | (0x20 * ONES)) & !(0x06 * ONES)) ^ (0x79 * ONES);
        let quote = w ^ (0x22 * ONES);
        let found = has_zero(bracket) | has_zero(quote);
        if found != 0 {
            // The lowest flagged byte is a true one (borrows only run upwards).
            return Some(from + found.trailing_zeros() as usize / 8);
        }
        from += 8;
    }
    let rest = b.get(from..)?;
    let at = rest
        .iter()
        .position(|c| matches!(c, b'"' | b'{' | b'}' | b'[' | b']'))?;
    Some(from + at)
}

/// Where the string whose contents start at `from` ends (after its closing quote). `memchr2`
/// rather than [`string_stop`]: the strings of an export (ids, names) are long enough for its
/// wide search to pay, and valid text needs no look for control characters.
fn string_end(b: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let at = from + memchr::memchr2(b'"', b'\\', b.get(from..)?)?;
        if b[at] == b'"' {
            return Some(at + 1);
        }
        // An escape: the character after the backslash is part of it (`\"`, `\\`).
        from = at + 2;
    }
}

/// The position of the first byte of a string's text (after its opening quote) that ends it
/// (`"`), starts an escape (`\`), or is a control character (which JSON allows only escaped),
/// eight bytes at a time: most strings of an export are a few dozen bytes, too short for a search to
/// pay for setting itself up.
pub fn string_stop(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The top bit of each byte of `x` that is zero, or, with `n`, less than `n` (at most 128):
    // exact for the lowest such byte, which is all that is asked.
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let words = bytes.chunks_exact(8);
    let rest = words.remainder();
    for (i, w) in words.enumerate() {
        let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        let found = below(x ^ (ONES * u64::from(b'"')), 1)
            | below(x ^ (ONES * u64::from(b'\\')), 1)
            | below(x, 0x20);
        if found != 0 {
            return Some(i * 8 + found.trailing_zeros() as usize / 8);
        }
    }
    let base = bytes.len() - rest.len();
    rest.iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .map(|i| base + i)
}

/// The string `text` starts with, and its length.
fn string_at(text: &str) -> Option<(String, usize)> {
    if !text.starts_with('"') {
        return None;
    }
    let end = 1 + string_stop(&text.as_bytes()[1..])?;
    if text.as_bytes()[end] == b'"' {
        return Some((text[1..end].to_owned(), end + 1));
    }
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<String>();
    let s = values.next()?.ok()?;
    Some((s, values.byte_offset()))
}

/// The position after the JSON whitespace at `pos`.
pub fn skip_ws(b: &[u8], mut pos: usize) -> usize {
    // The indentation of a pretty-printed export, eight spaces at a time.
    while b.get(pos..pos + 8) == Some(b"        ") {
        pos += 8;
    }
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(pos) {
        pos += 1;
    }
    pos
}

/// What reading one value found besides the value itself.
#[derive(Debug, Default)]
pub struct Findings {
    pub duplicates: Vec<DuplicateKey>,
    /// Pointers of strings that are PowerShell type names left by a `ConvertTo-Json` depth limit,
    /// e.g. `Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessUsers`.
    pub truncated: Vec<(Pointer, String)>,
    /// Members of an `AdditionalProperties` object that the object holding it also has, with a
    /// different value (the object's own is used): the pointer of the one not used, and the name
    /// of the member used.
    pub shadowed: Vec<(Pointer, String)>,
}

/// Reads one JSON value (located at `at` in its file) into a normalised `Value`. Nesting deeper
/// than serde_json's recursion limit (128) is an error, never a crash.
pub fn parse_value(
    raw: &str,
    at: &Pointer,
    findings: &mut Findings,
) -> Result<Value, serde_json::Error> {
    let state = State {
        path: RefCell::new(at.as_str().to_owned()),
        findings: RefCell::new(std::mem::take(findings)),
    };
    let mut de = serde_json::Deserializer::from_str(raw);
    let result = Seed(&state)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    *findings = state.findings.into_inner();
    result
}

/// [`parse_value`] of the value `text` starts with (more may follow, as in an array read element
/// by element): the value and the length of its text, in one pass rather than one to find where
/// the value ends and one to read it.
pub fn parse_value_prefix(
    text: &str,
    at: &Pointer,
    findings: &mut Findings,
) -> Result<(Value, usize), serde_json::Error> {
    let state = State {
        path: RefCell::new(at.as_str().to_owned()),
        findings: RefCell::new(std::mem::take(findings)),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let result = Seed(&state).deserialize(&mut de);
    *findings = state.findings.into_inner();
    // A stream made of the rest starts where the value ends.
    let len = de.into_iter::<IgnoredAny>().byte_offset();
    result.map(|v| (v, len))
}

struct State {
    /// The pointer of the value being read (escaped text, grown and cut back as it goes).
    path: RefCell<String>,
    findings: RefCell<Findings>,
}

#[derive(Clone, Copy)]
struct Seed<'a>(&'a State);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Seed<'_> {
    fn enter(&self, token: &str) -> usize {
        let mut path = self.0.path.borrow_mut();
        let len = path.len();
        path.push('/');
        for c in token.chars() {
            match c {
                '~' => path.push_str("~0"),
                '/' => path.push_str("~1"),
                c => path.push(c),
            }
        }
        len
    }
    fn enter_index(&self, i: usize) -> usize {
        use std::fmt::Write;
        let mut path = self.0.path.borrow_mut();
        let len = path.len();
        let _ = write!(path, "/{i}");
        len
    }
    fn leave(&self, len: usize) {
        self.0.path.borrow_mut().truncate(len);
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        self.visit_string(v.to_owned())
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        if is_depth_truncated(&v) {
            let at = Pointer::parse(&self.0.path.borrow());
            self.0.findings.borrow_mut().truncated.push((at, v.clone()));
        }
        Ok(Value::String(ms_date(&v).unwrap_or(v)))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let len = self.enter_index(items.len());
            let next = seq.next_element_seed(self);
            self.leave(len);
            match next? {
                Some(v) => items.push(v),
                None => break,
            }
        }
        // A null element becomes an empty value of its siblings' type (indices stay the file's).
        if items.iter().any(Value::is_null) {
            let filler = match items.iter().find(|v| !v.is_null()) {
                Some(Value::String(_)) => Some(Value::String(String::new())),
                Some(Value::Object(_)) => Some(Value::Object(Map::new())),
                Some(Value::Array(_)) => Some(Value::Array(Vec::new())),
                _ => None,
            };
            items = items
                .into_iter()
                .filter_map(|v| if v.is_null() { filler.clone() } else { Some(v) })
                .collect();
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        // The keys met so far, by the key lower-cased: how each was first written, and under
        // which key its last value is in `out`.
        let mut seen = Seen::default();
        let mut repeats = Repeats::default();
        // The members of an `AdditionalProperties` object, with where it is.
        let mut additional = None;
        while let Some(key) = map.next_key::<String>()? {
            // The member a repetition replaces, in whatever case it was written.
            let mut replaced = None;
            if let Some((first, last)) = seen.get_mut(&key) {
                let found = &mut self.0.findings.borrow_mut().duplicates;
                repeats.note(found, || Pointer::parse(&self.0.path.borrow()), first, &key);
                replaced = Some(normal_key(last.as_deref().unwrap_or(first)));
                *last = Some(key.clone());
            } else {
                seen.insert(key.clone());
            }
            if let Some(old) = replaced {
                out.remove(&old);
            }
            if key.eq_ignore_ascii_case("@odata.type") {
                let len = self.enter(&key);
                let value = map.next_value_seed(self);
                self.leave(len);
                out.insert("@odata.type".to_owned(), value?);
                continue;
            }
            if is_annotation(&key) {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let len = self.enter(&key);
            let value = map.next_value_seed(self);
            let additional_at = key.eq_ignore_ascii_case(ADDITIONAL);
            let at = additional_at.then(|| Pointer::parse(&self.0.path.borrow()));
            self.leave(len);
            let value = value?;
            if let (Some(at), Value::Object(members)) = (at, &value) {
                additional = Some((at, members.clone()));
                continue;
            }
            let key = lower_first(key);
            if !value.is_null() {
                out.insert(key, value);
            }
        }
        if let Some((at, members)) = additional {
            for (key, value) in members {
                match out.get(&key) {
                    Some(own) if *own != value => {
                        let used = key.clone();
                        let findings = &mut self.0.findings.borrow_mut().shadowed;
                        findings.push((at.child(&key), used));
                    }
                    Some(_) => {}
                    None => {
                        out.insert(key, value);
                    }
                }
            }
        }
        Ok(Value::Object(out))
    }
}

/// The keys of an object met so far, letter case aside: how each was first written, and under
/// which key its last value is kept. A few are searched in a list, more in a map by the key
/// lower-cased (allocating and hashing every key of every object costs more than comparing a
/// dozen short keys).
///
/// Each key is noted as first written, and as last written when it was repeated: its value is
/// in `out` under the last one's [`normal_key`] (made only when a repetition replaces it).
enum Seen {
    Few(Vec<(String, Option<String>)>),
    Many(HashMap<String, (String, Option<String>)>),
}

impl Default for Seen {
    fn default() -> Self {
        Seen::Few(Vec::new())
    }
}

impl Seen {
    /// Keys searched in a list before they are moved to a map.
    const FEW: usize = 16;

    fn get_mut(&mut self, key: &str) -> Option<&mut (String, Option<String>)> {
        match self {
            Seen::Few(list) => list
                .iter_mut()
                .find(|(first, _)| first.eq_ignore_ascii_case(key)),
            Seen::Many(map) => map.get_mut(&key.to_ascii_lowercase()),
        }
    }

    /// Notes a key not met before.
    fn insert(&mut self, first: String) {
        match self {
            Seen::Few(list) if list.len() < Self::FEW => list.push((first, None)),
            Seen::Few(list) => {
                let mut map: HashMap<String, (String, Option<String>)> = std::mem::take(list)
                    .into_iter()
                    .map(|(f, n)| (f.to_ascii_lowercase(), (f, n)))
                    .collect();
                map.insert(first.to_ascii_lowercase(), (first, None));
                *self = Seen::Many(map);
            }
            Seen::Many(map) => {
                map.insert(first.to_ascii_lowercase(), (first, None));
            }
        }
    }
}

/// The member, lower-cased, in which the Graph PowerShell SDK keeps the properties of an object
/// its model does not declare (`IAssociativeArray.AdditionalProperties`, written by
/// `ConvertTo-Json` on every object of a cmdlet's output; see
/// https://github.com/microsoftgraph/msgraph-sdk-powershell/blob/dev/docs/FAQ.md).
pub(crate) const ADDITIONAL: &str = "additionalproperties";

/// The ISO 8601 date of a Windows PowerShell 5.1 `ConvertTo-Json` date, `/Date(1647536088205)/`
/// (milliseconds since 1970-01-01 UTC, possibly followed by the writer's UTC offset, `+0100`,
/// which does not change the instant; see the `DataContractJsonSerializer` date format,
/// https://learn.microsoft.com/dotnet/framework/wcf/feature-details/stand-alone-json-serialization#datestime-wire-format).
/// `None` for any other string.
pub fn ms_date(s: &str) -> Option<String> {
    let inner = s.strip_prefix("/Date(")?.strip_suffix(")/")?;
    let digits = match inner.get(1..).and_then(|rest| rest.find(['+', '-'])) {
        Some(i) => {
            let (ms, offset) = inner.split_at(i + 1);
            let ok = offset.len() == 5 && offset[1..].bytes().all(|b| b.is_ascii_digit());
            ok.then_some(ms)?
        }
        None => inner,
    };
    let ms: i64 = digits.parse().ok()?;
    let (secs, millis) = (ms.div_euclid(1000), ms.rem_euclid(1000));
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date (Howard Hinnant's `civil_from_days`,
    // https://howardhinnant.github.io/date_algorithms.html#civil_from_days).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    if !(0..=9999).contains(&year) {
        return None;
    }
    let (h, m, sec) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let fraction = if millis == 0 {
        String::new()
    } else {
        format!(".{millis:03}")
    };
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{sec:02}{fraction}Z"
    ))
}

/// FNV-1a of the key lower-cased: a cheap hash for spotting repeated keys, in any case.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The key a member is kept under in a normalised object (see [`parse_value`]): annotations are
/// dropped, `@odata.type` in any case is itself, other keys are lower-first.
fn normal_key(key: &str) -> String {
    if key.eq_ignore_ascii_case("@odata.type") {
        "@odata.type".to_owned()
    } else {
        lower_first(key.to_owned())
    }
}

fn lower_first(key: String) -> String {
    match key.chars().next() {
        Some(c) if c.is_ascii_uppercase() => {
            let mut s = key;
            s[..1].make_ascii_lowercase();
            s
        }
        _ => key,
    }
}

/// PowerShell's `ConvertTo-Json` writes the .NET type name of an object nested deeper than `-Depth`.
pub fn is_depth_truncated(s: &str) -> bool {
    const PREFIXES: [&str; 3] = [
        "Microsoft.Graph.PowerShell.Models.",
        "Microsoft.Graph.Beta.PowerShell.Models.",
        "Microsoft.Graph.PowerShell.Authentication.",
    ];
    const EXACT: [&str; 4] = [
        "System.Collections.Hashtable",
        "System.Object[]",
        "System.Management.Automation.PSCustomObject",
        "System.Collections.Generic.Dictionary`2[System.String,System.Object]",
    ];
    PREFIXES.iter().any(|p| s.starts_with(p)) || EXACT.contains(&s)
}

/// Case-insensitive member lookup among the top-level members (the last one wins).
pub fn member<'a, 't>(
    members: &'a [(String, TopValue<'t>)],
    key: &str,
) -> Option<&'a (String, TopValue<'t>)> {
    members
        .iter()
        .rev()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    #[test]
    fn annotations_are_any_namespace_qualified_term() {
        for key in [
            "@odata.context",
            "@odata.count",
            "@odata.deltaLink",
            "@microsoft.graph.tips",
            "includeUsers@odata.type",
            "value@odata.nextLink",
            "#microsoft.graph.restore",
        ] {
            assert!(super::is_annotation(key), "{key}");
        }
        for key in [
            "value",
            "displayName",
            "@",
            "a@b",
            "x@odata.",
            "@.x",
            "a b@odata.type",
        ] {
            assert!(!super::is_annotation(key), "{key}");
        }
    }

    use super::*;
    use serde_json::json;

    fn read(text: &str) -> (Value, Findings) {
        let mut f = Findings::default();
        let v = parse_value(text, &Pointer::root(), &mut f).unwrap();
        (v, f)
    }

    #[test]
    fn duplicate_keys_last_wins_and_are_recorded() {
        let (v, f) = read(r#"{"a": {"s": 1, "s": {"x": 1}}, "b": [ {"k":1,"k":2} ]}"#);
        assert_eq!(v, json!({"a": {"s": {"x": 1}}, "b": [{"k": 2}]}));
        assert_eq!(
            f.duplicates,
            vec![
                DuplicateKey {
                    parent: Pointer::parse("/a"),
                    key: "s".into(),
                    spelled: None,
                    more: 0
                },
                DuplicateKey {
                    parent: Pointer::parse("/b/0"),
                    key: "k".into(),
                    spelled: None,
                    more: 0
                },
            ]
        );
    }

    #[test]
    fn repetitions_past_the_first_few_of_an_object_are_counted_not_listed() {
        let (_, f) =
            read(r#"{"o": {"a":1,"a":2,"b":1,"b":2,"a":3,"c":1,"c":2,"a":4}, "d":1, "d":2}"#);
        let listed: Vec<_> = f
            .duplicates
            .iter()
            .map(|d| (d.parent.as_str(), d.key.as_str(), d.more))
            .collect();
        assert_eq!(
            listed,
            [("/o", "a", 0), ("/o", "b", 0), ("/o", "a", 2), ("", "d", 0)]
        );
        let Top::Object(members) = parse_top(r#"{"x":1,"x":2,"x":3,"y":1,"x":4,"y":2}"#).unwrap()
        else {
            panic!()
        };
        let listed: Vec<_> = duplicate_members(&members)
            .into_iter()
            .map(|d| (d.key, d.more))
            .collect();
        assert_eq!(listed, [("x".into(), 0), ("x".into(), 0), ("x".into(), 1)]);
    }

    #[test]
    fn keys_differing_only_in_case_are_repetitions_and_the_last_wins() {
        let (v, f) = read(r#"{"state": "enabled", "State": "disabled", "x": 1, "STATE": 2}"#);
        // Each repetition replaces the value before it, under its own (normalised) spelling.
        assert_eq!(v, json!({"x": 1, "sTATE": 2}));
        let listed: Vec<_> = f
            .duplicates
            .iter()
            .map(|d| (d.key.as_str(), d.spelled.as_deref()))
            .collect();
        assert_eq!(listed, [("state", Some("State")), ("state", Some("STATE"))]);
        let (v, f) = read(r#"{"State": "enabled", "state": "disabled"}"#);
        assert_eq!(v, json!({"state": "disabled"}));
        assert_eq!(f.duplicates.len(), 1);
        let Top::Object(members) = parse_top(r#"{"Value": [], "value": [1]}"#).unwrap() else {
            panic!()
        };
        let dups = duplicate_members(&members);
        assert_eq!(
            (dups[0].key.as_str(), dups[0].spelled.as_deref()),
            ("Value", Some("value"))
        );
    }

    #[test]
    fn a_null_duplicate_still_counts_and_a_later_null_clears() {
        let (v, f) = read(r#"{"s": null, "s": {"x": 1}, "t": 1, "t": null}"#);
        assert_eq!(v, json!({"s": {"x": 1}}));
        assert_eq!(f.duplicates.len(), 2);
    }

    #[test]
    fn top_level_is_split_without_parsing_the_parts() {
        let Top::Object(members) = parse_top(
            r#"{"@odata.context":"x","value":[{"a":1},{"b":[2]}],"n":{"k":[]},"value":[]}"#,
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(members.len(), 4);
        assert_eq!(duplicate_members(&members).len(), 1);
        let (_, context) = member(&members, "@odata.context").unwrap();
        assert_eq!(context.as_str(), Some("x"));
        let (_, value) = member(&members, "VALUE").unwrap();
        assert!(
            matches!(value, TopValue::Array("[]")),
            "the last duplicate wins"
        );
        assert!(matches!(
            members[1].1,
            TopValue::Array(r#"[{"a":1},{"b":[2]}]"#)
        ));
        assert!(matches!(members[2].1, TopValue::Object(r#"{"k":[]}"#)));
    }

    #[test]
    fn a_collection_head_is_read_without_the_rest() {
        let text = r#" {"@odata.context" : "x", "@odata.nextLink":"n",
            "Value": [1, {"a": [}"#;
        let head = collection_head(text).unwrap();
        assert_eq!(head.members.len(), 2);
        assert_eq!(head.members[1].1.as_str(), Some("n"));
        assert_eq!(head.value_key, "Value");
        assert_eq!(&text[head.array..head.array + 2], "[1");
        for other in [
            r#"{"value": [], "@odata.context": "x"}"#,
            r#"{"@odata.context": "x", "id": "1", "value": []}"#,
            r#"{"@odata.context": "x", "@ODATA.CONTEXT": "y", "value": []}"#,
            r#"{"@odata.context": "x", "value": {}}"#,
            r#"{"@odata.context": "x" "value": []}"#,
            r#"{"@odata.context": "x", "@odata.count": 01, "value": []}"#,
            r#"[{"@odata.context": "x"}]"#,
        ] {
            assert!(collection_head(other).is_none(), "{other}");
        }
        // Annotation names are matched ignoring case, as Graph's reader does.
        assert!(collection_head(r#"{"@ODATA.CONTEXT": "x", "value": []}"#).is_some());
        assert!(is_tail(" } \n", 0));
        assert!(!is_tail("}}", 0));
        assert!(!is_tail(", \"a\": 1}", 0));
        assert_eq!(value_len(r#"[1, "]"] , 2"#), Some(8));
        assert_eq!(value_len("12]"), Some(2));
        assert_eq!(value_len("[1,]"), None);
    }

    #[test]
    fn a_valid_value_is_measured_from_its_brackets_and_quotes() {
        for text in [
            r#"[1, "]"] , 2"#,
            "12]",
            "12",
            "-1.5e3 ,",
            "true}",
            "null\n]",
            r#""a\"b\\" , 1"#,
            r#""""#,
            r#"{"k": [1, {"x": "}{]["}], "e": "\\"}, 3"#,
            "{}",
            "[[[]]]]",
            "{\"a\":\"é—\\u00e9\"}\n",
        ] {
            assert_eq!(valid_len(text), value_len(text), "{text}");
        }
        // Brackets at every offset of an eight-byte word, and letters that look like them.
        for pad in 0..20 {
            let spaces = " ".repeat(pad);
            let text = format!(
                "[{spaces}{{\"y\":{spaces}[true,{spaces}null, 1e5,{{}}]}},\"_Y\"{spaces}] , 1"
            );
            assert_eq!(valid_len(&text), value_len(&text), "{text}");
        }
        // Text that is not valid is never measured past its end.
        for text in ["[1, 2", r#""abc"#, r#""ab\"#, "{", "", "]", "}"] {
            assert!(valid_len(text).is_none_or(|n| n <= text.len()), "{text}");
        }
    }

    #[test]
    fn trailing_commas_become_spaces() {
        let text = "[{\"a\": \",}\", \"b\": [1,] ,\n},\n]";
        let (fixed, at) = without_trailing_commas(text).unwrap();
        assert_eq!(fixed, "[{\"a\": \",}\", \"b\": [1 ]  \n} \n]");
        assert_eq!(at.len(), 3);
        assert!(parse_top(&fixed).is_ok());
        assert!(without_trailing_commas(r#"{"a": "x,]", "b": "\\"}"#).is_none());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        assert!(parse_top(&text).is_err());
        let nested = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
        let Top::Array(items) = parse_top(&nested).unwrap() else {
            panic!()
        };
        assert!(parse_value(
            items[0].get(),
            &Pointer::parse("/0"),
            &mut Findings::default()
        )
        .is_err());
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        assert!(parse_top("{} ]").is_err());
        assert!(parse_top("").is_err());
    }

    #[test]
    fn normalisation_drops_annotations_nulls_and_lowercases() {
        let (v, _) = read(
            r##"{
            "@odata.context": "x",
            "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
            "#microsoft.graph.restore": {"title": "restore"},
            "State@odata.type": "#microsoft.graph.conditionalAccessPolicyState",
            "State": "enabled",
            "SessionControls": null,
            "Conditions": {"Users": {"IncludeUsers": [null, "All"]}}
        }"##,
        );
        assert_eq!(
            v,
            json!({
                "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
                "state": "enabled",
                "conditions": {"users": {"includeUsers": ["", "All"]}}
            })
        );
    }

    #[test]
    fn windows_powershell_dates_are_iso_dates() {
        assert_eq!(
            ms_date("/Date(1647536088205)/").as_deref(),
            Some("2022-03-17T16:54:48.205Z")
        );
        assert_eq!(
            ms_date("/Date(0)/").as_deref(),
            Some("1970-01-01T00:00:00Z")
        );
        assert_eq!(
            ms_date("/Date(1668112094000+0100)/").as_deref(),
            Some("2022-11-10T20:28:14Z")
        );
        assert_eq!(
            ms_date("/Date(-86400000)/").as_deref(),
            Some("1969-12-31T00:00:00Z")
        );
        for other in [
            "/Date()/",
            "/Date(12a)/",
            "Date(1)",
            "/Date(1+01)/",
            "2022-03-17",
        ] {
            assert_eq!(ms_date(other), None, "{other}");
        }
        let (v, _) = read(r#"{"EndDateTime": "/Date(1647536088205)/"}"#);
        assert_eq!(v, json!({"endDateTime": "2022-03-17T16:54:48.205Z"}));
    }

    #[test]
    fn additional_properties_are_members_of_their_object() {
        let (v, f) = read(
            r#"{"State": "enabled", "AdditionalProperties": {"state": "disabled", "templateId": "t1", "x": {"AdditionalProperties": {}}},
                "Conditions": {"AdditionalProperties": {}, "Users": null}}"#,
        );
        assert_eq!(
            v,
            json!({"state": "enabled", "templateId": "t1", "x": {}, "conditions": {}})
        );
        assert_eq!(
            f.shadowed,
            [(
                Pointer::parse("/AdditionalProperties/state"),
                "state".to_owned()
            )]
        );
        // The same value twice is no conflict.
        let (_, f) = read(r#"{"State": "on", "AdditionalProperties": {"state": "on"}}"#);
        assert!(f.shadowed.is_empty());
    }

    #[test]
    fn depth_truncation_is_found_with_its_pointer() {
        let mut f = Findings::default();
        parse_value(
            r#"{"Conditions": {"Users": "Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessUsers"}}"#,
            &Pointer::parse("/value/0"),
            &mut f,
        )
        .unwrap();
        assert_eq!(f.truncated.len(), 1);
        assert_eq!(f.truncated[0].0.as_str(), "/value/0/Conditions/Users");
    }

    /// The members of a top level, in words, to compare two readings.
    fn shown(members: &[(String, TopValue<'_>)]) -> Vec<String> {
        members
            .iter()
            .map(|(k, v)| match v {
                TopValue::Array(raw) => format!("{k} array {raw}"),
                TopValue::Object(raw) => format!("{k} object {raw}"),
                TopValue::Str(s) => format!("{k} string {s}"),
                TopValue::Other => format!("{k} other"),
            })
            .collect()
    }

    /// On valid text, the members found from quotes and brackets are those a validating
    /// reading finds, with the same length.
    #[test]
    fn valid_members_are_those_parsing_finds() {
        let texts = [
            "{}",
            "{ }",
            " {\n} ",
            r#"{"DisplayName":"Global Administrator","RoleTemplateId":"62e90394-69f5-4237-9190-012177145e10","Assignments":[],"Rules":[{"Id":"a\"]}","Target":{"Operations":["All"]}}]} , 1"#,
            "{\n  \"a\" : 1 ,\n  \"\\u0041b\\\"c\" : \"x\\ny\" ,\t\"n\":null,\"t\":true,\"f\":-1.5e3,\"o\":{\"}\":\"{\"}\n}",
            r#"{"a":{"b":[[],{}]},"a":"é"}"#,
        ];
        for text in texts {
            let (parsed, len) = match parse_top_prefix(text) {
                Ok((Top::Object(members), len)) => (members, len),
                _ => panic!("{text}"),
            };
            let (found, found_len) = valid_members(text).expect(text);
            assert_eq!(shown(&found), shown(&parsed), "{text}");
            assert_eq!(found_len, len, "{text}");
        }
        assert!(valid_members("[]").is_none());
        assert!(valid_members(r#"{"a" 1}"#).is_none());
    }

    use proptest::prelude::*;

    proptest! {
        /// A string's text is looked through eight bytes at a time as it would be byte by byte.
        #[test]
        fn stops_where_a_byte_by_byte_search_stops(
            bytes in prop::collection::vec(
                prop::sample::select(vec![b'a', b' ', b'"', b'\\', 0x00, 0x1f, 0x20, 0x7f, 0x80, 0xc3, 0xff]),
                0..40,
            )
        ) {
            let naive = bytes.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20);
            prop_assert_eq!(string_stop(&bytes), naive);
        }
    }

    /// Values of every kind the hand reading of a root object tells apart; each valid.
    const VALUES: [&str; 16] = [
        "true",
        "false",
        "null",
        "0",
        "-12",
        "1.5e3",
        "2E-7",
        "-0.0",
        "1e400",
        r#""enabled""#,
        r#""\ud800 lone, but well formed""#,
        r#""\u00e9\n\t\/\\\"\b\f\r""#,
        r#""é中文""#,
        "[]",
        "{}",
        r#""/Date(1777406310050)/""#,
    ];
    /// Keys, one with an escape, one with a lone surrogate (which serde_json refuses in a key it
    /// reads, not in one it passes over).
    const KEYS: [&str; 5] = [
        r#""a""#,
        r#""Rules""#,
        r#""\u0041b""#,
        r#""""#,
        r#""\ud800""#,
    ];
    /// What makes text invalid, put anywhere.
    const WRONG: [&str; 16] = [
        ",",
        ":",
        "]",
        "}",
        "{",
        "[",
        "\"",
        "\\",
        "\u{1}",
        "x",
        "01",
        "1.",
        "-",
        "1e",
        r#""\u12""#,
        r#""\q""#,
    ];

    /// Values serde_json refuses, each alone where a value stands.
    const WRONG_VALUES: [&str; 18] = [
        "\"a\u{1}b\"",
        "\"tab\there\"",
        "01",
        "-01",
        "1.",
        "1.e3",
        "-",
        "1e",
        "1e+",
        ".5",
        "+1",
        r#""\u12""#,
        r#""\u12g4""#,
        r#""\q""#,
        "tru",
        "nul",
        "[1,]",
        r#"{"a"}"#,
    ];

    /// JSON values, nested, with whitespace between their tokens.
    fn values() -> impl Strategy<Value = String> {
        values_of(VALUES.to_vec())
    }

    /// Values nested as [`values`] are, some of them one serde_json refuses.
    fn wrong_values() -> impl Strategy<Value = String> {
        values_of([&VALUES[..], &WRONG_VALUES[..]].concat())
    }

    fn values_of(leaves: Vec<&'static str>) -> impl Strategy<Value = String> {
        let leaf = prop::sample::select(leaves).prop_map(str::to_owned);
        leaf.prop_recursive(8, 64, 5, |inner| {
            let space = prop::sample::select(vec!["", " ", "\n        ", "\t", "\r\n  "]);
            prop_oneof![
                prop::collection::vec((inner.clone(), space.clone()), 0..5).prop_map(|items| {
                    let items: Vec<String> = items
                        .into_iter()
                        .map(|(v, s)| format!("{s}{v}{s}"))
                        .collect();
                    format!("[{}]", items.join(","))
                }),
                prop::collection::vec((prop::sample::select(&KEYS[..]), inner, space), 0..5)
                    .prop_map(|members| {
                        let members: Vec<String> = members
                            .into_iter()
                            .map(|(k, v, s)| format!("{s}{k}{s}:{s}{v}"))
                            .collect();
                        format!("{{{}}}", members.join(","))
                    }),
            ]
        })
    }

    /// Root objects.
    fn roots() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![r#""a""#, r#""Rules""#, r#""\u0041b""#, r#""""#]);
        prop::collection::vec((key, values()), 0..6).prop_map(|members| {
            let members: Vec<String> = members
                .into_iter()
                .map(|(k, v)| format!("\n  {k}: {v}"))
                .collect();
            format!(" {{{}\n}}\n", members.join(","))
        })
    }

    /// Root objects with something wrong put in (or a byte cut out) somewhere.
    fn damaged() -> impl Strategy<Value = String> {
        let wrong = prop::sample::select(&WRONG[..]);
        (roots(), any::<prop::sample::Index>(), wrong, any::<bool>()).prop_map(
            |(text, at, wrong, cut)| {
                let mut at = at.index(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let rest = &text[at..];
                let skip = match cut {
                    true => rest.chars().next().map_or(0, char::len_utf8),
                    false => 0,
                };
                let put = if cut { "" } else { wrong };
                format!("{}{put}{}", &text[..at], &rest[skip..])
            },
        )
    }

    proptest! {
        /// A valid root object is read by hand, as serde_json reads it.
        #[test]
        fn reads_a_root_object_as_serde_json_does(text in roots()) {
            let Some(Top::Object(hand)) = parse_top_object(&text) else {
                panic!("not read by hand: {text}")
            };
            let Ok(Top::Object(serde)) = parse_top_serde(&text) else {
                panic!("serde_json refuses: {text}")
            };
            prop_assert_eq!(shown(&hand), shown(&serde));
        }

        /// Text serde_json refuses is refused by hand, and what is read is read alike.
        #[test]
        fn refuses_what_serde_json_refuses(text in damaged()) {
            let hand = parse_top_object(&text);
            match (&hand, parse_top_serde(&text)) {
                (Some(Top::Object(hand)), Ok(Top::Object(serde))) => {
                    prop_assert_eq!(shown(hand), shown(&serde), "{}", text)
                }
                (None, Err(_)) => {}
                // The hand reading reads only root objects; serde_json reads the rest.
                (None, Ok(Top::Array(_) | Top::Scalar)) => {}
                (hand, serde) => prop_assert!(
                    false,
                    "{:?}: by hand {}, serde_json {}",
                    text,
                    hand.is_some(),
                    serde.is_ok()
                ),
            }
        }

        /// So is text with a value serde_json refuses somewhere inside.
        #[test]
        fn refuses_the_values_serde_json_refuses(value in wrong_values()) {
            let text = format!(r#"{{"a": {value}}}"#);
            let hand = parse_top_object(&text);
            let serde = parse_top_serde(&text);
            prop_assert_eq!(hand.is_some(), serde.is_ok(), "{}", text);
        }

        /// Well-formed keys serde_json cannot read (a lone surrogate) are left to it.
        #[test]
        fn a_key_serde_json_refuses_is_refused(value in values()) {
            let text = format!(r#"{{"\ud800":{value}}}"#);
            prop_assert!(parse_top_object(&text).is_none() && parse_top_serde(&text).is_err());
        }
    }

    /// Each value serde_json refuses is refused, alone and inside a list or an object.
    #[test]
    fn each_value_serde_json_refuses_is_refused() {
        for wrong in WRONG_VALUES {
            for text in [
                format!(r#"{{"a":{wrong}}}"#),
                format!(r#"{{"a":[1,{wrong}]}}"#),
                format!(r#"{{"a":{{"b":{wrong}}}}}"#),
            ] {
                assert!(parse_top_serde(&text).is_err(), "{text}");
                assert!(parse_top_object(&text).is_none(), "{text}");
            }
        }
    }

    /// Nesting has no limit (serde_json passes over a value at any depth), and a value nested
    /// too deep to read into a tree is still validated.
    #[test]
    fn nesting_is_validated_at_any_depth() {
        let deep = format!(r#"{{"a":{}1{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_top_object(&deep).is_some());
        assert!(parse_top_serde(&deep).is_ok());
        let wrong = format!(r#"{{"a":{}1{}}}"#, "[".repeat(100_000), "]".repeat(99_999));
        assert!(parse_top_object(&wrong).is_none());
        assert!(parse_top(&wrong).is_err());
    }
}
