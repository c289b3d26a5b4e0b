//! Which inputs to read, and reading them. Named files are always read, whatever they are (a
//! regular file, a FIFO, `/dev/stdin`); `-` is standard input; directories are walked for `*.json`
//! with `ignore` (honouring .gitignore even outside a git repository, skipping hidden files). A
//! named input that yields nothing to read is refused, never passed over in silence.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// A path given on the command line that cannot be used (exit status 2).
#[derive(Debug)]
pub struct BadPath(pub String);

/// The most entralint reads of one input. Tenant exports are tens of megabytes; a named device
/// that never ends (`/dev/zero`) must not exhaust the machine.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// A file (or a FIFO or device named on the command line).
    File(PathBuf),
    /// Standard input, named `-`.
    Stdin,
}

impl Source {
    /// How reports name the input.
    pub fn display(&self) -> String {
        match self {
            Source::File(path) => display(path),
            Source::Stdin => "<stdin>".to_owned(),
        }
    }

    /// The input's bytes, or why it cannot be read (the loader reports that as JSON001).
    pub fn read(&self) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        let read = match self {
            Source::File(path) => std::fs::File::open(path)
                .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)),
            Source::Stdin => std::io::stdin()
                .lock()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut bytes),
        };
        read.map_err(|e| e.to_string())?;
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            return Err(format!(
                "the input is larger than {} MiB, more than any tenant export",
                MAX_INPUT_BYTES >> 20
            ));
        }
        Ok(bytes)
    }
}

/// What the command line named.
#[derive(Debug, Default)]
pub struct Found {
    /// Every input, sorted by how reports name it.
    pub sources: Vec<Source>,
    /// The inputs named one by one.
    pub named: Vec<Source>,
    /// The inputs found by walking a named folder.
    pub walked: Vec<Source>,
    /// entralint.toml files named one by one (a hook passes the changed files): they are not
    /// inputs, they name their tenant.
    pub configs: Vec<PathBuf>,
}

/// The inputs under `paths`. A named directory with no JSON file to read is an error unless
/// `allow_empty`.
pub fn discover(paths: &[PathBuf], allow_empty: bool) -> Result<Found, BadPath> {
    let mut found = Found::default();
    for path in paths {
        if path.as_os_str() == "-" {
            found.named.push(Source::Stdin);
            continue;
        }
        let meta =
            std::fs::metadata(path).map_err(|e| BadPath(format!("{}: {e}", path.display())))?;
        if !meta.is_dir() {
            if path
                .file_name()
                .is_some_and(|n| n == crate::config::FILE_NAME)
            {
                found.configs.push(clean(path));
                continue;
            }
            // A file, or a FIFO, a device or a process substitution named on purpose: read it.
            found.named.push(Source::File(clean(path)));
            continue;
        }
        let walker = ignore::WalkBuilder::new(path)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        let mut count = 0usize;
        for entry in walker {
            let entry = entry.map_err(|e| BadPath(e.to_string()))?;
            let p = entry.path();
            let is_json = p
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            if is_json && entry.file_type().is_some_and(|t| t.is_file()) {
                found.walked.push(Source::File(clean(p)));
                count += 1;
            }
        }
        if count == 0 && !allow_empty {
            return Err(BadPath(format!(
                "{}: no JSON file to read (hidden files and files .gitignore excludes are skipped; --allow-empty accepts this)",
                path.display()
            )));
        }
    }
    found.sources = found.walked.clone();
    found.sources.extend(found.named.iter().cloned());
    found.sources.sort_by_key(Source::display);
    found.sources.dedup();
    found.named.sort_by_key(Source::display);
    found.named.dedup();
    Ok(found)
}

/// Removes `.` components.
fn clean(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| *c != Component::CurDir)
        .collect()
}

/// The path as reports show it: relative to the current directory when possible, `/`-separated.
pub fn display(path: &Path) -> String {
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let text = rel.to_string_lossy();
    if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    }
}
