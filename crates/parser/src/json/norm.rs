//! The one-pass reader: a typed object straight from its text, normalised on the way.
//!
//! [`read_prefix`] deserialises `T` from a JSON text through `Norm`, an adapter over serde_json's
//! deserializer that applies the normalisation of [`parse_value`](super::parse_value) as the
//! typed model asks for each value, without building a `serde_json::Value`:
//! - keys reach the model lower-first, `@odata.type` (in any case) as itself, and annotations
//!   (keys containing `@odata.`, keys starting with `#`) not at all;
//! - a `null` member is an absent one: read as an option it is `None`, read as a sequence, a map
//!   or a struct it is empty (serde's default of the field);
//! - the values of members the model ignores are still walked (depth, repeated keys, truncation).
//!
//! What it cannot settle on the fly it does not guess at: it gives up with [`Unusual`], and the
//! loader reads that one object the careful way ([`parse_value`](super::parse_value), then the
//! model from the normalised value), which records what there is to record and points at the
//! offending field. Unusual are:
//! - a repeated key (serde's derive rejects a repeated field; the careful way keeps the last value
//!   and reports the repetition, JSON002);
//! - a string that is a PowerShell depth-truncation marker (JSON004 needs its pointer);
//! - a `null` array element (it becomes the empty value of its siblings' type, which are not
//!   known yet), and a `null` member of a field read any other way than above;
//! - an `AdditionalProperties` object that is not empty (its members are merged into the object
//!   that holds it, which may already have them); an empty one, or `null`, is skipped;
//! - any error, the type errors of JSON001 among them.

use super::{fnv, is_depth_truncated, ms_date, ADDITIONAL};
use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StringDeserializer};
use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;

/// Why the one-pass reader gave up: something the careful reader must see (see the module
/// documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unusual;

impl fmt::Display for Unusual {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("input that needs the careful reader")
    }
}

impl std::error::Error for Unusual {}

impl de::Error for Unusual {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unusual
    }
}

/// Reads `T` from `text` (a whole JSON value) in one pass, or gives up.
#[cfg(test)]
pub fn read<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, Unusual> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(Norm {
        de: &mut de,
        at: At::Element,
    })?;
    de.end().map_err(give_up)?;
    Ok(value)
}

/// Reads `T` from the JSON value `text` starts with (more may follow, as in an array being read
/// element by element); returns it and the length of its text, or gives up.
pub fn read_prefix<'de, T: Deserialize<'de>>(text: &'de str) -> Result<(T, usize), Unusual> {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<Normalised<T>>();
    match values.next() {
        Some(Ok(Normalised(value))) => Ok((value, values.byte_offset())),
        _ => Err(Unusual),
    }
}

/// `T`, read through `Norm`.
struct Normalised<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Normalised<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(Norm {
            de: d,
            at: At::Element,
        })
        .map(Normalised)
        .map_err(pass)
    }
}

/// Where a value sits: a member's `null` is an absent member, an element's is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    Member,
    Element,
}

/// Gives up on an error of the inner deserializer.
fn give_up<E>(_: E) -> Unusual {
    Unusual
}

/// Passes giving up through the inner deserializer.
fn pass<E: de::Error>(_: Unusual) -> E {
    E::custom("")
}

/// The normalising adapter over a deserializer of the text.
struct Norm<D> {
    de: D,
    at: At,
}

/// What the model asked for, remembered while looking for a `null`.
#[derive(Debug, Clone, Copy)]
enum Ask {
    Any,
    Bool,
    I8,
    I16,
    I32,
    I64,
    I128,
    U8,
    U16,
    U32,
    U64,
    U128,
    F32,
    F64,
    Char,
    Str,
    String,
    Option,
    Seq,
    Map,
    Struct,
    NewtypeStruct(&'static str),
    Identifier,
    Ignored,
}

impl<'de, D: Deserializer<'de>> Norm<D> {
    /// Every request first looks for a `null` (serde_json's `deserialize_option` peeks at it).
    fn ask<V: Visitor<'de>>(self, ask: Ask, visitor: V) -> Result<V::Value, Unusual> {
        self.de
            .deserialize_option(Peek {
                visitor,
                ask,
                at: self.at,
            })
            .map_err(give_up)
    }
}

