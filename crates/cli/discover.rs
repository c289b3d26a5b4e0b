//! Which inputs to read, and reading them. Named files are always read, whatever they are (a
//! regular file, a FIFO, `/dev/stdin`); `-` is standard input; directories are walked for `*.json`,
//! Terraform's `*.tf`, `terraform.tfvars` and `*.auto.tfvars`, and Microsoft365DSC's `*.ps1` and
//! `*.psd1`, with `ignore` (honouring .gitignore even outside a git repository, skipping hidden
//! files). A
//! named input that yields nothing to read is refused, never passed over in silence; what the walk
//! of a named folder meets and cannot read (a folder without permission, a path longer than the
//! system accepts) is an input that cannot be read, reported like a file that cannot be read.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// A path given on the command line that cannot be used (exit status 2).
#[derive(Debug)]
pub struct BadPath(pub String);

/// What a folder walk reads, by extension: JSON exports, Terraform configuration, and
/// Microsoft365DSC configurations (`.ps1`) with their data files (`.psd1`).
const READ: [&str; 4] = ["json", "tf", "ps1", "psd1"];

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
    /// A path met while walking a named folder that could not be read (a folder that cannot be
    /// listed, a path longer than the system accepts), and why: a finding, like a file that
    /// cannot be read.
    Unreadable(PathBuf, String),
}

impl Source {
    /// How reports name the input.
    pub fn display(&self) -> String {
        match self {
            Source::File(path) | Source::Unreadable(path, _) => display(path),
            Source::Stdin => "<stdin>".to_owned(),
        }
    }

    /// The file or folder the input is, if it is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Source::File(path) | Source::Unreadable(path, _) => Some(path),
            Source::Stdin => None,
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
            Source::Unreadable(_, why) => return Err(why.clone()),
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
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    // What the walk met below the named folder and could not read is a finding,
                    // and the walk goes on; the named folder itself is an unreadable path.
                    let unreadable = unreadable(&e).filter(|_| e.depth() != Some(0));
                    let Some((p, why)) = unreadable else {
                        return Err(BadPath(e.to_string()));
                    };
                    found.walked.push(Source::Unreadable(clean(&p), why));
                    count += 1;
                    continue;
                }
            };
            let p = entry.path();
            // Terraform configuration, and the variable definitions Terraform loads by itself.
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            let read = p
                .extension()
                .is_some_and(|e| READ.iter().any(|r| e.eq_ignore_ascii_case(r)))
                || name == "terraform.tfvars"
                || name.ends_with(".auto.tfvars");
            if read && entry.file_type().is_some_and(|t| t.is_file()) {
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

/// The path an error of the walk is about and why it could not be read, when it is an I/O error
/// about one path.
fn unreadable(e: &ignore::Error) -> Option<(PathBuf, String)> {
    fn path_of(e: &ignore::Error) -> Option<&Path> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Partial(errs) if errs.len() == 1 => path_of(&errs[0]),
            _ => None,
        }
    }
    let io = e.io_error()?;
    let path = path_of(e)?;
    // The walk wraps the system's error in one that repeats the path; the report shows the path.
    let io = io
        .get_ref()
        .and_then(|inner| inner.source())
        .and_then(|source| source.downcast_ref::<std::io::Error>())
        .unwrap_or(io);
    // An error met while listing folders (it has a depth) leaves everything below the path unread.
    let why = if e.depth().is_some() {
        format!("{io}; nothing under this path was read")
    } else {
        io.to_string()
    };
    Some((path.to_path_buf(), why))
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
