//! Property tests for `SpanIndex`, `LineIndex` and the `SourceMap`.

use std::collections::HashSet;

use entralint_parser::source::{escape_token, LineIndex, SpanIndex};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Value};

const KEYS: &[&str] = &[
    "", "a", "A", "b", "Key", "~", "/", "a/b", "~1", "~0/", "\"", "\\", "é", "É", "中文", "😀",
    "\t", "\n", "x y", "\u{0}", "\u{7f}",
];

/// Cases for the main resolve properties.
const CASES: u32 = 2000;
/// Cases for the secondary properties (value generation dominates their debug runtime).
const SECONDARY_CASES: u32 = 500;

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

/// Every path in `v`, as reference tokens, root first.
fn paths(v: &Value) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new()];
    let mut i = 0;
    while i < out.len() {
        let path = out[i].clone();
        let node = pointer_of(v, &path);
        match node {
            Value::Object(m) => {
                for k in m.keys() {
                    let mut p = path.clone();
                    p.push(k.clone());
                    out.push(p);
                }
            }
            Value::Array(a) => {
                for j in 0..a.len() {
                    let mut p = path.clone();
                    p.push(j.to_string());
                    out.push(p);
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn pointer(tokens: &[String]) -> String {
    tokens
        .iter()
        .map(|t| format!("/{}", escape_token(t)))
        .collect()
}

fn pointer_of<'v>(v: &'v Value, tokens: &[String]) -> &'v Value {
    v.pointer(&pointer(tokens)).expect("path exists")
}

/// Compact, pretty, and pretty with CRLF plus surrounding whitespace.
fn texts(v: &Value) -> Vec<String> {
    let compact = serde_json::to_string(v).unwrap();
    let pretty = serde_json::to_string_pretty(v).unwrap();
    let crlf = format!(" \r\n\t{}\r\n  \r\n", pretty.replace('\n', "\r\n"));
    vec![compact, pretty, crlf]
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text:?}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn every_pointer_resolves_exactly(v in value()) {
        for text in texts(&v) {
            prop_assert_eq!(&parse(&text), &v);
            let idx = SpanIndex::build(&text);
            for tokens in paths(&v) {
                let p = pointer(&tokens);
                let r = idx.resolve(&text, &p);
                prop_assert!(r.exact, "{} in {:?}", p, text);
                prop_assert_eq!(&r.pointer, &p);
                let expected = v.pointer(&p);
                prop_assert_eq!(Some(&parse(&text[r.value.clone()])), expected);
                match (tokens.last(), &r.key) {
                    (None, None) => {}
                    (Some(last), Some(k)) => {
                        let key: String = serde_json::from_str(&text[k.clone()]).unwrap();
                        prop_assert_eq!(&key, last);
                        prop_assert!(k.end <= r.value.start);
                        // Exactly one occurrence in serde's output, and it is this one.
                        let parent = pointer(&tokens[..tokens.len() - 1]);
                        prop_assert_eq!(idx.key_occurrences(&text, &parent, last), vec![k.clone()]);
                    }
                    (Some(last), None) => {
                        // Array element: the token is an index.
                        prop_assert!(last.parse::<usize>().is_ok());
                        let parent = pointer(&tokens[..tokens.len() - 1]);
                        prop_assert!(v.pointer(&parent).unwrap().is_array());
                    }
                    (None, Some(_)) => prop_assert!(false, "root has a key"),
                }
            }
        }
    }

    #[test]
    fn case_insensitive_lookup_finds_same_span(v in value()) {
        for text in texts(&v) {
            let idx = SpanIndex::build(&text);
            for tokens in paths(&v) {
                let p = pointer(&tokens);
                let expected = idx.resolve(&text, &p);
                for fold in [str::to_ascii_lowercase, str::to_ascii_uppercase] {
                    let folded: Vec<String> = tokens.iter().map(|t| fold(t)).collect();
                    let r = idx.resolve(&text, &pointer(&folded));
                    prop_assert!(r.exact, "{:?}", folded);
                    prop_assert_eq!(&r, &expected);
                }
            }
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(SECONDARY_CASES))]

    #[test]
    fn unresolvable_suffix_returns_deepest_ancestor(v in value(), extra in key()) {
        let text = serde_json::to_string_pretty(&v).unwrap();
        let idx = SpanIndex::build(&text);
        for tokens in paths(&v) {
            let p = pointer(&tokens);
            let target = v.pointer(&p).unwrap();
            // A token that cannot exist below this value.
            let missing = match target {
                Value::Array(a) => a.len().to_string(),
                Value::Object(m) => {
                    if m.keys().any(|k| k.eq_ignore_ascii_case(&extra)) { continue; }
                    extra.clone()
                }
                _ => extra.clone(),
            };
            let r = idx.resolve(&text, &format!("{p}/{}/0", escape_token(&missing)));
            prop_assert!(!r.exact);
            prop_assert_eq!(&r.pointer, &p);
            prop_assert_eq!(&parse(&text[r.value.clone()]), target);
        }
    }

    #[test]
    fn line_col_matches_naive(v in value(), crlf in any::<bool>(), probes in prop::collection::vec(any::<Index>(), 1..20)) {
        let mut text = serde_json::to_string_pretty(&v).unwrap();
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let li = LineIndex::new(&text);
        for probe in probes {
            let offset = probe.index(text.len() + 3);
            let mut o = offset.min(text.len());
            while !text.is_char_boundary(o) {
                o -= 1;
            }
            let before = &text[..o];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
            prop_assert_eq!(li.line_col(&text, offset), (line, col));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// The source map's two-level index answers exactly as one full index does, for every pointer
    /// of random documents and for pointers that run past them.
    #[test]
    fn two_level_source_map_matches_a_full_index(v in value(), extra in key()) {
        use entralint_parser::{FileId, Origin, Pointer, SourceMap};
        for text in texts(&v) {
            let mut map = SourceMap::default();
            let id: FileId = map.add("t.json".into(), text.clone(), None, 0);
            let full = SpanIndex::build(&text);
            for tokens in paths(&v) {
                let mut all = vec![pointer(&tokens)];
                let mut longer = tokens.clone();
                longer.push(extra.clone());
                all.push(pointer(&longer));
                for p in all {
                    let got = map.resolve(&Origin::new(id, Pointer::parse(&p)));
                    let want = full.resolve(&text, &p);
                    prop_assert_eq!(&got.pointer, &want.pointer, "{}", p);
                    prop_assert_eq!(got.exact, want.exact, "{}", p);
                    prop_assert_eq!(&got.key, &want.key, "{}", p);
                    prop_assert_eq!(&got.value, &want.value, "{}", p);
                }
            }
        }
    }
}
