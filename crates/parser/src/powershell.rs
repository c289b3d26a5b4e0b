//! The subset of PowerShell that Microsoft365DSC's `Export-M365DSCConfiguration` writes
//! (`M365TenantConfig.ps1`, and the `ConfigurationData.psd1` beside it), read with the byte span
//! of every value so that findings land on the line the engineer wrote.
//!
//! There is no PowerShell parser among Rust's crates, and the export is regular: a
//! `Configuration <Name> { param(); $Var = …; Import-DscResource …; Node <name> { <Resource>
//! "<Instance>" { Key = value; … } } }` block, its values quoted strings (backtick escapes,
//! doubled quotes, `$variable` interpolation), `$True`/`$False`/`$null`, numbers, `@(…)` arrays,
//! `@{…}` hash tables, CIM instances `MSFT_X { k = v }`, and variables such as
//! `$ConfigurationData.NonNodeData.ApplicationId` (examples in
//! <https://github.com/microsoft/Microsoft365DSC/tree/dev/Modules/Microsoft365DSC/Examples/Resources>).
//! This hand-written reader covers that subset. What lies outside it (loops, conditionals,
//! function definitions, calls, casts, subexpressions) is not evaluated: each is returned as an
//! [`Outside`] with its span, and a value outside it is [`Ps::Unknown`], never guessed.

use std::ops::Range;

/// A value as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ps {
    /// A string, its escapes decoded; `variables` names the variables it interpolates, kept as
    /// written in `value` (`admin@$OrganizationName`).
    Str {
        value: String,
        variables: Vec<String>,
        span: Range<usize>,
    },
    Bool(bool, Range<usize>),
    Null(Range<usize>),
    Number(serde_json::Number, Range<usize>),
    Array(Vec<Ps>, Range<usize>),
    /// A hash table `@{ k = v }`, or a CIM instance `MSFT_X { k = v }` (`class` is then `MSFT_X`).
    Table {
        class: Option<String>,
        entries: Vec<Property>,
        span: Range<usize>,
    },
    /// A variable, its member path as written (`ConfigurationData.NonNodeData.ApplicationId`).
    Variable(String, Range<usize>),
    /// An expression outside the subset, and what it is.
    Unknown(&'static str, Range<usize>),
}

impl Ps {
    pub(crate) fn span(&self) -> Range<usize> {
        match self {
            Ps::Str { span, .. } | Ps::Table { span, .. } => span.clone(),
            Ps::Bool(_, s)
            | Ps::Null(s)
            | Ps::Number(_, s)
            | Ps::Array(_, s)
            | Ps::Variable(_, s)
            | Ps::Unknown(_, s) => s.clone(),
        }
    }
}

/// `Key = value` in a resource, a CIM instance or a hash table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Property {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Ps,
}

/// A resource block of a `Node`: `AADConditionalAccessPolicy "Instance" { … }`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Block {
    pub resource: String,
    pub resource_span: Range<usize>,
    pub instance: String,
    pub properties: Vec<Property>,
}

/// A statement entralint does not evaluate, and what it is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outside {
    pub what: String,
    pub span: Range<usize>,
}

/// A script read: its configurations' resources, the variables they assign, and what was not
/// evaluated.
#[derive(Debug, Default)]
pub(crate) struct Script {
    /// Whether the script holds a `Configuration` block.
    pub configuration: bool,
    pub blocks: Vec<Block>,
    /// `$Name = value` statements of a configuration, in order.
    pub assignments: Vec<(String, Ps)>,
    pub outside: Vec<Outside>,
}

/// Where the text stops being the subset's syntax.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// Nesting deeper than this (arrays in tables in arrays…) is refused, not recursed into.
const MAX_DEPTH: usize = 64;

/// Reads a script.
pub(crate) fn parse_script(text: &str) -> Result<Script, SyntaxError> {
    let mut p = Parser::new(text);
    let mut script = Script::default();
    p.statements(&mut script, Level::Top, 0)?;
    Ok(script)
}