macro_rules! ask {
    ($($method:ident => $ask:ident),* $(,)?) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unusual> {
            self.ask(Ask::$ask, visitor)
        })*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Norm<D> {
    type Error = Unusual;

    ask! {
        deserialize_any => Any,
        deserialize_bool => Bool,
        deserialize_i8 => I8,
        deserialize_i16 => I16,
        deserialize_i32 => I32,
        deserialize_i64 => I64,
        deserialize_i128 => I128,
        deserialize_u8 => U8,
        deserialize_u16 => U16,
        deserialize_u32 => U32,
        deserialize_u64 => U64,
        deserialize_u128 => U128,
        deserialize_f32 => F32,
        deserialize_f64 => F64,
        deserialize_char => Char,
        deserialize_str => Str,
        deserialize_string => String,
        deserialize_option => Option,
        deserialize_seq => Seq,
        deserialize_map => Map,
        deserialize_identifier => Identifier,
        deserialize_ignored_any => Ignored,
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unusual> {
        self.ask(Ask::Struct, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Unusual> {
        self.ask(Ask::NewtypeStruct(name), visitor)
    }

    // Nothing in the model is read these ways.
    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Unusual> {
        Err(Unusual)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Unusual> {
        Err(Unusual)
    }
    fn deserialize_unit<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Unusual> {
        Err(Unusual)
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, Unusual> {
        Err(Unusual)
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Unusual> {
        Err(Unusual)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value, Unusual> {
        Err(Unusual)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Unusual> {
        Err(Unusual)
    }
}

/// Looks for a `null`, then asks the inner deserializer what the model asked for.
struct Peek<V> {
    visitor: V,
    ask: Ask,
    at: At,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Peek<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        match (self.ask, self.at) {
            (Ask::Ignored, _) => self.visitor.visit_unit(),
            (_, At::Element) => Err(pass(Unusual)),
            (Ask::Option, At::Member) => self.visitor.visit_none(),
            (Ask::Seq, At::Member) => self.visitor.visit_seq(Empty).map_err(pass),
            (Ask::Map | Ask::Struct, At::Member) => self.visitor.visit_map(Empty).map_err(pass),
            _ => Err(pass(Unusual)),
        }
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        let at = self.at;
        let v = Wrap {
            visitor: self.visitor,
            at,
        };
        match self.ask {
            Ask::Option => v.visitor.visit_some(Norm { de: d, at }).map_err(pass),
            Ask::Ignored => {
                d.deserialize_any(Wrap {
                    visitor: IgnoreAll,
                    at,
                })?;
                v.visitor.visit_unit()
            }
            Ask::Any => d.deserialize_any(v),
            Ask::Bool => d.deserialize_bool(v),
            Ask::I8 => d.deserialize_i8(v),
            Ask::I16 => d.deserialize_i16(v),
            Ask::I32 => d.deserialize_i32(v),
            Ask::I64 => d.deserialize_i64(v),
            Ask::I128 => d.deserialize_i128(v),
            Ask::U8 => d.deserialize_u8(v),
            Ask::U16 => d.deserialize_u16(v),
            Ask::U32 => d.deserialize_u32(v),
            Ask::U64 => d.deserialize_u64(v),
            Ask::U128 => d.deserialize_u128(v),
            Ask::F32 => d.deserialize_f32(v),
            Ask::F64 => d.deserialize_f64(v),
            Ask::Char => d.deserialize_char(v),
            Ask::Str => d.deserialize_str(v),
            Ask::String => d.deserialize_string(v),
            Ask::Seq => d.deserialize_seq(v),
            Ask::Map => d.deserialize_map(v),
            // As a map: serde_json would also take a struct from an array, which the careful
            // reader takes only for a field, not for an object it checks is one.
            Ask::Struct => d.deserialize_map(v),
            Ask::NewtypeStruct(name) => d.deserialize_newtype_struct(name, v),
            Ask::Identifier => d.deserialize_identifier(v),
        }
    }
}

/// Hands the model's visitor what the inner deserializer found, normalised: strings checked,
/// sequences and maps wrapped.
struct Wrap<V> {
    visitor: V,
    at: At,
}

macro_rules! forward {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            self.visitor.$method(v)
        })*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    forward! {
        visit_bool(bool),
        visit_i8(i8),
        visit_i16(i16),
        visit_i32(i32),
        visit_i64(i64),
        visit_i128(i128),
        visit_u8(u8),
        visit_u16(u16),
        visit_u32(u32),
        visit_u64(u64),
        visit_u128(u128),
        visit_f32(f32),
        visit_f64(f64),
        visit_char(char),
        visit_bytes(&[u8]),
        visit_borrowed_bytes(&'de [u8]),
        visit_byte_buf(Vec<u8>),
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        if is_depth_truncated(v) {
            return Err(pass(Unusual));
        }
        match ms_date(v) {
            Some(date) => self.visitor.visit_string(date),
            None => self.visitor.visit_str(v),
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        if is_depth_truncated(v) {
            return Err(pass(Unusual));
        }
        match ms_date(v) {
            Some(date) => self.visitor.visit_string(date),
            None => self.visitor.visit_borrowed_str(v),
        }
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        if is_depth_truncated(&v) {
            return Err(pass(Unusual));
        }
        match ms_date(&v) {
            Some(date) => self.visitor.visit_string(date),
            None => self.visitor.visit_string(v),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.visitor
            .visit_some(Norm { de: d, at: self.at })
            .map_err(pass)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.visitor
            .visit_newtype_struct(Norm { de: d, at: self.at })
            .map_err(pass)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(NormSeq(seq)).map_err(pass)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor
            .visit_map(NormMap {
                map,
                seen: Seen::default(),
            })
            .map_err(pass)
    }
}

/// The elements of an array, each read through [`Norm`].
struct NormSeq<A>(A);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for NormSeq<A> {
    type Error = Unusual;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Unusual> {
        self.0
            .next_element_seed(Seed {
                seed,
                at: At::Element,
            })
            .map_err(give_up)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// The members of an object: keys normalised, annotations skipped, repeated keys given up on.
struct NormMap<A> {
    map: A,
    seen: Seen,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for NormMap<A> {
    type Error = Unusual;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Unusual> {
        loop {
            let Some(Key(raw)) = self
                .map
                .next_key_seed(Key(Cow::Borrowed("")))
                .map_err(give_up)?
            else {
                return Ok(None);
            };
            // Repeated as written, like the careful reader counts them (same hash).
            if !self.seen.insert(fnv(&raw)) {
                return Err(Unusual);
            }
            if raw.eq_ignore_ascii_case("@odata.type") {
                return seed
                    .deserialize(BorrowedStrDeserializer::new("@odata.type"))
                    .map(Some);
            }
            if super::is_annotation(&raw) {
                self.map.next_value::<IgnoredAny>().map_err(give_up)?;
                continue;
            }
            if raw.eq_ignore_ascii_case(ADDITIONAL) {
                self.map.next_value::<NoMembers>().map_err(give_up)?;
                continue;
            }
            return match lower_first(raw) {
                Cow::Borrowed(k) => seed.deserialize(BorrowedStrDeserializer::new(k)),
                Cow::Owned(k) => seed.deserialize(StringDeserializer::new(k)),
            }
            .map(Some);
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Unusual> {
        self.map
            .next_value_seed(Seed {
                seed,
                at: At::Member,
            })
            .map_err(give_up)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// Key hashes met in one object: most objects are small, so the first few live on the stack;
/// the others go to a hash set, so that an object of any size is read in linear time.
#[derive(Default)]
struct Seen {
    inline: [u64; 16],
    len: usize,
    more: HashSet<u64>,
}

impl Seen {
    /// Adds `h`; false if it was there.
    fn insert(&mut self, h: u64) -> bool {
        if self.inline[..self.len].contains(&h) {
            return false;
        }
        if self.len < self.inline.len() {
            self.inline[self.len] = h;
            self.len += 1;
            true
        } else {
            self.more.insert(h)
        }
    }
}

fn lower_first(key: Cow<'_, str>) -> Cow<'_, str> {
    match key.as_bytes().first() {
        Some(c) if c.is_ascii_uppercase() => {
            let mut s = key.into_owned();
            s[..1].make_ascii_lowercase();
            Cow::Owned(s)
        }
        _ => key,
    }
}

/// A key as written, borrowed from the text when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> DeserializeSeed<'de> for Key<'de> {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'de> {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

/// A value read through [`Norm`] at `at`.
struct Seed<S> {
    seed: S,
    at: At,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.seed
            .deserialize(Norm { de: d, at: self.at })
            .map_err(pass)
    }
}

/// What an absent sequence or object is read as.
struct Empty;

impl<'de> SeqAccess<'de> for Empty {
    type Error = Unusual;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        _: T,
    ) -> Result<Option<T::Value>, Unusual> {
        Ok(None)
    }
}

impl<'de> MapAccess<'de> for Empty {
    type Error = Unusual;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        _: K,
    ) -> Result<Option<K::Value>, Unusual> {
        Ok(None)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, _: V) -> Result<V::Value, Unusual> {
        Err(Unusual)
    }
}

/// An empty object or `null`; anything else is an error (an `AdditionalProperties` object with
/// members is merged into its parent by the careful reader).
struct NoMembers;

impl<'de> Deserialize<'de> for NoMembers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = NoMembers;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an empty object")
            }
            fn visit_unit<E>(self) -> Result<NoMembers, E> {
                Ok(NoMembers)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NoMembers, A::Error> {
                match map.next_key::<IgnoredAny>()? {
                    None => Ok(NoMembers),
                    Some(_) => Err(de::Error::custom("members")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Walks a value the model ignores (through [`Wrap`], so that it is checked like the rest).
struct IgnoreAll;

impl<'de> Visitor<'de> for IgnoreAll {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key::<IgnoredAny>()?.is_some() {
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// Names the member a [`Split`] reads apart.
pub trait Member {
    const NAME: &'static str;
}

/// An object read as `T`, except its member `K::NAME` (as normalised), read as `E`: the way an
/// object and the object it embeds are read in one pass. A `null` or absent member is `None`; a
/// repeated one keeps the last value.
pub struct Split<T, E, K> {
    pub main: T,
    pub part: Option<E>,
    member: PhantomData<K>,
}

impl<'de, T, E, K> Deserialize<'de> for Split<T, E, K>
where
    T: Deserialize<'de>,
    E: Deserialize<'de>,
    K: Member,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(SplitVisitor(PhantomData))
    }
}

struct SplitVisitor<T, E, K>(PhantomData<(T, E, K)>);

impl<'de, T, E, K> Visitor<'de> for SplitVisitor<T, E, K>
where
    T: Deserialize<'de>,
    E: Deserialize<'de>,
    K: Member,
{
    type Value = Split<T, E, K>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let mut part = None;
        let main = T::deserialize(MapAccessDeserializer::new(Without {
            map,
            name: K::NAME,
            part: &mut part,
        }))?;
        Ok(Split {
            main,
            part,
            member: PhantomData,
        })
    }
}

/// The members of an object but one, which goes to `part`.
struct Without<'p, A, E> {
    map: A,
    name: &'static str,
    part: &'p mut Option<E>,
}

impl<'de, A: MapAccess<'de>, E: Deserialize<'de>> MapAccess<'de> for Without<'_, A, E> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(Key(key)) = self.map.next_key_seed(Key(Cow::Borrowed("")))? else {
                return Ok(None);
            };
            if key == self.name {
                *self.part = self.map.next_value::<Option<E>>()?;
                continue;
            }
            return match key {
                Cow::Borrowed(k) => seed.deserialize(BorrowedStrDeserializer::new(k)),
                Cow::Owned(k) => seed.deserialize(StringDeserializer::new(k)),
            }
            .map(Some);
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ConditionalAccessPolicy, Flags, Group};
    use serde::Deserialize;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default, rename_all = "camelCase")]
    struct Sample {
        #[serde(rename = "@odata.type")]
        odata_type: Option<String>,
        display_name: Option<String>,
        include_users: Vec<String>,
        nested: Option<Box<Sample>>,
        count: Option<u64>,
        flags: Flags,
    }

    #[test]
    fn keys_are_normalised_and_annotations_dropped() {
        let s: Sample = read(
            r##"{"@ODATA.TYPE": "#microsoft.graph.x", "DisplayName": "a",
                 "includeUsers@odata.type": "#Collection(String)", "#microsoft.graph.restore": {"t": 1},
                 "IncludeUsers": ["u1", "u2"], "Nested": {"DisplayName": "b"}, "Count": 3,
                 "Flags": "password, sms", "Unknown": [{"deep": [1, {"x": null}]}]}"##,
        )
        .unwrap();
        assert_eq!(s.odata_type.as_deref(), Some("#microsoft.graph.x"));
        assert_eq!(s.display_name.as_deref(), Some("a"));
        assert_eq!(s.include_users, ["u1", "u2"]);
        assert_eq!(s.nested.unwrap().display_name.as_deref(), Some("b"));
        assert_eq!(s.count, Some(3));
        assert_eq!(s.flags.0, ["password", "sms"]);
    }

    #[test]
    fn a_prefix_is_read_with_its_length() {
        let text = r#"{"displayName": "a", "count": 2} , {"displayName": "b"}]"#;
        let (s, len) = read_prefix::<Sample>(text).unwrap();
        assert_eq!(s.display_name.as_deref(), Some("a"));
        assert_eq!(&text[..len], r#"{"displayName": "a", "count": 2}"#);
        assert!(read_prefix::<Sample>(r#"{"count": "2"}, 1"#).is_err());
    }

    #[test]
    fn a_null_member_is_an_absent_one() {
        let s: Sample =
            read(r#"{"displayName": null, "includeUsers": null, "nested": null, "count": null}"#)
                .unwrap();
        assert_eq!(s, Sample::default());
        let p: ConditionalAccessPolicy = read(
            r#"{"conditions": null, "grantControls": null, "sessionControls": {"signInFrequency": null}}"#,
        )
        .unwrap();
        assert!(p.conditions.users.include_users.is_empty());
        assert!(p.grant_controls.is_none());
        assert!(p.session_controls.unwrap().sign_in_frequency.is_none());
        // Read any other way (here: a flags value), a null is left to the careful reader.
        assert_eq!(read::<Sample>(r#"{"flags": null}"#).unwrap_err(), Unusual);
        // An ignored member may be null.
        assert!(read::<Sample>(r#"{"other": null}"#).is_ok());
    }

    #[test]
    fn what_needs_the_careful_reader_is_given_up_on() {
        let unusual = [
            // A repeated key, even one the model ignores or an annotation.
            r#"{"displayName": "a", "displayName": "b"}"#,
            r#"{"other": 1, "other": 2}"#,
            r#"{"x@odata.type": "a", "x@odata.type": "b"}"#,
            r#"{"nested": {"other": {"k": 1, "k": 2}}}"#,
            // The same key in two spellings (serde's derive would reject the second), also
            // spellings the model reads as two keys.
            r#"{"DisplayName": "a", "displayName": "b"}"#,
            r#"{"state": "a", "STATE": "b"}"#,
            r#"{"other": 1, "OTHER": 2}"#,
            // Depth truncation, also below an ignored member.
            r#"{"displayName": "System.Object[]"}"#,
            r#"{"other": ["Microsoft.Graph.PowerShell.Models.MicrosoftGraphX"]}"#,
            // A null element.
            r#"{"includeUsers": ["u1", null]}"#,
            r#"{"includeUsers": [null]}"#,
            // Type errors and nesting beyond serde_json's limit.
            r#"{"count": "3"}"#,
            r#"{"nested": []}"#,
            r#"{"includeUsers": "u1"}"#,
        ];
        for text in unusual {
            assert_eq!(read::<Sample>(text).unwrap_err(), Unusual, "{text}");
        }
        let deep = format!(r#"{{"other": {}0{}}}"#, "[".repeat(200), "]".repeat(200));
        assert_eq!(read::<Sample>(&deep).unwrap_err(), Unusual);
        // Annotations are skipped unread, as the careful reader skips them.
        let in_annotation = format!(
            r#"{{"x@odata.context": {}"System.Object[]"{}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        assert!(read::<Sample>(&in_annotation).is_ok());
        // Nulls in an ignored array do not matter.
        assert!(read::<Sample>(r#"{"other": [null, 1]}"#).is_ok());
    }

    struct Members;
    impl Member for Members {
        const NAME: &'static str = "members";
    }

    #[test]
    fn split_reads_an_embedded_member_apart() {
        let s: Split<Sample, Vec<Group>, Members> =
            read(r#"{"DisplayName": "a", "Members": [{"id": "g1"}], "count": 2}"#).unwrap();
        assert_eq!(s.main.display_name.as_deref(), Some("a"));
        assert_eq!(s.main.count, Some(2));
        assert_eq!(s.part.unwrap()[0].id.as_deref(), Some("g1"));
        let s: Split<Sample, Vec<Group>, Members> = read(r#"{"members": null}"#).unwrap();
        assert!(s.part.is_none());
        let s: Split<IgnoredAny, Vec<Group>, Members> =
            read(r#"{"a": 1, "members": [], "b": [2]}"#).unwrap();
        assert_eq!(s.part.unwrap().len(), 0);
    }

    mod agrees_with_the_careful_reader {
        use super::super::read;
        use crate::json::{parse_value, Findings};
        use crate::model::roles::RawRule;
        use crate::model::*;
        use crate::origin::Pointer;
        use proptest::prelude::*;
        use serde::de::DeserializeOwned;
        use std::fmt::Debug;

        /// Field names of the model (in both spellings), annotations and unknown keys.
        const KEYS: &[&str] = &[
            "id",
            "Id",
            "displayName",
            "DisplayName",
            "state",
            "State",
            "conditions",
            "Conditions",
            "users",
            "Users",
            "includeUsers",
            "IncludeUsers",
            "excludeUsers",
            "includeGroups",
            "applications",
            "includeApplications",
            "grantControls",
            "builtInControls",
            "operator",
            "authenticationStrength",
            "allowedCombinations",
            "sessionControls",
            "signInFrequency",
            "value",
            "isEnabled",
            "frequencyInterval",
            "platforms",
            "includePlatforms",
            "insiderRiskLevels",
            "clientApplications",
            "members",
            "owners",
            "groupTypes",
            "userPrincipalName",
            "accountEnabled",
            "principalId",
            "roleDefinitionId",
            "scheduleInfo",
            "expiration",
            "type",
            "principal",
            "enabledRules",
            "target",
            "setting",
            "approvalStages",
            "primaryApprovers",
            "userID",
            "@odata.type",
            "@ODATA.TYPE",
            "state@odata.type",
            "#microsoft.graph.restore",
            "@odata.context",
            "other",
            "Other",
            "AdditionalProperties",
            "additionalProperties",
        ];

        fn key() -> impl Strategy<Value = String> {
            prop::sample::select(KEYS).prop_map(|k| serde_json::to_string(k).unwrap())
        }

        fn leaf() -> impl Strategy<Value = String> {
            prop::sample::select(
                &[
                    "null",
                    "true",
                    "false",
                    "0",
                    "4",
                    "-1",
                    "1.5",
                    "\"\"",
                    "\"All\"",
                    "\"enabled\"",
                    "\"mfa\"",
                    "\"password, sms\"",
                    "\"#microsoft.graph.user\"",
                    "\"System.Object[]\"",
                    "\"Microsoft.Graph.PowerShell.Models.X\"",
                    "\"\\u0041ll\"",
                    "\"/Date(1647536088205)/\"",
                    "[]",
                    "{}",
                ][..],
            )
            .prop_map(str::to_owned)
        }

        /// JSON texts (keys may repeat).
        fn json() -> impl Strategy<Value = String> {
            leaf().prop_recursive(5, 64, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..5)
                        .prop_map(|items| format!("[{}]", items.join(","))),
                    prop::collection::vec((key(), inner), 0..6).prop_map(|members| {
                        let members: Vec<String> =
                            members.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                        format!("{{{}}}", members.join(","))
                    }),
                ]
            })
        }

        fn object() -> impl Strategy<Value = String> {
            prop::collection::vec((key(), json()), 0..8).prop_map(|members| {
                let members: Vec<String> =
                    members.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                format!("{{{}}}", members.join(","))
            })
        }

        /// When the one-pass reader reads `T`, the careful reader finds nothing to report (no
        /// repeated key, no truncated value, no value of the wrong type) and reads the same `T`.
        fn agree<T: DeserializeOwned + Debug>(text: &str) -> Result<(), TestCaseError> {
            let Ok(fast) = read::<T>(text) else {
                return Ok(());
            };
            let mut findings = Findings::default();
            let value = parse_value(text, &Pointer::root(), &mut findings).unwrap();
            prop_assert!(
                findings.duplicates.is_empty() && findings.truncated.is_empty(),
                "{}",
                text
            );
            let serde_json::Value::Object(map) = value else {
                return Err(TestCaseError::fail(format!("{text}: not an object")));
            };
            let (careful, mismatches) = crate::json::lenient::read::<T>(map).map_err(|e| {
                TestCaseError::fail(format!("{text}: careful reader failed: {e:?}"))
            })?;
            prop_assert!(
                mismatches.listed.is_empty() && mismatches.more == 0,
                "{}: {:?}",
                text,
                mismatches
            );
            prop_assert_eq!(format!("{fast:?}"), format!("{careful:?}"), "{}", text);
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]

            #[test]
            fn same_objects(text in object()) {
                agree::<ConditionalAccessPolicy>(&text)?;
                agree::<AuthenticationStrength>(&text)?;
                agree::<NamedLocation>(&text)?;
                agree::<User>(&text)?;
                agree::<Group>(&text)?;
                agree::<RoleMembership>(&text)?;
                agree::<GroupSchedule>(&text)?;
                agree::<RawRule>(&text)?;
                agree::<AuthenticationMethodConfiguration>(&text)?;
            }
        }
    }
}
