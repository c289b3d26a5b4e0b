//! JSON documents written as a string inside another JSON document. CIPP stores a template's
//! policy as the string member `JSON` of a table row
//! (<https://github.com/KelvinTegelaar/CIPP-API/blob/master/Modules/CIPPCore/Public/New-CIPPCATemplate.ps1>,
//! `ConvertTo-Json -Compress`): its findings belong inside that string, so offsets in the decoded
//! text are mapped back to the bytes of the file, through the escapes (`\"`, `\\`, `\n`,
//! `\uXXXX`, surrogate pairs) that separate the two.

use std::ops::Range;

/// Where each piece of a decoded string came from in its raw text (the part between the quotes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// `(decoded start, raw start, escaped)`, in order: a run of characters copied unchanged
    /// (`escaped == false`, offsets inside it map one to one), or one character written as an
    /// escape (`escaped == true`, every offset inside it maps to the escape's backslash).
    pieces: Vec<(usize, usize, bool)>,
    decoded_len: usize,
    raw_len: usize,
}

impl OffsetMap {
    /// The raw offset of the decoded offset `at` (past the end: the end of the raw text).
    pub fn raw(&self, at: usize) -> usize {
        if at >= self.decoded_len {
            return self.raw_len;
        }
        let i = self.pieces.partition_point(|p| p.0 <= at) - 1;
        let (decoded, raw, escaped) = self.pieces[i];
        if escaped {
            raw
        } else {
            raw + (at - decoded)
        }
    }

    /// The raw range of a decoded range.
    pub fn raw_range(&self, r: Range<usize>) -> Range<usize> {
        self.raw(r.start)..self.raw(r.end).max(self.raw(r.start))
    }
}

/// Decodes the content of a JSON string (the text between its quotes, escapes as written) and
/// maps the decoded text back to it. `None` when it is not the content of a valid JSON string
/// (an unknown escape, a lone surrogate, a raw control character or quote).
pub fn decode(raw: &str) -> Option<(String, OffsetMap)> {
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut pieces = Vec::new();
    let mut i = 0;
    // Where the current run of unchanged characters started (raw), if one is open.
    let mut run: Option<usize> = None;
    while i < b.len() {
        let c = b[i];
        if c == b'"' || c < 0x20 {
            return None;
        }
        if c != b'\\' {
            if run.is_none() {
                pieces.push((out.len(), i, false));
                run = Some(i);
            }
            // Copy up to the next backslash (or a byte that ends the string).
            let end = b[i..]
                .iter()
                .position(|&c| c == b'\\' || c == b'"' || c < 0x20)
                .map_or(b.len(), |n| i + n);
            out.push_str(raw.get(i..end)?);
            i = end;
            continue;
        }
        run = None;
        let start = i;
        let (ch, len) = match *b.get(i + 1)? {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => {
                let hi = hex4(raw, i + 2)?;
                match hi {
                    0xD800..=0xDBFF => {
                        if b.get(i + 6) != Some(&b'\\') || b.get(i + 7) != Some(&b'u') {
                            return None;
                        }
                        let lo = hex4(raw, i + 8)?;
                        if !(0xDC00..=0xDFFF).contains(&lo) {
                            return None;
                        }
                        let code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        (char::from_u32(code)?, 12)
                    }
                    0xDC00..=0xDFFF => return None,
                    _ => (char::from_u32(hi)?, 6),
                }
            }
            _ => return None,
        };
        pieces.push((out.len(), start, true));
        out.push(ch);
        i += len;
    }
    let map = OffsetMap {
        pieces,
        decoded_len: out.len(),
        raw_len: raw.len(),
    };
    Some((out, map))
}

fn hex4(raw: &str, at: usize) -> Option<u32> {
    let digits = raw.get(at..at + 4)?;
    if !digits.bytes().all(|d| d.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The content of the JSON string serde_json writes for `s`.
    fn written(s: &str) -> String {
        let quoted = serde_json::to_string(s).unwrap();
        quoted[1..quoted.len() - 1].to_owned()
    }

    /// `s` written with every character outside printable ASCII as a `\u` escape (as Windows
    /// PowerShell's `ConvertTo-Json` writes `<`, `>`, `'`, `&` and non-ASCII text).
    fn escaped_all(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                ' '..='~' if c != '<' && c != '>' && c != '\'' && c != '&' => out.push(c),
                _ => {
                    let mut units = [0u16; 2];
                    for u in c.encode_utf16(&mut units) {
                        out.push_str(&format!("\\u{u:04x}"));
                    }
                }
            }
        }
        out
    }

    /// Every character of the decoded text maps to the raw text that writes exactly it.
    fn check(raw: &str, expected: &str) {
        let (decoded, map) = decode(raw).expect("valid string content");
        assert_eq!(decoded, expected);
        let parsed: String = serde_json::from_str(&format!("\"{raw}\"")).unwrap();
        assert_eq!(decoded, parsed, "serde_json decodes the same text");
        for (at, c) in decoded.char_indices() {
            let r = map.raw_range(at..at + c.len_utf8());
            let piece: String = serde_json::from_str(&format!("\"{}\"", &raw[r.clone()]))
                .unwrap_or_else(|e| panic!("{raw:?} {at}: {r:?} {e}"));
            assert_eq!(piece, c.to_string(), "{raw:?} at {at}");
        }
        assert_eq!(map.raw(decoded.len()), raw.len());
    }

    #[test]
    fn escapes() {
        check(r#"{\"a\":\"b\"}"#, r#"{"a":"b"}"#);
        check(r"a\\b\/c\n\r\t\b\f", "a\\b/c\n\r\t\u{8}\u{c}");
        check(r"\u00e9t\u00E9", "été");
        check(r"x\ud83d\ude00y", "x😀y");
        check("déjà", "déjà");
        check("", "");
        assert_eq!(decode(r"\x"), None);
        assert_eq!(decode(r"\ud83d"), None);
        assert_eq!(decode(r"\ude00"), None);
        assert_eq!(decode(r"\u12"), None);
        assert_eq!(decode("a\"b"), None);
        assert_eq!(decode("a\nb"), None);
    }

    #[test]
    fn a_policy_in_a_string() {
        let inner =
            r#"{"displayName":"MFA \"all\"","conditions":{"users":{"includeUsers":["All"]}}}"#;
        let raw = written(inner);
        let (decoded, map) = decode(&raw).unwrap();
        assert_eq!(decoded, inner);
        let at = inner.find(r#""includeUsers""#).unwrap();
        let r = map.raw_range(at..at + r#""includeUsers""#.len());
        assert_eq!(&raw[r], r#"\"includeUsers\""#);
    }

    proptest! {
        #[test]
        fn maps_back_through_serde_escapes(s in "\\PC*|[\"\\\\\n\t<>'&é😀a-z]*") {
            check(&written(&s), &s);
        }

        #[test]
        fn maps_back_through_unicode_escapes(s in "\\PC*|[\"\\\\\n\t<>'&é😀a-z]*") {
            check(&escaped_all(&s), &s);
        }
    }
}
