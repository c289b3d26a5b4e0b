//! Logical addresses: which file an object came from and where in it (a JSON Pointer).
//!
//! Pointers are kept in the canonical spelling of the model (Graph's camelCase keys). The
//! [`SourceMap`](crate::SourceMap) resolves them against the real text, matching keys ignoring
//! ASCII case (the last of keys that differ only in case, the one the loader reads), so a pointer
//! built as `/policy/rules/3` finds `/Policy/Rules/3` in an EntraExporter file and
//! `/conditions/users` finds ScubaGear's `/Conditions/Users`.

use std::fmt;

/// Index of a loaded file in the [`SourceMap`](crate::SourceMap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// An RFC 6901 JSON Pointer (`""` is the document root).
#[derive(Clone, Default)]
pub struct Pointer(Text);

/// A pointer's escaped text. Most pointers are short (`/value/123`, `/value/7/members/42`) and
/// are kept in place: every object of the model has one.
#[derive(Clone)]
enum Text {
    Short { len: u8, bytes: [u8; SHORT] },
    Long(Box<str>),
}

/// The longest text kept in place (the enum is then as large as a `String`).
const SHORT: usize = 22;

impl Default for Text {
    fn default() -> Self {
        Text::Short {
            len: 0,
            bytes: [0; SHORT],
        }
    }
}

impl Pointer {
    pub fn root() -> Self {
        Pointer::default()
    }

    /// Parses a pointer that is already escaped (`/a~1b/0`).
    pub fn parse(raw: &str) -> Self {
        let mut p = Pointer::root();
        p.push_escaped(raw);
        p
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Only whole `str`s are ever written in place.
            Text::Short { len, bytes } => {
                std::str::from_utf8(&bytes[..*len as usize]).unwrap_or("")
            }
            Text::Long(s) => s,
        }
    }

    /// Appends text that is already escaped.
    fn push_escaped(&mut self, text: &str) {
        match &mut self.0 {
            Text::Short { len, bytes } => {
                let start = *len as usize;
                match bytes.get_mut(start..start + text.len()) {
                    Some(room) => {
                        room.copy_from_slice(text.as_bytes());
                        *len += text.len() as u8;
                    }
                    None => {
                        let mut long = String::with_capacity(start + text.len());
                        long.push_str(self.as_str());
                        long.push_str(text);
                        self.0 = Text::Long(long.into_boxed_str());
                    }
                }
            }
            Text::Long(s) => {
                let mut long = String::with_capacity(s.len() + text.len());
                long.push_str(s);
                long.push_str(text);
                *s = long.into_boxed_str();
            }
        }
    }

    /// Appends one unescaped token (a key or an array index).
    pub fn push(&mut self, token: &str) {
        if !token.contains(['~', '/']) {
            self.push_escaped("/");
            self.push_escaped(token);
            return;
        }
        let mut escaped = String::with_capacity(token.len() + 3);
        escaped.push('/');
        for c in token.chars() {
            match c {
                '~' => escaped.push_str("~0"),
                '/' => escaped.push_str("~1"),
                c => escaped.push(c),
            }
        }
        self.push_escaped(&escaped);
    }

    /// Length of the escaped text, for [`Pointer::truncate`].
    pub fn text_len(&self) -> usize {
        self.as_str().len()
    }

    /// Cuts the pointer back to a length obtained from [`Pointer::text_len`].
    pub fn truncate(&mut self, new_len: usize) {
        match &mut self.0 {
            Text::Short { len, .. } => *len = (*len).min(new_len.min(SHORT) as u8),
            Text::Long(s) => {
                if let Some(kept) = s.get(..new_len) {
                    *s = kept.into();
                }
            }
        }
    }

    pub fn child(&self, token: &str) -> Pointer {
        if !token.contains(['~', '/']) {
            return self.joined("/", token);
        }
        let mut p = self.clone();
        p.push(token);
        p
    }

    /// The pointer to element `i` of the array this one points at. The loader makes one for
    /// every element it reads: made in one go, not copied and then lengthened.
    pub fn index(&self, i: usize) -> Pointer {
        let mut digits = Digits::default();
        self.joined("/", digits.of(i))
    }

    /// Appends an array index.
    pub fn push_index(&mut self, i: usize) {
        let mut digits = Digits::default();
        self.push_escaped("/");
        self.push_escaped(digits.of(i));
    }

    /// This pointer's text followed by `separator` and `tail` (both already escaped).
    fn joined(&self, separator: &str, tail: &str) -> Pointer {
        let head = self.as_str();
        let len = head.len() + separator.len() + tail.len();
        if len <= SHORT {
            let mut bytes = [0u8; SHORT];
            let (h, rest) = bytes.split_at_mut(head.len());
            h.copy_from_slice(head.as_bytes());
            let (s, rest) = rest.split_at_mut(separator.len());
            s.copy_from_slice(separator.as_bytes());
            rest[..tail.len()].copy_from_slice(tail.as_bytes());
            return Pointer(Text::Short {
                len: len as u8,
                bytes,
            });
        }
        let mut long = String::with_capacity(len);
        long.push_str(head);
        long.push_str(separator);
        long.push_str(tail);
        Pointer(Text::Long(long.into_boxed_str()))
    }

    /// Appends a relative path written with `/` separators (`"conditions/users/excludeUsers"`).
    /// Each segment is a plain key or index; keys containing `/` must use [`Pointer::child`].
    pub fn join(&self, relative: &str) -> Pointer {
        let mut p = self.clone();
        for seg in relative.split('/').filter(|s| !s.is_empty()) {
            p.push(seg);
        }
        p
    }

    /// The unescaped tokens of the pointer.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.as_str()
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
    }

    /// The parent pointer and the last token, or `None` at the root.
    pub fn split_last(&self) -> Option<(Pointer, String)> {
        let text = self.as_str();
        let cut = text.rfind('/')?;
        let last = text[cut + 1..].replace("~1", "/").replace("~0", "~");
        Some((Pointer::parse(&text[..cut]), last))
    }

    /// Whether `self` equals `other` or lies inside it.
    pub fn starts_with(&self, other: &Pointer) -> bool {
        let (text, other) = (self.as_str(), other.as_str());
        text == other
            || (text.starts_with(other) && text.as_bytes().get(other.len()) == Some(&b'/'))
    }
}

