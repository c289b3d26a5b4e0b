//! JSON with comments (JSONC): `//` and `/* */` comments, and commas before a closing bracket, as
//! EasyPIM's orchestrator configuration allows them (its `Remove-JsonComments` strips the
//! comments before `ConvertFrom-Json`, <https://github.com/kayasax/EasyPIM>,
//! `EasyPIM.Orchestrator/internal/functions/Remove-JsonComments.ps1`).
//!
//! The text is made JSON by blanking: every byte of a comment and every trailing comma becomes a
//! space, line breaks stay. Offsets, lines and columns are therefore those of the file, and a
//! location found in the JSON is a location in the file as written.

/// A JSONC text made JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blanked {
    /// The text, comments and trailing commas blanked (same length, same line breaks).
    pub text: String,
    /// Where each comment starts.
    pub comments: Vec<usize>,
    /// Where each trailing comma was.
    pub trailing_commas: Vec<usize>,
}

/// Blanks the comments and trailing commas outside strings. An unterminated block comment runs to
/// the end of the text.
pub fn blank(text: &str) -> Blanked {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut comments = Vec::new();
    let mut trailing_commas = Vec::new();
    let mut i = 0;
    let mut in_string = false;
    // The last comma outside strings and comments not yet followed by a value.
    let mut comma: Option<usize> = None;
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match (c, b.get(i + 1)) {
            (b'/', Some(b'/')) => {
                comments.push(i);
                while i < b.len() && b[i] != b'\n' {
                    // A `\r` before the line break stays a line ending.
                    if b[i] != b'\r' {
                        out[i] = b' ';
                    }
                    i += 1;
                }
                continue;
            }
            (b'/', Some(b'*')) => {
                comments.push(i);
                let end = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                for o in &mut out[i..end] {
                    if *o != b'\n' && *o != b'\r' {
                        *o = b' ';
                    }
                }
                i = end;
                continue;
            }
            (b'"', _) => {
                in_string = true;
                comma = None;
            }
            (b',', _) => comma = Some(i),
            (b']' | b'}', _) => {
                if let Some(at) = comma.take() {
                    out[at] = b' ';
                    trailing_commas.push(at);
                }
            }
            (c, _) if c.is_ascii_whitespace() => {}
            _ => comma = None,
        }
        i += 1;
    }
    // Only ASCII bytes, and whole comments, were replaced by ASCII spaces: still UTF-8.
    let text = String::from_utf8(out).unwrap_or_else(|_| text.to_owned());
    Blanked {
        text,
        comments,
        trailing_commas,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_trailing_commas_keep_positions() {
        let text = "[1, // one\r\n 2, /* two\n é */\n]";
        let b = blank(text);
        assert_eq!(b.text.len(), text.len());
        assert_eq!(b.text.lines().count(), text.lines().count());
        let v: serde_json::Value = serde_json::from_str(&b.text).unwrap();
        assert_eq!(v, serde_json::json!([1, 2]));
        assert_eq!(b.comments, vec![4, 16]);
        assert_eq!(b.trailing_commas, vec![14]);
        assert!(b.text.contains("\r\n"));
    }

    #[test]
    fn strings_are_left_alone() {
        let text = r#"["a,]", "//", "/* x */", "q\"//"]"#;
        let b = blank(text);
        assert_eq!(b.text, text);
        assert!(b.comments.is_empty());
        assert!(b.trailing_commas.is_empty());
    }
}
