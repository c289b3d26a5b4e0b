//! Bytes to text: UTF-8, UTF-8 with BOM, UTF-16LE/BE with BOM (Windows PowerShell 5.1 writes these
//! with `Out-File` and `>`), and BOM-less UTF-16 recognised by its NUL bytes. UTF-32 (which
//! `Out-File -Encoding UTF32` writes) is recognised too, and reported as not read.
//! Offsets of the model and of every span are offsets into the decoded UTF-8 text.

/// The text encoding a file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
        }
    }
}

/// A successfully decoded file.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    /// Length of the byte-order mark that was stripped (0, 2 or 3).
    pub bom_len: usize,
}

/// A file that is not text in any supported encoding.
#[derive(Debug)]
pub struct Undecodable {
    pub message: String,
    /// A display copy of the content: lossily decoded, control characters replaced by `.`, so that
    /// offsets up to the error are unchanged and nothing harmful reaches a terminal.
    pub display_text: String,
    /// Offset into `display_text` of the first bad byte.
    pub offset: usize,
}

/// Decodes a file's bytes. UTF-8 input is taken over without copying.
pub fn decode(mut bytes: Vec<u8>) -> Result<Decoded, Undecodable> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
        return utf8(bytes, Encoding::Utf8Bom, 3);
    }
    if let Some(not_read) = utf32(&bytes) {
        return Err(not_read);
    }
    // JSON text starts with an ASCII character (whitespace, `{` or `[`), so a BOM-less UTF-16
    // file starts with a NUL byte beside it; UTF-8 JSON holds no NUL byte at all.
    let utf16 = match bytes.as_slice() {
        [0xFF, 0xFE, ..] => Some((encoding_rs::UTF_16LE, Encoding::Utf16Le, 2)),
        [0xFE, 0xFF, ..] => Some((encoding_rs::UTF_16BE, Encoding::Utf16Be, 2)),
        [a, 0, ..] if a.is_ascii() && *a != 0 && looks_utf16(&bytes, 1) => {
            Some((encoding_rs::UTF_16LE, Encoding::Utf16Le, 0))
        }
        [0, b, ..] if b.is_ascii() && *b != 0 && looks_utf16(&bytes, 0) => {
            Some((encoding_rs::UTF_16BE, Encoding::Utf16Be, 0))
        }
        _ => None,
    };
    let Some((codec, encoding, bom_len)) = utf16 else {
        return utf8(bytes, Encoding::Utf8, 0);
    };
    let bytes = bytes.as_slice();
    let body = &bytes[bom_len..];
    let (text, had_errors) = codec.decode_without_bom_handling(body);
    if had_errors || body.len() % 2 == 1 {
        let offset = text.find('\u{FFFD}').unwrap_or(text.len());
        return Err(Undecodable {
            message: format!(
                "the file starts like {} text but contains invalid {} sequences",
                encoding.name(),
                encoding.name()
            ),
            display_text: sanitize(text.into_owned()),
            offset,
        });
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding,
        bom_len,
    })
}

/// BOM-less UTF-16 guess, given a first code unit that is an ASCII character with its NUL high
/// byte (at `zero_at` in each pair): none of the first 32 code units is NUL (U+0000 is no JSON
/// text). Other code units may have any high byte: text in another script may come early.
fn looks_utf16(bytes: &[u8], zero_at: usize) -> bool {
    let head = &bytes[..bytes.len().min(64) & !1];
    head.len() >= 2
        && head
            .chunks(2)
            .all(|c| c[1 - zero_at] != 0 || c[zero_at] != 0)
}

/// UTF-32 (with or without a byte-order mark), which entralint does not read: the error that
/// says so, with the text decoded for display. A BOM-less file is recognised by the NUL bytes
/// of its first character, which JSON's first character (ASCII) has, and the most significant
/// byte of each of its first code units, which is NUL in every UTF-32 character.
fn utf32(bytes: &[u8]) -> Option<Undecodable> {
    let (big_endian, bom) = match bytes {
        [0xFF, 0xFE, 0, 0, ..] => (false, true),
        [0, 0, 0xFE, 0xFF, ..] => (true, true),
        [a, 0, 0, 0, ..] if *a != 0 => (false, false),
        [0, 0, 0, a, ..] if *a != 0 => (true, false),
        _ => return None,
    };
    let unit = |c: &[u8]| -> Option<u32> {
        let c: [u8; 4] = c.try_into().ok()?;
        Some(if big_endian {
            u32::from_be_bytes(c)
        } else {
            u32::from_le_bytes(c)
        })
    };
    let head = &bytes[..bytes.len().min(64)];
    if !bom
        && !head
            .chunks_exact(4)
            .all(|c| unit(c).is_some_and(|u| u <= 0x10FFFF))
    {
        return None;
    }
    let body = &bytes[if bom { 4 } else { 0 }..];
    let text: String = body
        .chunks(4)
        .map(|c| unit(c).and_then(char::from_u32).unwrap_or('\u{FFFD}'))
        .collect();
    let name = if big_endian { "UTF-32BE" } else { "UTF-32LE" };
    Some(Undecodable {
        message: format!(
            "the file is {name} text{}; entralint reads UTF-8 and UTF-16 files: save it as UTF-8",
            if bom { " (with a byte-order mark)" } else { "" }
        ),
        display_text: sanitize(text),
        offset: 0,
    })
}