/// Room to write an index in decimal (`usize::MAX` has 20 digits).
#[derive(Default)]
struct Digits {
    bytes: [u8; 20],
}

impl Digits {
    /// `i` in decimal, written from the end of the room.
    fn of(&mut self, mut i: usize) -> &str {
        let mut start = self.bytes.len();
        loop {
            start -= 1;
            self.bytes[start] = b'0' + (i % 10) as u8;
            i /= 10;
            if i == 0 {
                break;
            }
        }
        std::str::from_utf8(&self.bytes[start..]).unwrap_or("")
    }
}

impl PartialEq for Pointer {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Pointer {}

impl PartialOrd for Pointer {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pointer {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Pointer {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pointer").field(&self.as_str()).finish()
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an object of the model came from: a file and a pointer into it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Origin {
    pub file: FileId,
    pub pointer: Pointer,
}

impl Origin {
    pub fn new(file: FileId, pointer: Pointer) -> Self {
        Origin { file, pointer }
    }

    /// The address of a field below this object: `policy.origin.at("conditions/users/excludeUsers")`.
    pub fn at(&self, relative: &str) -> Origin {
        Origin {
            file: self.file,
            pointer: self.pointer.join(relative),
        }
    }

    /// The address of the `i`-th element of the array at `relative`.
    pub fn at_index(&self, relative: &str, i: usize) -> Origin {
        Origin {
            file: self.file,
            pointer: self.pointer.join(relative).index(i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_in_one_go_as_made_piece_by_piece() {
        let mut indexes = vec![0, 1, 9, 10, 99, 100, 12345, usize::MAX];
        indexes.extend(0..40);
        // Short and long heads, and pointers that become long on the token added.
        for head in [
            "",
            "/a",
            "/value/12/rules/3",
            "/privileged_roles/12345",
            "/x".repeat(30).as_str(),
        ] {
            let head = Pointer::parse(head);
            for &i in &indexes {
                let mut expected = head.as_str().to_owned();
                expected.push_str(&format!("/{i}"));
                assert_eq!(head.index(i).as_str(), expected);
                let mut pushed = head.clone();
                pushed.push_index(i);
                assert_eq!(pushed, head.index(i));
            }
            for token in ["", "k", "rules", "a/b", "~", "twenty-two characters!"] {
                let mut pushed = head.clone();
                pushed.push(token);
                assert_eq!(head.child(token), pushed, "{token}");
            }
        }
    }

    #[test]
    fn push_escapes_rfc6901() {
        let p = Pointer::root().child("a/b").child("~x").index(3);
        assert_eq!(p.as_str(), "/a~1b/~0x/3");
        assert_eq!(p.tokens().collect::<Vec<_>>(), vec!["a/b", "~x", "3"]);
    }

    #[test]
    fn join_and_split_last() {
        let p = Pointer::parse("/value/2").join("conditions/users/excludeUsers");
        assert_eq!(p.as_str(), "/value/2/conditions/users/excludeUsers");
        let (parent, last) = p.split_last().unwrap();
        assert_eq!(parent.as_str(), "/value/2/conditions/users");
        assert_eq!(last, "excludeUsers");
        assert!(Pointer::root().split_last().is_none());
    }

    #[test]
    fn short_and_long_pointers_behave_alike() {
        let mut p = Pointer::root();
        let mut text = String::new();
        for i in 0..12 {
            p.push(&format!("k{i}"));
            text.push_str(&format!("/k{i}"));
            assert_eq!(p.as_str(), text);
            assert_eq!(p, Pointer::parse(&text));
            assert_eq!(format!("{p:?}"), format!("Pointer({text:?})"));
        }
        let len = Pointer::parse("/k0/k1").text_len();
        p.truncate(len);
        assert_eq!(p, Pointer::parse("/k0/k1"));
        assert_eq!(p.index(12345678).as_str(), "/k0/k1/12345678");
        let long = Pointer::parse("/a-rather-long-key-to-start-with/x");
        assert!(long.join("y/0").starts_with(&long));
        assert!(Pointer::parse("/b") > Pointer::parse("/a-rather-long-key-to-start-with"));
        assert_eq!(Pointer::parse("/é/中").child("~/").as_str(), "/é/中/~0~1");
        assert_eq!(std::mem::size_of::<Pointer>(), 24);
    }

    #[test]
    fn starts_with_respects_token_boundaries() {
        let a = Pointer::parse("/value/1");
        assert!(Pointer::parse("/value/1/x").starts_with(&a));
        assert!(Pointer::parse("/value/1").starts_with(&a));
        assert!(!Pointer::parse("/value/10").starts_with(&a));
    }
}
