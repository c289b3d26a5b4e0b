//! Which files to read: explicit files always; directories walked for `*.json` with `ignore`
//! (honouring .gitignore even outside a git repository, skipping hidden files).

use std::path::{Component, Path, PathBuf};

/// A path given on the command line that cannot be used (exit status 2).
#[derive(Debug)]
pub struct BadPath(pub String);

pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, BadPath> {
    let mut files = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).map_err(|e| BadPath(format!("{}: {e}", path.display())))?;
        if meta.is_file() {
            files.push(path.clone());
            continue;
        }
        let walker = ignore::WalkBuilder::new(path)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        for entry in walker {
            let entry = entry.map_err(|e| BadPath(e.to_string()))?;
            let p = entry.path();
            let is_json = p
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            if is_json && entry.file_type().is_some_and(|t| t.is_file()) {
                files.push(p.to_path_buf());
            }
        }
    }
    let mut files: Vec<PathBuf> = files.into_iter().map(|p| clean(&p)).collect();
    files.sort_by_key(|p| display(p));
    files.dedup();
    Ok(files)
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