/// Reads a data file (`.psd1`): one value, a hash table.
pub(crate) fn parse_data(text: &str) -> Result<Ps, SyntaxError> {
    let mut p = Parser::new(text);
    p.skip_trivia(true);
    let value = p.value(0)?;
    p.skip_trivia(true);
    if p.pos < p.bytes.len() {
        return Err(p.error("text after the data file's value"));
    }
    Ok(value)
}

/// The entry `key` of a table (any case).
pub(crate) fn entry<'a>(entries: &'a [Property], key: &str) -> Option<&'a Ps> {
    entries
        .iter()
        .find(|p| p.key.eq_ignore_ascii_case(key))
        .map(|p| &p.value)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Top,
    Configuration,
    Node,
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':' | b'\\' | b'/') || b >= 0x80
}

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn error(&self, message: &str) -> SyntaxError {
        SyntaxError {
            offset: self.pos.min(self.text.len()),
            message: message.to_owned(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<u8> {
        self.bytes.get(self.pos + n).copied()
    }

    /// Skips spaces and comments; newlines too when `newlines`. A backtick at the end of a line
    /// continues it.
    fn skip_trivia(&mut self, newlines: bool) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' if newlines => self.pos += 1,
                b'`' if matches!(self.peek_at(1), Some(b'\n' | b'\r')) => self.pos += 2,
                b'#' => {
                    while self.peek().is_some_and(|b| b != b'\n') {
                        self.pos += 1;
                    }
                }
                b'<' if self.peek_at(1) == Some(b'#') => {
                    match self.text[self.pos + 2..].find("#>") {
                        Some(end) => self.pos += 2 + end + 2,
                        None => self.pos = self.bytes.len(),
                    }
                }
                _ => break,
            }
        }
    }

    /// A bare word (`Configuration`, `Import-DscResource`, `MSFT_X`, a GUID), if one starts here.
    fn word(&mut self) -> Option<(&'t str, Range<usize>)> {
        let start = self.pos;
        while self.peek().is_some_and(is_word_byte) {
            self.pos += 1;
        }
        // Never end inside a character: bytes of 0x80 and above are all taken.
        (self.pos > start).then(|| (&self.text[start..self.pos], start..self.pos))
    }

    fn expect(&mut self, b: u8, what: &str) -> Result<(), SyntaxError> {
        self.skip_trivia(true);
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected {what}")))
        }
    }

    /// Skips a balanced group opened at `pos` (`(`, `{` or `[`), strings and comments included.
    fn skip_group(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos;
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'(' | b'{' | b'[' => {
                    depth += 1;
                    self.pos += 1;
                }
                b')' | b'}' | b']' => {
                    self.pos += 1;
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(());
                    }
                }
                b'"' | b'\'' => {
                    self.string()?;
                }
                b'@' if matches!(self.peek_at(1), Some(b'"' | b'\'')) => {
                    self.string()?;
                }
                b'#' | b'<' if b == b'#' || self.peek_at(1) == Some(b'#') => {
                    self.skip_trivia(false)
                }
                b'`' => self.pos = (self.pos + 2).min(self.bytes.len()),
                _ => self.pos += 1,
            }
        }
        self.pos = start;
        Err(self.error("this bracket is never closed"))
    }

    /// Skips to the end of the statement: the end of the line, or a `;`, or the `}` that closes
    /// the enclosing block (not consumed), groups skipped whole.
    fn skip_statement(&mut self) -> Result<(), SyntaxError> {
        loop {
            self.skip_trivia(false);
            match self.peek() {
                None | Some(b'\n' | b'}') => return Ok(()),
                Some(b';') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'(' | b'{' | b'[') => self.skip_group()?,
                Some(b'"' | b'\'') => {
                    self.string()?;
                }
                Some(b'@') if matches!(self.peek_at(1), Some(b'"' | b'\'')) => {
                    self.string()?;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// Statements until the end of the text (`Top`) or the `}` closing the block.
    fn statements(
        &mut self,
        script: &mut Script,
        level: Level,
        depth: usize,
    ) -> Result<(), SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        loop {
            self.skip_trivia(true);
            while self.peek() == Some(b';') {
                self.pos += 1;
                self.skip_trivia(true);
            }
            let start = self.pos;
            match self.peek() {
                None if level == Level::Top => return Ok(()),
                None => return Err(self.error("expected `}` to close this block")),
                Some(b'}') if level != Level::Top => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'$') => {
                    // `$Name = value`; anything else is outside the subset.
                    self.pos += 1;
                    let name = self.word().map(|(w, _)| w.to_owned());
                    self.skip_trivia(false);
                    match name {
                        Some(name)
                            if self.peek() == Some(b'=') && self.peek_at(1) != Some(b'=') =>
                        {
                            self.pos += 1;
                            self.skip_trivia(false);
                            let value = self.expression(depth + 1)?;
                            if level != Level::Top {
                                script.assignments.push((name, value));
                            }
                            self.skip_statement()?;
                        }
                        _ => {
                            self.skip_statement()?;
                            self.outside(script, "a statement", start);
                        }
                    }
                }
                Some(b) if is_word_byte(b) => {
                    let (word, span) = self.word().expect("a word starts here");
                    let lower = word.to_ascii_lowercase();
                    self.skip_trivia(false);
                    // A parameter block (`param (…)`, its parenthesis on this line or the
                    // next) declares inputs, not resources.
                    if lower == "param" {
                        let end = self.pos;
                        self.skip_trivia(true);
                        if self.peek() == Some(b'(') {
                            self.skip_group()?;
                            continue;
                        }
                        self.pos = end;
                    }
                    match (level, lower.as_str()) {
                        (_, "import-dscresource") => self.skip_statement()?,
                        (Level::Top | Level::Configuration, "configuration") => {
                            let Some(_) = self.word() else {
                                return Err(self.error("expected the configuration's name"));
                            };
                            self.expect(b'{', "`{` to open the configuration")?;
                            script.configuration = true;
                            self.statements(script, Level::Configuration, depth + 1)?;
                        }
                        (Level::Configuration, "node") => {
                            // The node's name (`localhost`, `$AllNodes.NodeName`) says nothing
                            // of the tenant.
                            self.node_name(depth)?;
                            self.expect(b'{', "`{` to open the node")?;
                            self.statements(script, Level::Node, depth + 1)?;
                        }
                        (Level::Node, _) if !is_keyword(&lower) => {
                            self.block(script, word, span, depth)?;
                        }
                        _ => {
                            // `foreach (…) { … }`, `if`, a function, a call: skipped whole,
                            // its block with it.
                            self.skip_statement()?;
                            if is_keyword(&lower) {
                                // Its block may open on the next line.
                                let end = self.pos;
                                self.skip_trivia(true);
                                if self.peek() == Some(b'{') {
                                    self.skip_group()?;
                                } else {
                                    self.pos = end;
                                }
                            }
                            let what = if is_keyword(&lower) {
                                format!("a `{word}` statement")
                            } else {
                                format!("`{word}`")
                            };
                            // At the top level, the call that compiles the configuration is
                            // expected (`M365TenantConfig -ConfigurationData …`).
                            if level != Level::Top || is_keyword(&lower) {
                                self.outside(script, &what, start);
                            }
                        }
                    }
                }
                Some(_) => {
                    self.skip_statement()?;
                    if self.pos == start {
                        self.pos += 1;
                    }
                    self.outside(script, "a statement", start);
                }
            }
        }
    }

    fn outside(&self, script: &mut Script, what: &str, start: usize) {
        let end = self.text[start..self.pos].trim_end().len() + start;
        script.outside.push(Outside {
            what: what.to_owned(),
            span: start..end.max(start),
        });
    }

    fn node_name(&mut self, depth: usize) -> Result<(), SyntaxError> {
        self.skip_trivia(false);
        match self.peek() {
            Some(b'{') | None => Ok(()),
            Some(b'$' | b'"' | b'\'' | b'@') => self.value(depth + 1).map(|_| ()),
            _ => match self.word() {
                Some(_) => Ok(()),
                None => Err(self.error("expected the node's name")),
            },
        }
    }

    /// `<Resource> <instance> { properties }`.
    fn block(
        &mut self,
        script: &mut Script,
        resource: &str,
        resource_span: Range<usize>,
        depth: usize,
    ) -> Result<(), SyntaxError> {
        self.skip_trivia(false);
        let instance = match self.peek() {
            Some(b'"' | b'\'') => match self.string()? {
                Ps::Str { value, .. } => value,
                _ => String::new(),
            },
            Some(b'$') => {
                let start = self.pos;
                self.value(depth + 1)?;
                self.text[start..self.pos].to_owned()
            }
            _ => match self.word() {
                Some((w, _)) => w.to_owned(),
                None => return Err(self.error("expected the resource's instance name")),
            },
        };
        self.expect(b'{', "`{` to open the resource's properties")?;
        let properties = self.properties(depth + 1)?;
        script.blocks.push(Block {
            resource: resource.to_owned(),
            resource_span,
            instance,
            properties,
        });
        Ok(())
    }

    /// `Key = value` entries up to the closing `}` (consumed), separated by `;` or new lines.
    fn properties(&mut self, depth: usize) -> Result<Vec<Property>, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        let mut out = Vec::new();
        loop {
            self.skip_trivia(true);
            while self.peek() == Some(b';') {
                self.pos += 1;
                self.skip_trivia(true);
            }
            match self.peek() {
                None => return Err(self.error("expected `}` to close these properties")),
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(out);
                }
                _ => {}
            }
            let (key, key_span) = match self.peek() {
                Some(b'"' | b'\'') => match self.string()? {
                    Ps::Str { value, span, .. } => (value, span),
                    _ => unreachable!("a quoted key is a string"),
                },
                _ => match self.word() {
                    Some((w, span)) => (w.to_owned(), span),
                    None => return Err(self.error("expected a property name")),
                },
            };
            self.skip_trivia(false);
            if self.peek() != Some(b'=') {
                return Err(self.error(&format!("expected `=` after `{key}`")));
            }
            self.pos += 1;
            self.skip_trivia(true);
            let value = self.expression(depth + 1)?;
            out.push(Property {
                key,
                key_span,
                value,
            });
            self.skip_trivia(false);
            match self.peek() {
                Some(b';' | b'\n' | b'}') | None => {}
                _ => {
                    // More than one value: an expression the subset does not hold.
                    let start = out.last().map_or(self.pos, |p| p.value.span().start);
                    self.skip_statement()?;
                    if let Some(last) = out.last_mut() {
                        let end = self.text[..self.pos].trim_end_matches([';', ' ', '\t', '\r']);
                        last.value = Ps::Unknown("an expression", start..end.len().max(start));
                    }
                }
            }
        }
    }

    /// A value, and `+` concatenations of strings.
    fn expression(&mut self, depth: usize) -> Result<Ps, SyntaxError> {
        let first = self.value(depth)?;
        self.skip_trivia(false);
        if self.peek() != Some(b'+') {
            return Ok(first);
        }
        let start = first.span().start;
        let mut parts = vec![first];
        while self.peek() == Some(b'+') {
            self.pos += 1;
            self.skip_trivia(true);
            parts.push(self.value(depth)?);
            self.skip_trivia(false);
        }
        let span = start..self.pos;
        let mut value = String::new();
        let mut variables = Vec::new();
        for part in parts {
            match part {
                Ps::Str {
                    value: v,
                    variables: vs,
                    ..
                } => {
                    value.push_str(&v);
                    variables.extend(vs);
                }
                Ps::Variable(name, s) => {
                    value.push_str(&self.text[s]);
                    variables.push(name);
                }
                _ => return Ok(Ps::Unknown("an expression", span)),
            }
        }
        Ok(Ps::Str {
            value,
            variables,
            span,
        })
    }

    fn value(&mut self, depth: usize) -> Result<Ps, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.skip_trivia(false);
        let start = self.pos;
        match self.peek() {
            Some(b'"' | b'\'') => self.string(),
            Some(b'@') => match self.peek_at(1) {
                Some(b'"' | b'\'') => self.string(),
                Some(b'(') => {
                    self.pos += 2;
                    let mut items = Vec::new();
                    loop {
                        self.skip_trivia(true);
                        match self.peek() {
                            None => return Err(self.error("expected `)` to close this array")),
                            Some(b')') => {
                                self.pos += 1;
                                break;
                            }
                            Some(b',' | b';') => self.pos += 1,
                            _ => items.push(self.expression(depth + 1)?),
                        }
                    }
                    // `@(@("a"))` is one array in PowerShell; exports do not nest arrays.
                    Ok(Ps::Array(items, start..self.pos))
                }
                Some(b'{') => {
                    self.pos += 2;
                    let entries = self.properties(depth + 1)?;
                    Ok(Ps::Table {
                        class: None,
                        entries,
                        span: start..self.pos,
                    })
                }
                _ => Err(self.error("expected `@(`, `@{` or a here-string")),
            },
            Some(b'$') => {
                self.pos += 1;
                if self.peek() == Some(b'(') {
                    self.skip_group()?;
                    return Ok(Ps::Unknown("a subexpression", start..self.pos));
                }
                let Some((name, _)) = self.word() else {
                    return Err(self.error("expected a variable name after `$`"));
                };
                let span = start..self.pos;
                match name.to_ascii_lowercase().as_str() {
                    "true" => Ok(Ps::Bool(true, span)),
                    "false" => Ok(Ps::Bool(false, span)),
                    "null" => Ok(Ps::Null(span)),
                    _ => {
                        // A method call or an index (`$x.Split('.')[0]`) is outside the subset.
                        if matches!(self.peek(), Some(b'(' | b'[')) {
                            self.skip_group()?;
                            while matches!(self.peek(), Some(b'(' | b'[' | b'.')) {
                                if self.peek() == Some(b'.') {
                                    self.pos += 1;
                                    self.word();
                                } else {
                                    self.skip_group()?;
                                }
                            }
                            return Ok(Ps::Unknown("an expression", start..self.pos));
                        }
                        Ok(Ps::Variable(name.to_owned(), span))
                    }
                }
            }
            Some(b'(' | b'[') => {
                self.skip_group()?;
                // A cast's operand follows it: `[System.String]"x"`.
                if self.text[start..].starts_with('[') {
                    self.skip_trivia(false);
                    if !matches!(self.peek(), Some(b';' | b'\n' | b'}' | b')') | None) {
                        self.value(depth + 1)?;
                    }
                    return Ok(Ps::Unknown("a cast", start..self.pos));
                }
                Ok(Ps::Unknown("a parenthesised expression", start..self.pos))
            }
            Some(b) if b == b'-' || b.is_ascii_digit() => {
                let (word, span) = self.word().expect("a word starts here");
                match parse_number(word) {
                    Some(n) => Ok(Ps::Number(n, span)),
                    None => Ok(Ps::Unknown("a command", span)),
                }
            }
            Some(b) if is_word_byte(b) => {
                let (word, span) = self.word().expect("a word starts here");
                // A CIM class's `{` may open on the next line.
                let end = self.pos;
                let cim = word
                    .get(..5)
                    .is_some_and(|p| p.eq_ignore_ascii_case("MSFT_"));
                self.skip_trivia(cim);
                if self.peek() != Some(b'{') {
                    self.pos = end;
                    self.skip_trivia(false);
                }
                if self.peek() == Some(b'{') {
                    // A CIM instance: `MSFT_AADConditionalAccessPolicyRule { … }`.
                    self.pos += 1;
                    let entries = self.properties(depth + 1)?;
                    return Ok(Ps::Table {
                        class: Some(word.to_owned()),
                        entries,
                        span: start..self.pos,
                    });
                }
                // A command (`New-CimInstance …`): outside the subset, up to the line's end.
                let _ = (word, span);
                self.skip_statement_value()?;
                Ok(Ps::Unknown("a command", start..self.pos))
            }
            _ => Err(self.error("expected a value")),
        }
    }

    /// Skips a command used as a value, up to the end of its line or the value's closer.
    fn skip_statement_value(&mut self) -> Result<(), SyntaxError> {
        loop {
            self.skip_trivia(false);
            match self.peek() {
                None | Some(b'\n' | b';' | b'}' | b')' | b',') => return Ok(()),
                Some(b'(' | b'{' | b'[') => self.skip_group()?,
                Some(b'"' | b'\'') => {
                    self.string()?;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// A quoted string or a here-string, at `pos`. Double-quoted strings decode backtick escapes
    /// and name the variables they interpolate (kept as written in the value).
    fn string(&mut self) -> Result<Ps, SyntaxError> {
        let start = self.pos;
        let here = self.peek() == Some(b'@');
        if here {
            self.pos += 1;
        }
        let quote = self.peek().expect("a quote starts here");
        self.pos += 1;
        let double = quote == b'"';
        if here {
            // `@"` must end its line; the string ends at a line starting with `"@`.
            let close = if double { "\n\"@" } else { "\n'@" };
            let Some(line_end) = self.text[self.pos..].find('\n') else {
                return Err(self.error("a here-string's opening quote must end its line"));
            };
            let body_start = self.pos + line_end + 1;
            let Some(end) = self.text[body_start - 1..].find(close) else {
                self.pos = start;
                return Err(self.error("this here-string is never closed"));
            };
            let body_end = body_start - 1 + end;
            let raw = self.text[body_start.min(body_end)..body_end].trim_end_matches('\r');
            self.pos = body_end + close.len();
            let (value, variables) = if double {
                decode_double(raw)
            } else {
                (raw.to_owned(), Vec::new())
            };
            return Ok(Ps::Str {
                value,
                variables,
                span: start..self.pos,
            });
        }
        let body_start = self.pos;
        loop {
            match self.peek() {
                None => {
                    self.pos = start;
                    return Err(self.error("this string is never closed"));
                }
                Some(b'`') if double => self.pos = (self.pos + 2).min(self.bytes.len()),
                Some(b) if b == quote => {
                    if self.peek_at(1) == Some(quote) {
                        self.pos += 2;
                    } else {
                        break;
                    }
                }
                Some(b'$') if double && self.peek_at(1) == Some(b'(') => {
                    self.pos += 1;
                    self.skip_group()?;
                }
                Some(_) => self.pos += 1,
            }
        }
        let raw = &self.text[body_start..self.pos];
        self.pos += 1;
        let (value, variables) = if double {
            decode_double(raw)
        } else {
            (raw.replace("''", "'"), Vec::new())
        };
        Ok(Ps::Str {
            value,
            variables,
            span: start..self.pos,
        })
    }
}

/// The words that open a statement entralint does not evaluate.
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "foreach"
            | "for"
            | "while"
            | "do"
            | "if"
            | "elseif"
            | "else"
            | "switch"
            | "function"
            | "filter"
            | "try"
            | "catch"
            | "finally"
            | "trap"
            | "return"
            | "break"
            | "continue"
            | "throw"
    )
}

fn parse_number(word: &str) -> Option<serde_json::Number> {
    if let Ok(i) = word.parse::<i64>() {
        return Some(i.into());
    }
    word.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
}

/// The value of a double-quoted string's body: backtick escapes decoded, `""` as `"`, variables
/// kept as written and named.
fn decode_double(raw: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(raw.len());
    let mut variables = Vec::new();
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '`' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, '0')) => out.push('\0'),
                Some((_, 'a')) => out.push('\u{7}'),
                Some((_, 'b')) => out.push('\u{8}'),
                Some((_, 'e')) => out.push('\u{1b}'),
                Some((_, 'f')) => out.push('\u{c}'),
                Some((_, 'v')) => out.push('\u{b}'),
                Some((_, other)) => out.push(other),
                None => out.push('`'),
            },
            '"' if matches!(chars.peek(), Some((_, '"'))) => {
                chars.next();
                out.push('"');
            }
            '$' => {
                let rest = &raw[i + 1..];
                let name: String = if let Some(braced) = rest.strip_prefix('{') {
                    braced.split('}').next().unwrap_or("").to_owned()
                } else if rest.starts_with('(') {
                    "(".to_owned()
                } else {
                    rest.chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                        .collect()
                };
                out.push('$');
                if !name.is_empty() {
                    variables.push(name);
                }
            }
            _ => out.push(c),
        }
    }
    (out, variables)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of<'a>(text: &'a str, p: &Ps) -> &'a str {
        &text[p.span()]
    }

    const EXPORT: &str = r#"# Generated with Microsoft365DSC
