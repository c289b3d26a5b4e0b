//! Logical addresses: which file an object came from and where in it (a JSON Pointer).
//!
//! Pointers are kept in the canonical spelling of the model (Graph's camelCase keys). The
//! [`SourceMap`](crate::SourceMap) resolves them against the real text, matching keys exactly first and
//! then ignoring ASCII case, so a pointer built as `/policy/rules/3` finds `/Policy/Rules/3` in an
//! EntraExporter file and `/conditions/users` finds ScubaGear's `/Conditions/Users`.

use std::fmt;

/// Index of a loaded file in the [`SourceMap`](crate::SourceMap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// An RFC 6901 JSON Pointer (`""` is the document root).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pointer(String);

impl Pointer {
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// Parses a pointer that is already escaped (`/a~1b/0`).
    pub fn parse(raw: &str) -> Self {
        Pointer(raw.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Appends one unescaped token (a key or an array index).
    pub fn push(&mut self, token: &str) {
        self.0.push('/');
        for c in token.chars() {
            match c {
                '~' => self.0.push_str("~0"),
                '/' => self.0.push_str("~1"),
                c => self.0.push(c),
            }
        }
    }

    /// Length of the escaped text, for [`Pointer::truncate`].
    pub fn text_len(&self) -> usize {
        self.0.len()
    }

    /// Cuts the pointer back to a length obtained from [`Pointer::text_len`].
    pub fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }

    pub fn child(&self, token: &str) -> Pointer {
        let mut p = self.clone();
        p.push(token);
        p
    }

    pub fn index(&self, i: usize) -> Pointer {
        let mut p = self.clone();
        p.push_index(i);
        p
    }

    /// Appends an array index.
    pub fn push_index(&mut self, i: usize) {
        use std::fmt::Write;
        let _ = write!(self.0, "/{i}");
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
        self.0
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
    }

    /// The parent pointer and the last token, or `None` at the root.
    pub fn split_last(&self) -> Option<(Pointer, String)> {
        let cut = self.0.rfind('/')?;
        let last = self.0[cut + 1..].replace("~1", "/").replace("~0", "~");
        Some((Pointer(self.0[..cut].to_owned()), last))
    }

    /// Whether `self` equals `other` or lies inside it.
    pub fn starts_with(&self, other: &Pointer) -> bool {
        self.0 == other.0
            || (self.0.starts_with(&other.0) && self.0.as_bytes().get(other.0.len()) == Some(&b'/'))
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
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
    fn starts_with_respects_token_boundaries() {
        let a = Pointer::parse("/value/1");
        assert!(Pointer::parse("/value/1/x").starts_with(&a));
        assert!(Pointer::parse("/value/1").starts_with(&a));
        assert!(!Pointer::parse("/value/10").starts_with(&a));
    }
}
