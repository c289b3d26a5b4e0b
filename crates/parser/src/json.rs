//! Strict JSON parsing (serde_json) that also records duplicate keys, and the normalisation that
//! turns every export dialect into one shape for the typed model.

use crate::origin::Pointer;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::fmt;

/// A key that occurs more than once in one object. The last value wins, as in `serde_json::Value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The object holding the key.
    pub parent: Pointer,
    pub key: String,
}

/// Parses `text` as strict JSON (RFC 8259), keeping the last value of a duplicated key and recording
/// every duplicate. Nesting deeper than serde_json's recursion limit (128) is an error, never a crash.
pub fn parse(text: &str) -> Result<(Value, Vec<DuplicateKey>), serde_json::Error> {
    let state = State::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed(&state).deserialize(&mut de)?;
    de.end()?;
    Ok((value, state.duplicates.into_inner()))
}

#[derive(Default)]
struct State {
    path: RefCell<Vec<String>>,
    duplicates: RefCell<Vec<DuplicateKey>>,
}

impl State {
    fn parent_pointer(&self) -> Pointer {
        let mut p = Pointer::root();
        for t in self.path.borrow().iter() {
            p.push(t);
        }
        p
    }
}

#[derive(Clone, Copy)]
struct Seed<'a>(&'a State);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
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
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            self.0.path.borrow_mut().push(out.len().to_string());
            let next = seq.next_element_seed(self);
            self.0.path.borrow_mut().pop();
            match next? {
                Some(v) => out.push(v),
                None => return Ok(Value::Array(out)),
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.0.path.borrow_mut().push(key.clone());
            let value = map.next_value_seed(self);
            self.0.path.borrow_mut().pop();
            if out.insert(key.clone(), value?).is_some() {
                let parent = self.0.parent_pointer();
                self.0
                    .duplicates
                    .borrow_mut()
                    .push(DuplicateKey { parent, key });
            }
        }
        Ok(Value::Object(out))
    }
}

/// What normalisation found besides the value itself.
#[derive(Debug, Default)]
pub struct Normalized {
    pub value: Value,
    /// Pointers (in the normalised spelling) of strings that are PowerShell type names left by a
    /// `ConvertTo-Json` depth limit, e.g. `Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessUsers`.
    pub truncated: Vec<(Pointer, String)>,
}

/// Normalises one export value for the typed model:
/// - keys containing `@odata.` and keys starting with `#` are dropped, except `@odata.type` itself,
///   the discriminator of derived types;
/// - `null` members are dropped (null ≡ absent ≡ empty), and `null` array elements become empty
///   values so that indices keep matching the file;
/// - the first letter of every key is lower-cased, so PascalCase exports (ScubaGear, PowerShell
///   objects) read like Graph's camelCase.
pub fn normalize(value: Value, at: &Pointer) -> Normalized {
    let mut truncated = Vec::new();
    let mut path = at.clone();
    let value = walk(value, &mut path, &mut truncated);
    Normalized { value, truncated }
}

fn walk(value: Value, path: &mut Pointer, truncated: &mut Vec<(Pointer, String)>) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, v) in map {
                if v.is_null() {
                    continue;
                }
                let key = if key.eq_ignore_ascii_case("@odata.type") {
                    "@odata.type".to_owned()
                } else if key.contains("@odata.") || key.starts_with('#') {
                    continue;
                } else {
                    lower_first(key)
                };
                let len = path.text_len();
                path.push(&key);
                let v = walk(v, path, truncated);
                path.truncate(len);
                out.insert(key, v);
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            // A null element becomes an empty value of its siblings' type, so that array indices
            // (and therefore pointers) stay those of the file.
            let filler = match items.iter().find(|v| !v.is_null()) {
                Some(Value::String(_)) => Some(Value::String(String::new())),
                Some(Value::Object(_)) => Some(Value::Object(Map::new())),
                Some(Value::Array(_)) => Some(Value::Array(Vec::new())),
                _ => None,
            };
            let mut out = Vec::with_capacity(items.len());
            let items =
                items
                    .into_iter()
                    .filter_map(|v| if v.is_null() { filler.clone() } else { Some(v) });
            for v in items {
                let len = path.text_len();
                path.push(&out.len().to_string());
                out.push(walk(v, path, truncated));
                path.truncate(len);
            }
            Value::Array(out)
        }
        Value::String(s) => {
            if is_depth_truncated(&s) {
                truncated.push((path.clone(), s.clone()));
            }
            Value::String(s)
        }
        other => other,
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
fn is_depth_truncated(s: &str) -> bool {
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

/// Case-insensitive member lookup on a raw (not yet normalised) object.
pub fn get_ci<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn duplicate_keys_last_wins_and_are_recorded() {
        let (v, dups) =
            parse(r#"{"a": {"s": null, "s": {"x": 1}}, "b": [ {"k":1,"k":2} ]}"#).unwrap();
        assert_eq!(v, json!({"a": {"s": {"x": 1}}, "b": [{"k": 2}]}));
        assert_eq!(
            dups,
            vec![
                DuplicateKey {
                    parent: Pointer::parse("/a"),
                    key: "s".into()
                },
                DuplicateKey {
                    parent: Pointer::parse("/b/0"),
                    key: "k".into()
                },
            ]
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        assert!(parse(&text).is_err());
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        assert!(parse("{} ]").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn normalize_drops_annotations_nulls_and_lowercases() {
        let raw = json!({
            "@odata.context": "x",
            "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
            "#microsoft.graph.restore": {"title": "restore"},
            "State@odata.type": "#microsoft.graph.conditionalAccessPolicyState",
            "State": "enabled",
            "SessionControls": null,
            "Conditions": {"Users": {"IncludeUsers": [null, "All"]}}
        });
        let n = normalize(raw, &Pointer::root());
        assert_eq!(
            n.value,
            json!({
                "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
                "state": "enabled",
                "conditions": {"users": {"includeUsers": ["", "All"]}}
            })
        );
    }

    #[test]
    fn normalize_reports_depth_truncation() {
        let raw = json!({"Conditions": {"Users": "Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessUsers"}});
        let n = normalize(raw, &Pointer::parse("/value/0"));
        assert_eq!(n.truncated.len(), 1);
        assert_eq!(n.truncated[0].0.as_str(), "/value/0/conditions/users");
    }
}
