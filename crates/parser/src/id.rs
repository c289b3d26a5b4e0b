//! Object identity: the id of a directory object, policy or role, normalised once when it is read
//! and then compared by value.
//!
//! Graph writes object ids as lower-case GUIDs, but exports written by hand or by other tools
//! carry upper-case GUIDs, `{braced}` GUIDs and stray whitespace. An [`ObjectId`] is trimmed,
//! unbraced and, when it is a GUID, lower-cased as it is read; ids that are not GUIDs (PIM policy
//! ids such as `DirectoryRole_<tenant>_<guid>`, special values such as `All`) keep their spelling
//! for display and compare ignoring ASCII case, so `All` and `all` are the same value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// An object id, normalised (see the module documentation). Equality, ordering and hashing ignore
/// ASCII case; the text keeps the spelling of the file (GUIDs lower-cased).
#[derive(Clone, Default)]
pub struct ObjectId {
    text: Text,
    /// The text holds no ASCII upper-case letter (every GUID, once read): then comparing and
    /// hashing the bytes as they are is comparing and hashing them ignoring case.
    folded: bool,
}

/// The text of an id: built into entralint, or read once and shared by every copy the analysis
/// keeps (its indexes hold many copies of each user id; a copy costs a reference count).
#[derive(Clone)]
enum Text {
    Static(&'static str),
    Shared(Arc<str>),
}

impl Default for Text {
    fn default() -> Text {
        Text::Static("")
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Static(s) => s,
            Text::Shared(s) => s,
        }
    }
}

impl ObjectId {
    /// An id known when entralint is built (a built-in role's template id). It must already be in
    /// normal form: a lower-case GUID, or text without surrounding whitespace.
    pub const fn from_static(id: &'static str) -> ObjectId {
        let bytes = id.as_bytes();
        let mut folded = true;
        let mut i = 0;
        while i < bytes.len() {
            folded &= !bytes[i].is_ascii_uppercase();
            i += 1;
        }
        ObjectId {
            text: Text::Static(id),
            folded,
        }
    }

    fn owned(text: String) -> ObjectId {
        let folded = !text.bytes().any(|b| b.is_ascii_uppercase());
        ObjectId {
            text: Text::Shared(Arc::from(text)),
            folded,
        }
    }

    /// Normalises `raw`: surrounding whitespace and `{}` around a GUID removed, GUIDs lower-cased.
    pub fn new(raw: &str) -> ObjectId {
        let trimmed = raw.trim();
        let unbraced = trimmed
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .filter(|s| is_guid(s))
            .unwrap_or(trimmed);
        if is_guid(unbraced) {
            ObjectId::owned(unbraced.to_ascii_lowercase())
        } else {
            ObjectId::owned(unbraced.to_owned())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the id is a GUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`).
    pub fn is_guid(&self) -> bool {
        is_guid(&self.text)
    }
}

/// `8-4-4-4-12` hexadecimal digits.
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

impl Deref for ObjectId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl AsRef<str> for ObjectId {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl PartialEq for ObjectId {
    fn eq(&self, other: &ObjectId) -> bool {
        if self.folded && other.folded {
            *self.text == *other.text
        } else {
            self.text.eq_ignore_ascii_case(&other.text)
        }
    }
}

impl Eq for ObjectId {}

impl PartialEq<str> for ObjectId {
    fn eq(&self, other: &str) -> bool {
        self.text.eq_ignore_ascii_case(other.trim())
    }
}

impl PartialEq<&str> for ObjectId {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

impl Ord for ObjectId {
    fn cmp(&self, other: &ObjectId) -> Ordering {
        if self.folded && other.folded {
            return (*self.text).cmp(&*other.text);
        }
        let a = self.text.bytes().map(|b| b.to_ascii_lowercase());
        let b = other.text.bytes().map(|b| b.to_ascii_lowercase());
        a.cmp(b)
    }
}

impl PartialOrd for ObjectId {
    fn partial_cmp(&self, other: &ObjectId) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Hash for ObjectId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        if self.folded {
            state.write(self.text.as_bytes());
        } else {
            state.write(self.text.to_ascii_lowercase().as_bytes());
        }
        state.write_u8(0xff);
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text, f)
    }
}

impl From<&str> for ObjectId {
    fn from(s: &str) -> ObjectId {
        ObjectId::new(s)
    }
}

impl From<&String> for ObjectId {
    fn from(s: &String) -> ObjectId {
        ObjectId::new(s)
    }
}

impl From<String> for ObjectId {
    fn from(s: String) -> ObjectId {
        ObjectId::new(&s)
    }
}

impl<'de> Deserialize<'de> for ObjectId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ObjectId, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(ObjectId::new(&s))
    }
}

impl Serialize for ObjectId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::DefaultHasher;

    fn hash(id: &ObjectId) -> u64 {
        let mut h = DefaultHasher::new();
        id.hash(&mut h);
        h.finish()
    }

    #[test]
    fn guids_are_trimmed_unbraced_and_lower_cased() {
        let a = ObjectId::new(" {62E90394-69F5-4237-9190-012177145E10}\n");
        assert_eq!(a.as_str(), "62e90394-69f5-4237-9190-012177145e10");
        assert!(a.is_guid());
        assert_eq!(a, ObjectId::new("62e90394-69f5-4237-9190-012177145e10"));
    }

    #[test]
    fn other_ids_keep_their_spelling_and_compare_ignoring_case() {
        let p = ObjectId::new("DirectoryRole_7c8d9e0f_Ga");
        assert_eq!(p.as_str(), "DirectoryRole_7c8d9e0f_Ga");
        assert_eq!(p, ObjectId::new("directoryrole_7C8D9E0F_ga"));
        assert_eq!(hash(&p), hash(&ObjectId::new("DIRECTORYROLE_7c8d9e0f_ga")));
        assert_eq!(ObjectId::new("All"), "all");
        assert_eq!(ObjectId::new("{not-a-guid}").as_str(), "{not-a-guid}");
        assert!(ObjectId::new("a") < ObjectId::new("B"));
        assert_eq!(ObjectId::new("B").cmp(&ObjectId::new("b")), Ordering::Equal);
    }

    #[test]
    fn static_ids_equal_read_ones() {
        const GA: ObjectId = ObjectId::from_static("62e90394-69f5-4237-9190-012177145e10");
        assert_eq!(GA, ObjectId::new("62E90394-69F5-4237-9190-012177145E10"));
        assert_eq!(
            hash(&GA),
            hash(&ObjectId::new("{62e90394-69f5-4237-9190-012177145e10}"))
        );
    }

    #[test]
    fn reads_from_json_strings() {
        let ids: Vec<ObjectId> =
            serde_json::from_str(r#"["{0A1B2C3D-0000-4000-8000-000000000001}", "All"]"#).unwrap();
        assert_eq!(ids[0].as_str(), "0a1b2c3d-0000-4000-8000-000000000001");
        assert_eq!(ids[1], "ALL");
    }
}