param (
)

Configuration M365TenantConfig
{
    param
    (
        [Parameter()]
        [System.String]
        $TenantId
    )

    $OrganizationName = $ConfigurationData.NonNodeData.OrganizationName

    Import-DscResource -ModuleName 'Microsoft365DSC' -ModuleVersion '1.24.717.1'

    Node localhost
    {
        AADConditionalAccessPolicy "AADConditionalAccessPolicy-Require MFA"
        {
            BuiltInControls = @("mfa");
            DisplayName     = "Require ""MFA"" `t for `$all";
            ExcludeUsers    = @("bg@$OrganizationName", 'it''s');
            IsEnabled       = $True;
            Duration        = 4
            ApplicationId   = $ConfigurationData.NonNodeData.ApplicationId;
            Rule            = MSFT_AADRoleManagementPolicyApprovalRule {
                IsApprovalRequired = $False
            };
        }
        AADRoleSetting 28b253d8-cde5-471f-a331-fe7320023cdd
        {
            Schedule = MSFT_Schedule
            {
                type = 'noExpiration'
            }
            Displayname = 'Application Administrator'
            Credential = $Credscredential
        }
    }
}

M365TenantConfig -ConfigurationData .\ConfigurationData.psd1
"#;

    #[test]
    fn an_export_is_read_with_its_spans() {
        let s = parse_script(EXPORT).unwrap();
        assert!(s.configuration);
        assert!(s.outside.is_empty(), "{:?}", s.outside);
        assert_eq!(s.assignments.len(), 1);
        assert_eq!(s.assignments[0].0, "OrganizationName");
        assert_eq!(s.blocks.len(), 2);
        let b = &s.blocks[0];
        assert_eq!(b.resource, "AADConditionalAccessPolicy");
        assert_eq!(b.instance, "AADConditionalAccessPolicy-Require MFA");
        let get = |k: &str| entry(&b.properties, k).unwrap();
        assert_eq!(text_of(EXPORT, get("BuiltInControls")), r#"@("mfa")"#);
        match get("DisplayName") {
            Ps::Str { value, .. } => assert_eq!(value, "Require \"MFA\" \t for $all"),
            other => panic!("{other:?}"),
        }
        match get("ExcludeUsers") {
            Ps::Array(items, _) => {
                assert_eq!(text_of(EXPORT, &items[0]), r#""bg@$OrganizationName""#);
                match &items[0] {
                    Ps::Str { variables, .. } => assert_eq!(variables, &["OrganizationName"]),
                    other => panic!("{other:?}"),
                }
                match &items[1] {
                    Ps::Str { value, .. } => assert_eq!(value, "it's"),
                    other => panic!("{other:?}"),
                }
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(get("IsEnabled"), Ps::Bool(true, _)));
        assert!(matches!(get("Duration"), Ps::Number(n, _) if n.as_i64() == Some(4)));
        assert!(
            matches!(get("ApplicationId"), Ps::Variable(v, _) if v == "ConfigurationData.NonNodeData.ApplicationId")
        );
        match get("Rule") {
            Ps::Table { class, entries, .. } => {
                assert_eq!(
                    class.as_deref(),
                    Some("MSFT_AADRoleManagementPolicyApprovalRule")
                );
                assert!(matches!(
                    entry(entries, "isapprovalrequired"),
                    Some(Ps::Bool(false, _))
                ));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(s.blocks[1].instance, "28b253d8-cde5-471f-a331-fe7320023cdd");
    }

    #[test]
    fn loops_and_calls_are_outside_the_subset() {
        let text = r#"Configuration C {
    Node localhost {
        foreach ($p in $ConfigurationData.NonNodeData.Policies)
        {
            AADConditionalAccessPolicy $p.Name { DisplayName = $p.Name }
        }
        AADConditionalAccessPolicy "x" {
            DisplayName = (Get-Name)
            State = "enabled"
            Users = $names.Split(',')
            Other = Get-Thing -Name x
        }
    }
}"#;
        let s = parse_script(text).unwrap();
        assert_eq!(s.outside.len(), 1, "{:?}", s.outside);
        assert!(text[s.outside[0].span.clone()].starts_with("foreach ("));
        assert!(text[s.outside[0].span.clone()].ends_with('}'));
        let b = &s.blocks[0];
        assert!(matches!(
            entry(&b.properties, "DisplayName"),
            Some(Ps::Unknown(..))
        ));
        assert!(matches!(
            entry(&b.properties, "State"),
            Some(Ps::Str { .. })
        ));
        assert!(matches!(
            entry(&b.properties, "Users"),
            Some(Ps::Unknown(..))
        ));
        assert!(matches!(
            entry(&b.properties, "Other"),
            Some(Ps::Unknown(..))
        ));
    }

    #[test]
    fn comments_and_here_strings() {
        let text = "<# a\n block #>\nConfiguration C { # note\n Node localhost { R 'i' {\n  A = @\"\nline \"one\"\n\"@\n  B = 'x' # trailing\n } } }";
        let s = parse_script(text).unwrap();
        let b = &s.blocks[0];
        match entry(&b.properties, "A") {
            Some(Ps::Str { value, .. }) => assert_eq!(value, "line \"one\""),
            other => panic!("{other:?}"),
        }
        assert!(matches!(entry(&b.properties, "B"), Some(Ps::Str { value, .. }) if value == "x"));
    }

    #[test]
    fn broken_text_is_an_error_with_its_place() {
        for (text, at) in [
            (
                "Configuration C { Node localhost { R 'i' { A = \"open } } }",
                "\"open",
            ),
            (
                "Configuration C { Node localhost { R 'i' { A = @(1, 2 } } }",
                "} } }",
            ),
            (
                "Configuration C { Node localhost { R 'i' { A } } }",
                "} } }",
            ),
        ] {
            let e = parse_script(text).unwrap_err();
            assert_eq!(e.offset, text.find(at).unwrap(), "{text}: {}", e.message);
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_recursed() {
        let text = format!(
            "Configuration C {{ Node localhost {{ R 'i' {{ A = {}1{} }} }} }}",
            "@(".repeat(10_000),
            ")".repeat(10_000)
        );
        let e = parse_script(&text).unwrap_err();
        assert!(e.message.contains("nested too deeply"));
    }

    #[test]
    fn data_file() {
        let text = "@{\n AllNodes = @(@{ NodeName = 'localhost' })\n NonNodeData = @(\n  @{\n   # the tenant\n   OrganizationName = \"contoso.onmicrosoft.com\"\n  }\n )\n}\n";
        let Ps::Table { entries, .. } = parse_data(text).unwrap() else {
            panic!()
        };
        let Some(Ps::Array(items, _)) = entry(&entries, "nonnodedata") else {
            panic!()
        };
        let Ps::Table { entries, .. } = &items[0] else {
            panic!()
        };
        assert!(
            matches!(entry(entries, "OrganizationName"), Some(Ps::Str { value, .. }) if value == "contoso.onmicrosoft.com")
        );
    }

    #[test]
    fn words_are_never_cut_inside_a_character() {
        for value in ["éééé", "MSFTé", "MSFTé\n{ x = 1 }", "MSFT_é { x = 1 }"] {
            let text =
                format!("Configuration C {{ Node localhost {{ R 'i' {{ A = {value} }} }} }}");
            let _ = parse_script(&text);
        }
    }

    #[test]
    fn no_text_panics() {
        // Every prefix of an export, cut anywhere (inside characters too), reads or fails.
        let text = format!("{EXPORT}\n R 'é' {{ A = \"é`\" }}");
        for end in 0..text.len() {
            if text.is_char_boundary(end) {
                let _ = parse_script(&text[..end]);
                let _ = parse_data(&text[..end]);
            }
        }
    }
}
