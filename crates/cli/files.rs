//! The files a run reads besides its inputs (entralint.toml, a baseline) and the files it writes
//! (the report, a baseline, the GitHub step summary).
//!
//! Those it reads must be regular files, and are read up to a limit: a FIFO would hold the run
//! until something writes to it, and a device such as `/dev/zero` never ends. Those it writes must
//! never be a file the run reads or an entralint.toml, whatever symbolic or hard links lead there:
//! the report written over a policy file would replace the input it describes. Every output is
//! checked before any is written, so that a refused run leaves every file as it was.

use crate::discover::display;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The most entralint reads of an entralint.toml: thousands of suppressions fit in far less.
pub const MAX_CONFIG_BYTES: u64 = 16 << 20;

/// The most entralint reads of a baseline: over 200,000 findings fit in less.
pub const MAX_BASELINE_BYTES: u64 = 64 << 20;

/// The bytes of the regular file at `path`, at most `limit` of them; else why not.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    // Looked at before it is opened: opening a FIFO waits for a writer.
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    read_limited(std::fs::File::open(path).map_err(|e| e.to_string())?, limit)
}

/// The bytes of standard input, at most `limit` of them.
pub fn read_stdin(limit: u64) -> Result<Vec<u8>, String> {
    read_limited(std::io::stdin().lock(), limit)
}

fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("larger than {} MiB", limit >> 20));
    }
    Ok(bytes)
}

/// `not a regular file (a FIFO)`.
fn not_regular(meta: &std::fs::Metadata) -> String {
    let t = meta.file_type();
    let kind = if t.is_dir() {
        "a folder"
    } else {
        special_kind(&t)
    };
    format!("not a regular file ({kind})")
}

#[cfg(unix)]
fn special_kind(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// A file the run is about to write.
pub struct Output<'a> {
    /// What is written, and the option or variable that names it: `the report (--output)`.
    pub what: &'static str,
    pub path: &'a Path,
    /// Whether it must be a regular file when it exists (a baseline, the step summary); the report
    /// may go to a FIFO or a device (`/dev/stdout`), which the reader of the report chose.
    pub regular: bool,
}

/// Refuses the run (before anything is written) when an output is not a regular file where one
/// is needed, is one of the files the run read (`inputs`: the export's files and the
/// configurations), or is an entralint.toml.
pub fn check_outputs(outputs: &[Output<'_>], inputs: &[PathBuf]) -> Result<(), String> {
    let mut read: Option<Vec<(Identity, &PathBuf)>> = None;
    for out in outputs {
        let Ok(meta) = std::fs::metadata(out.path) else {
            // Not there yet: writing creates it, unless it is an entralint.toml.
            if is_config(&resolve(out.path)) {
                return Err(refuse(out, "it would become a configuration file"));
            }
            continue;
        };
        if out.regular && !meta.is_file() {
            return Err(format!(
                "cannot write {} to {}: {}",
                out.what,
                out.path.display(),
                not_regular(&meta)
            ));
        }
        let target = resolve(out.path);
        let leads = |to: &Path| {
            let to = display(to);
            if to == display(out.path) {
                "it is".to_owned()
            } else {
                format!("it leads to {to},")
            }
        };
        if is_config(&target) {
            let why = format!("{} a configuration file", leads(&target));
            return Err(refuse(out, &why));
        }
        let read = read.get_or_insert_with(|| {
            inputs
                .iter()
                .filter_map(|p| Some((identity(p)?, p)))
                .collect()
        });
        if let Some(id) = identity(out.path) {
            if let Some((_, input)) = read.iter().find(|(i, _)| *i == id) {
                let why = format!("{} an input of this run", leads(input));
                return Err(refuse(out, &why));
            }
        }
    }
    Ok(())
}

fn refuse(out: &Output<'_>, why: &str) -> String {
    format!(
        "refusing to write {} to {}: {why}; choose another file",
        out.what,
        out.path.display()
    )
}

fn is_config(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == crate::config::FILE_NAME)
}

/// What makes two paths the same file: device and inode (hard links included) where there are
/// such, else the canonical path.
#[cfg(unix)]
type Identity = (u64, u64);
#[cfg(not(unix))]
type Identity = PathBuf;

#[cfg(unix)]
fn identity(path: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<Identity> {
    std::fs::canonicalize(path).ok()
}

/// Where writing to `path` lands: the path with its symbolic links followed, a link to a file
/// that does not exist yet included (writing creates that file).
fn resolve(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let mut path = path.to_path_buf();
    // The limit Linux puts on links followed in one lookup (path_resolution(7)).
    for _ in 0..40 {
        let Ok(link) = std::fs::read_link(&path) else {
            break;
        };
        path = match path.parent() {
            Some(dir) => dir.join(link),
            None => link,
        };
    }
    path
}
