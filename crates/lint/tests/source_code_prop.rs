//! Property test of `IndexedSource`: for short-line documents it reads spans exactly as miette's own
//! `str` source does. (The span and line indexes it builds on are tested in the parser crate.)

use std::collections::HashSet;

use entralint_lint::IndexedSource;
use miette::{SourceCode, SourceSpan};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Value};

const KEYS: &[&str] = &[
    "", "a", "A", "b", "Key", "~", "/", "a/b", "~1", "~0/", "\"", "\\", "é", "É", "中文", "😀",
    "\t", "\n", "x y", "\u{0}", "\u{7f}",
];

/// Value generation dominates the debug runtime.
const CASES: u32 = 500;

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(KEYS).prop_map(String::from)
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Dyadic fractions print and parse back exactly.
        (-1_000_000i32..1_000_000).prop_map(|i| Value::from(f64::from(i) / 8.0)),
        key().prop_map(Value::String),
        any::<String>().prop_map(Value::String),
    ]
}

/// Values with at most 5 container levels (pointers of at most 5 tokens). Sibling keys never
/// differ only by ASCII case.
fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 384, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6).prop_map(|members| {
                let mut seen = HashSet::new();
                let mut map = Map::new();
                for (k, v) in members {
                    if seen.insert(k.to_ascii_lowercase()) {
                        map.insert(k, v);
                    }
                }
                Value::Object(map)
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// For short-line documents, `IndexedSource` returns what miette's own `str` source does.
    #[test]
    fn read_span_matches_miette(
        v in value(),
        crlf in any::<bool>(),
        spans in prop::collection::vec((any::<Index>(), 0usize..40, 0usize..3, 0usize..3), 1..20),
    ) {
        let mut text = serde_json::to_string_pretty(&v).unwrap();
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let ours = IndexedSource::new("doc.json", text.as_str(), usize::MAX);
        let plain: &str = &text;
        for (start, len, before, after) in spans {
            let mut s = start.index(text.len() + 1);
            while !text.is_char_boundary(s) {
                s -= 1;
            }
            let mut e = (s + len).min(text.len());
            while !text.is_char_boundary(e) {
                e += 1;
            }
            let span = SourceSpan::new(s.into(), e - s);
            let mine = ours.read_span(&span, before, after).unwrap();
            let theirs = plain.read_span(&span, before, after).unwrap();
            prop_assert_eq!(mine.data(), theirs.data());
            prop_assert_eq!(mine.span(), theirs.span());
            prop_assert_eq!(mine.line(), theirs.line());
            prop_assert_eq!(mine.line_count(), theirs.line_count());
            prop_assert_eq!(mine.name(), Some("doc.json"));
            if text.is_ascii() && (before > 0 || after == 0) && !(s > 0 && text.as_bytes()[s - 1] == b'\r') {
                prop_assert_eq!(mine.column(), theirs.column());
            }
        }
    }
}
