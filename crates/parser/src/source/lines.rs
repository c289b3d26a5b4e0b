//! The line index: line start offsets and 1-based line/column lookup (columns in chars), in
//! O(log n) however long the lines are.

/// Start offsets of all lines (lines end with `\n`; a `\r` before it belongs to the line).
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// `starts[0] == 0`; one entry after every `\n`. Texts longer than `u32::MAX` bytes are
    /// treated as a single line.
    starts: Vec<u32>,
    /// Number of chars before each `BLOCK`-byte boundary, so that a column on a very long
    /// (minified) line is found without counting from the start of the line.
    blocks: Vec<u32>,
}

/// Granularity of [`LineIndex::blocks`].
const BLOCK: usize = 4096;

/// Chars in a byte range of UTF-8 (any range: continuation bytes are simply not counted).
/// Eight bytes at a time: a continuation byte is one whose top bits are `10`.
fn count_chars(bytes: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let words = bytes.chunks_exact(8);
    let rest = words.remainder();
    let continuations: u32 = words
        .map(|w| {
            let w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            (w & HIGH & !(w << 1)).count_ones()
        })
        .sum();
    bytes.len() - continuations as usize - rest.iter().filter(|&&b| (b as i8) < -0x40).count()
}

/// Appends the offset after every `\n` of `bytes`, eight bytes at a time: in a pretty-printed
/// export a line is a few dozen bytes, too short for a search per line to pay.
fn line_starts(bytes: &[u8], starts: &mut Vec<u32>) {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const NEWLINES: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let words = bytes.chunks_exact(8);
    let rest = words.remainder();
    let mut base = 0u32;
    for w in words {
        let w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        // The top bit of each byte of `x` that is not zero (no carry crosses bytes), that is
        // of each byte that is not a newline.
        let x = w ^ NEWLINES;
        let mut newlines = !(((x & LOW) + LOW) | x) & HIGH;
        while newlines != 0 {
            starts.push(base + newlines.trailing_zeros() / 8 + 1);
            newlines &= newlines - 1;
        }
        base += 8;
    }
    for (i, b) in rest.iter().enumerate() {
        if *b == b'\n' {
            starts.push(base + i as u32 + 1);
        }
    }
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0u32];
        let mut blocks = vec![0u32];
        if u32::try_from(text.len()).is_ok() {
            line_starts(text.as_bytes(), &mut starts);
            let mut total = 0u32;
            for chunk in text.as_bytes().chunks(BLOCK) {
                total += count_chars(chunk) as u32;
                blocks.push(total);
            }
        }
        LineIndex { starts, blocks }
    }

    /// Chars before byte `offset` in the whole text.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let offset = offset.min(text.len());
        let block = offset / BLOCK;
        match self.blocks.get(block) {
            Some(&n) => n as usize + count_chars(&text.as_bytes()[block * BLOCK..offset]),
            None => count_chars(&text.as_bytes()[..offset]),
        }
    }

    /// Chars between two byte offsets (`start <= end`).
    pub fn chars_between(&self, text: &str, start: usize, end: usize) -> usize {
        self.chars_before(text, end)
            .saturating_sub(self.chars_before(text, start))
    }

    /// Number of lines (a trailing `\n` starts one more, empty, line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line containing byte `offset` (a `\n` belongs to the line it ends).
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1)
    }

    /// Byte offset where 0-based `line` starts (0 past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).map_or(0, |&s| s as usize)
    }

    /// End of `line` including its `\n` (start of the next line, or the text length).
    pub fn line_end_full(&self, line: usize, len: usize) -> usize {
        self.starts.get(line + 1).map_or(len, |&s| s as usize)
    }

    /// End of `line` excluding its `\r\n` / `\n`.
    pub fn line_end_content(&self, text: &str, line: usize) -> usize {
        let b = text.as_bytes();
        let mut end = self.line_end_full(line, b.len());
        let start = self.line_start(line);
        if end > start && b.get(end - 1) == Some(&b'\n') {
            end -= 1;
            if end > start && b.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
        }
        end
    }

    /// Length of `line` in bytes, without its `\n`.
    pub fn line_len(&self, text: &str, line: usize) -> usize {
        let start = self.line_start(line);
        let end = self.line_end_full(line, text.len());
        let end = if end > start && text.as_bytes().get(end - 1) == Some(&b'\n') {
            end - 1
        } else {
            end
        };
        end.saturating_sub(start)
    }

    /// 1-based (line, column); the column counts chars from the start of the line.
    /// Offsets past the end clamp to the end; offsets inside a char snap down to its start.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let column = self.chars_between(text, start, offset);
        (line + 1, column + 1)
    }
}

fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_basic_and_multibyte() {
        let text = "ab\né中😀x\n\nlast";
        let li = LineIndex::new(text);
        assert_eq!(li.line_count(), 4);
        assert_eq!(li.line_col(text, 0), (1, 1));
        assert_eq!(li.line_col(text, 2), (1, 3)); // the '\n'
        assert_eq!(li.line_col(text, 3), (2, 1)); // 'é'
        assert_eq!(li.line_col(text, 5), (2, 2)); // '中'
        assert_eq!(li.line_col(text, 6), (2, 2)); // inside '中' snaps down
        assert_eq!(li.line_col(text, 7), (2, 2));
        assert_eq!(li.line_col(text, 8), (2, 3)); // '😀'
        assert_eq!(li.line_col(text, 11), (2, 3)); // inside '😀'
        assert_eq!(li.line_col(text, 12), (2, 4)); // 'x'
        assert_eq!(li.line_col(text, 14), (3, 1)); // empty line
        assert_eq!(li.line_col(text, 15), (4, 1));
        assert_eq!(li.line_col(text, text.len()), (4, 5));
        assert_eq!(li.line_col(text, usize::MAX), (4, 5));
        assert_eq!(LineIndex::new("").line_col("", 7), (1, 1));
        let trailing = "a\n";
        assert_eq!(LineIndex::new(trailing).line_col(trailing, 2), (2, 1));
    }

    #[test]
    fn lines_start_after_every_newline_wherever_it_falls() {
        let pieces = [
            "\n",
            "a",
            "\r\n",
            "\u{e9}",
            "\u{10a0a}",
            "\n\n",
            "\u{a0a}",
            "  ",
        ];
        let mut text = String::new();
        for i in 0..400 {
            text.push_str(pieces[(i * 7 + i / 3) % pieces.len()]);
            let mut starts = Vec::new();
            line_starts(text.as_bytes(), &mut starts);
            let slow: Vec<u32> = text
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i as u32 + 1)
                .collect();
            assert_eq!(starts, slow, "{text:?}");
        }
    }

    #[test]
    fn chars_are_counted_in_any_range_as_one_by_one() {
        let text = "ab\u{e9}\u{4e2d}\u{1f600}x{\"k\": \"\u{fc}ber\"}\n\u{7ff}\u{800}\u{ffff}\u{10000}\u{7f}";
        let text = text.repeat(5);
        let b = text.as_bytes();
        for start in 0..b.len() {
            for end in start..b.len().min(start + 40) {
                let slow = b[start..end]
                    .iter()
                    .filter(|&&c| (c as i8) >= -0x40)
                    .count();
                assert_eq!(count_chars(&b[start..end]), slow, "{start}..{end}");
            }
        }
    }

    #[test]
    fn line_col_crlf() {
        let text = "{\r\n  \"é\": 1\r\n}\r\n";
        let li = LineIndex::new(text);
        assert_eq!(li.line_col(text, 1), (1, 2)); // '\r'
        assert_eq!(li.line_col(text, 2), (1, 3)); // '\n'
        assert_eq!(li.line_col(text, 3), (2, 1));
        let one = text.find('1').unwrap();
        assert_eq!(li.line_col(text, one), (2, 8));
        assert_eq!(li.line_col(text, one + 1), (2, 9)); // '\r'
        assert_eq!(li.line_col(text, text.find('}').unwrap()), (3, 1));
        assert_eq!(li.line_col(text, text.len()), (4, 1));
    }
}