fn utf8(bytes: Vec<u8>, encoding: Encoding, bom_len: usize) -> Result<Decoded, Undecodable> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text,
            encoding,
            bom_len,
        }),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            Err(Undecodable {
                message: format!(
                    "the file is not UTF-8 or UTF-16 text (invalid byte at offset {})",
                    offset + bom_len
                ),
                offset,
                display_text: sanitize(String::from_utf8_lossy(e.as_bytes()).into_owned()),
            })
        }
    }
}

/// Replaces control characters other than tab, CR and LF by `.` (same byte length).
pub fn sanitize(text: String) -> String {
    if !text
        .bytes()
        .any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F)
    {
        return text;
    }
    text.chars()
        .map(|c| {
            if c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r') {
                '.'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        for u in s.encode_utf16() {
            out.extend_from_slice(&u.to_le_bytes());
        }
        out
    }

    #[test]
    fn plain_utf8() {
        let d = decode(br#"{"a":1}"#.to_vec()).unwrap();
        assert_eq!(d.text, r#"{"a":1}"#);
        assert_eq!(d.encoding, Encoding::Utf8);
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let d = decode(b"\xEF\xBB\xBF{\"a\":\"\xC3\xA9\"}".to_vec()).unwrap();
        assert_eq!(d.text, "{\"a\":\"é\"}");
        assert_eq!((d.encoding, d.bom_len), (Encoding::Utf8Bom, 3));
    }

    #[test]
    fn utf16le_with_bom() {
        let d = decode(utf16le("{\"name\":\"Zoë 中文\"}", true)).unwrap();
        assert_eq!(d.text, "{\"name\":\"Zoë 中文\"}");
        assert_eq!(d.encoding, Encoding::Utf16Le);
    }

    #[test]
    fn utf16be_with_bom() {
        let mut bytes = vec![0xFE, 0xFF];
        for u in "[1]".encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        let d = decode(bytes).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("[1]", Encoding::Utf16Be));
    }

    #[test]
    fn utf16le_without_bom() {
        let d = decode(utf16le("{\"a\": true}", false)).unwrap();
        assert_eq!(d.text, "{\"a\": true}");
    }

    #[test]
    fn binary_is_undecodable_and_sanitized() {
        let e = decode(vec![0x7B, 0x0A, 0x1B, 0x5B, 0xFF, 0xFE, 0x00, 0x80]).unwrap_err();
        assert!(e.message.contains("not UTF-8"), "{}", e.message);
        assert_eq!(e.offset, 4);
        assert!(!e.display_text.contains('\u{1b}'));
    }

    fn utf32(s: &str, bom: bool, big_endian: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some('\u{FEFF}').into_iter().chain(s.chars());
        for c in units {
            let u = c as u32;
            out.extend_from_slice(&if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn utf32_is_recognised_and_said_to_be_not_read() {
        for (bom, big_endian, name) in [
            (true, false, "UTF-32LE text (with a byte-order mark)"),
            (false, false, "UTF-32LE text;"),
            (true, true, "UTF-32BE text (with a byte-order mark)"),
            (false, true, "UTF-32BE text;"),
        ] {
            let e = decode(utf32("{\"name\": \"Zoë 中文\"}", bom, big_endian)).unwrap_err();
            assert!(e.message.contains(name), "{}", e.message);
            assert!(e.message.contains("entralint reads UTF-8 and UTF-16"));
            assert_eq!(e.display_text, "{\"name\": \"Zoë 中文\"}");
            assert_eq!(e.offset, 0);
        }
    }

    #[test]
    fn bomless_utf16_with_other_scripts_early_is_utf16() {
        for text in [
            "{\"displayName\": \"中文中文中文中文中文\"}",
            "[\"Ωμέγα\", \"Ελλάδα\"]",
        ] {
            let d = decode(utf16le(text, false)).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (text, Encoding::Utf16Le));
            let mut be = Vec::new();
            for u in text.encode_utf16() {
                be.extend_from_slice(&u.to_be_bytes());
            }
            let d = decode(be).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (text, Encoding::Utf16Be));
        }
    }

    #[test]
    fn odd_utf16_is_undecodable() {
        let mut b = utf16le("{}", true);
        b.push(0x41);
        assert!(decode(b).is_err());
    }
}
