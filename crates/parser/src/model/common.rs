//! Building blocks of the model: open enums, flag strings, directory objects.

use crate::id::ObjectId;
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

/// Declares a closed Graph vocabulary as an enum with a catch-all `Unknown(String)` variant, so a
/// value added by a newer Graph loads and can be reported instead of failing the parse.
/// Values are matched ignoring ASCII case (`"All"` and `"all"` both occur in real exports).
#[macro_export]
macro_rules! open_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of entralint does not know, kept as written.
            Unknown(String),
        }

        impl $name {
            /// The value as Graph spells it (or as the file wrote an unknown one).
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Unknown(s) => s,
                }
            }

            pub fn parse(s: &str) -> Self {
                $(if s.eq_ignore_ascii_case($text) { return $name::$variant; })+
                $name::Unknown(s.to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok($name::parse(&s))
            }
        }
    };
}

/// A Graph flags value: a comma-joined string (`"password,sms"`, sometimes `"password, sms"`) or,
/// in SDK-serialised exports, an array. Split, trimmed, empty parts dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags(pub Vec<String>);

impl Flags {
    pub fn contains(&self, flag: &str) -> bool {
        self.0.iter().any(|f| f.eq_ignore_ascii_case(flag))
    }
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Flags {
    /// The name a flags value is asked for by (a newtype of that name), so that a reader can tell
    /// it from other values: it is a string or an array of strings.
    pub(crate) const NAME: &'static str = "Flags";
}

impl<'de> Deserialize<'de> for Flags {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(Flags::NAME, FlagsVisitor)
    }
}

/// Reads a flags value: one string or an array of strings, each split at commas.
struct FlagsVisitor;

impl FlagsVisitor {
    fn flags<'s>(parts: impl IntoIterator<Item = &'s str>) -> Flags {
        Flags(
            parts
                .into_iter()
                .flat_map(|p| p.split(','))
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
        )
    }
}

impl<'de> Visitor<'de> for FlagsVisitor {
    type Value = Flags;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or an array of strings")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Flags, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Flags, E> {
        Ok(Self::flags([v]))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Flags, A::Error> {
        let mut parts = Vec::new();
        while let Some(part) = seq.next_element::<String>()? {
            parts.push(part);
        }
        Ok(Self::flags(parts.iter().map(String::as_str)))
    }
}

/// A `directoryObject` as it appears expanded (`principal`, group members and owners).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default, rename_all = "camelCase")]
pub struct DirectoryObject {
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    pub id: Option<ObjectId>,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
}

impl DirectoryObject {
    /// `user`, `group`, `servicePrincipal`, … from `@odata.type`.
    pub fn type_name(&self) -> Option<&str> {
        self.odata_type
            .as_deref()
            .map(|t| t.trim_start_matches("#microsoft.graph."))
    }
    pub fn is_group(&self) -> bool {
        self.type_name()
            .is_some_and(|t| t.eq_ignore_ascii_case("group"))
    }
}

/// Whether a special value such as `All` matches, ignoring case.
pub fn is_special(value: &str, special: &str) -> bool {
    value.eq_ignore_ascii_case(special)
}

#[cfg(test)]
mod tests {
    use super::*;

    open_enum! {
        pub enum Sample { Enabled = "enabled", ReportOnly = "enabledForReportingButNotEnforced" }
    }

    #[test]
    fn open_enum_keeps_unknown_values_and_ignores_case() {
        let v: Vec<Sample> = serde_json::from_str(r#"["Enabled","somethingNew"]"#).unwrap();
        assert_eq!(v[0], Sample::Enabled);
        assert_eq!(v[1], Sample::Unknown("somethingNew".into()));
        assert_eq!(v[1].as_str(), "somethingNew");
    }

    #[test]
    fn flags_split_and_trim() {
        let f: Flags = serde_json::from_str(r#""password, sms,,fido2""#).unwrap();
        assert_eq!(f.0, vec!["password", "sms", "fido2"]);
        let f: Flags = serde_json::from_str(r#"["password,sms", "fido2"]"#).unwrap();
        assert_eq!(f.0, vec!["password", "sms", "fido2"]);
        assert!(f.contains("SMS"));
    }
}
