//! Which entralint.toml applies, and reading it; its errors are rendered as diagnostics pointing
//! into the file (exit status 2). What the file means is `entralint_lint::config_file`'s.

use entralint_lint::config_file::{self, ConfigError};
use entralint_lint::config_imports::import_accounts;
use entralint_lint::settings::{Account, AccountKind, Date, Import};
use entralint_lint::{IndexedSource, Settings};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use std::fmt;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "entralint.toml";

/// The configuration file to use: `--config`, else the nearest entralint.toml upward from the
/// first path, else upward from the current directory.
pub fn find(explicit: Option<&Path>, first_path: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    let cwd = std::env::current_dir().ok();
    let start = first_path.map(|p| match cwd.as_ref() {
        Some(cwd) if p.is_relative() => cwd.join(p),
        _ => p.to_path_buf(),
    });
    let start = start.map(|p| {
        if p.is_file() {
            p.parent().map(Path::to_path_buf).unwrap_or(p)
        } else {
            p
        }
    });
    for dir in start.iter().chain(cwd.iter()) {
        for d in dir.ancestors() {
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Reads and validates the file (a regular file, of at most
/// [`MAX_CONFIG_BYTES`](crate::files::MAX_CONFIG_BYTES)); an error is returned already rendered,
/// ready for standard error.
pub fn read(path: &Path, display: &str) -> Result<(String, Settings), String> {
    let bytes = crate::files::read_regular(path, crate::files::MAX_CONFIG_BYTES)
        .map_err(|e| format!("cannot read {display}: {e}"))?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("cannot read {display}: not UTF-8 text"))?;
    let mut settings = match config_file::parse(&text) {
        Ok(settings) => settings,
        Err(e) => return Err(render_error(display, &text, e)),
    };
    let base = path.parent().unwrap_or(Path::new(""));
    for import in settings.tenant.imports.clone() {
        let accounts = read_import(base, &import).map_err(|message| {
            let error = ConfigError {
                message: format!(
                    "cannot import break-glass accounts from `{}` ({}): {message}",
                    import.path,
                    import.tool.as_str()
                ),
                span: import.span.clone(),
                help: Some(format!(
                    "the path is relative to {FILE_NAME}; the file must list the accounts in `{}`",
                    import.tool.field()
                )),
            };
            render_error(display, &text, error)
        })?;
        settings
            .tenant
            .break_glass
            .extend(accounts.into_iter().map(|(kind, value)| Account {
                kind,
                value,
                note: Some(format!("from {}", import.path)),
                span: import.span.clone(),
            }));
    }
    Ok((text, settings))
}

/// The accounts another tool's file declares (`[accounts] import`).
fn read_import(base: &Path, import: &Import) -> Result<Vec<(AccountKind, String)>, String> {
    let path = base.join(&import.path);
    let bytes = crate::files::read_regular(&path, crate::files::MAX_CONFIG_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned())?;
    import_accounts(import.tool, &text)
}

/// Today's date (UTC), for suppression expiry; `--today` replaces it.
pub fn today(given: Option<&str>) -> Result<Date, String> {
    match given {
        Some(s) => {
            Date::parse(s).ok_or_else(|| format!("--today `{s}` is not a date (YYYY-MM-DD)"))
        }
        None => {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64);
            Ok(Date::from_unix_seconds(secs))
        }
    }
}

struct ErrorDiagnostic {
    error: ConfigError,
    source: IndexedSource,
}

impl fmt::Debug for ErrorDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.error.message)
    }
}

impl fmt::Display for ErrorDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid configuration: {}", self.error.message)
    }
}

impl std::error::Error for ErrorDiagnostic {}

impl Diagnostic for ErrorDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("entralint::config"))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, self.error.span.clone()),
        )))
    }
}

fn render_error(display: &str, text: &str, error: ConfigError) -> String {
    let d = ErrorDiagnostic {
        error,
        source: IndexedSource::new(display, text, 240),
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_links(false)
        .with_width(100);
    if handler.render_report(&mut out, &d).is_err() {
        out = d.to_string();
    }
    out.trim_end().to_owned()
}
