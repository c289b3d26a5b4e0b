//! A run's tenants. A directory holding an entralint.toml is a tenant root; each input belongs to
//! the nearest root at or above it, else to the run's default tenant, whose entralint.toml is the
//! one `--config` names or the one found upward from the first path (or the current directory).
//! `--config` and `--isolated` make the whole run one tenant. Each tenant is loaded and linted on
//! its own, so that one tenant's objects never change another's findings.

use crate::args::ConfigArgs;
use crate::config;
use crate::discover::{self, BadPath, Found, Source};
use crate::own_output;
use entralint_lint::{rules, Report, Resolved, Settings};
use entralint_parser::{Encoding, Input, Inventory, SourceMap, Tenant};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The inputs of one tenant and the entralint.toml that applies to them.
#[derive(Debug)]
pub struct Group {
    /// The directory holding the tenant's entralint.toml; `None` for the run's default tenant.
    pub root: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub sources: Vec<Source>,
    /// For a tenant of which only some files were named (a hook passes the changed files): the
    /// files whose findings are reported, as reports name them. The whole tenant is read, so
    /// that rules across objects stay right; findings about the tenant as a whole are left out.
    pub only: Option<BTreeSet<String>>,
}

/// How reports name a tenant: its root and the configuration that applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantInfo {
    /// The root directory as reports show paths, `.` for the current directory; for the default
    /// tenant, the directory of its configuration, else the current directory.
    pub root: String,
    pub config: Option<String>,
}

/// Splits the inputs into tenants, ordered by root.
pub fn group(found: Found, paths: &[PathBuf], args: &ConfigArgs) -> Result<Vec<Group>, BadPath> {
    if args.isolated || args.config.is_some() {
        let config = if args.isolated {
            None
        } else {
            args.config.clone()
        };
        return Ok(vec![Group {
            root: None,
            config,
            sources: found.sources,
            only: None,
        }]);
    }
    let mut roots: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    let mut groups: BTreeMap<Option<PathBuf>, Vec<Source>> = BTreeMap::new();
    for source in found.sources {
        let root = match source.path() {
            Some(path) => nearest_root(path, &mut roots),
            None => None,
        };
        groups.entry(root).or_default().push(source);
    }
    // A named entralint.toml names its tenant, even when none of its files changed.
    let mut named_configs = BTreeSet::new();
    for config in &found.configs {
        let root = absolute(config).parent().map(Path::to_path_buf);
        groups.entry(root.clone()).or_default();
        named_configs.insert(root);
    }
    let default_config = config::find(None, paths.first().map(PathBuf::as_path));
    // The default tenant's configuration may be a root's own: then its inputs join that tenant.
    if let Some(config) = &default_config {
        let root = config.parent().map(absolute);
        if let Some(root) = root.filter(|r| groups.contains_key(&Some(r.clone()))) {
            if let Some(loose) = groups.remove(&None) {
                groups.entry(Some(root)).or_default().extend(loose);
            }
        }
    }
    let walked: BTreeSet<Source> = found.walked.into_iter().collect();
    let mut out = Vec::new();
    for (root, mut sources) in groups {
        let config = match &root {
            Some(r) => Some(r.join(config::FILE_NAME)),
            None => default_config.clone(),
        };
        let mut only = None;
        if let Some(r) = &root {
            if !sources.iter().any(|s| walked.contains(s)) {
                // Only named files of this tenant: read all of it, report on those files.
                let mut shown: BTreeSet<String> = sources.iter().map(Source::display).collect();
                if named_configs.contains(&root) {
                    shown.extend(config.as_deref().map(discover::display));
                }
                only = Some(shown);
                let whole = discover::discover(std::slice::from_ref(r), true)?;
                sources.extend(whole.sources);
            }
        }
        sources.sort_by_key(Source::display);
        sources.dedup_by_key(|s| s.display());
        out.push(Group {
            root,
            config,
            sources,
            only,
        });
    }
    Ok(out)
}

/// The nearest directory at or above the file's that holds an entralint.toml.
fn nearest_root(file: &Path, known: &mut HashMap<PathBuf, Option<PathBuf>>) -> Option<PathBuf> {
    let start = absolute(file).parent()?.to_path_buf();
    let mut visited = Vec::new();
    let mut found = None;
    for dir in start.ancestors() {
        if let Some(root) = known.get(dir) {
            found = root.clone();
            break;
        }
        visited.push(dir.to_path_buf());
        if dir.join(config::FILE_NAME).is_file() {
            found = Some(dir.to_path_buf());
            break;
        }
    }
    for dir in visited {
        known.insert(dir, found.clone());
    }
    found
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Where, in `shown` (how reports name `source`), the part inside the export begins: below the
/// tenant's root when it has one, else below the outermost named folder holding the file, else (a
/// file named on its own) at its name. The loader guesses kinds from folder names only after it,
/// and fingerprints hash only what follows it, so that neither a folder above the export (a home
/// directory under `/Users`, a checkout under `DirectoryRoles/`) nor where the run starts changes
/// what is read or how findings are matched to a baseline.
fn inside(source: &Source, shown: &str, root: Option<&Path>, folders: &[PathBuf]) -> usize {
    let Some(path) = source.path() else {
        return 0;
    };
    let file = absolute(path);
    let base = root.filter(|r| file.starts_with(r)).or_else(|| {
        folders
            .iter()
            .filter(|f| file.starts_with(f))
            .min_by_key(|f| f.components().count())
            .map(PathBuf::as_path)
    });
    let below = base
        .and_then(|b| file.strip_prefix(b).ok())
        .map(|rel| rel.to_string_lossy().replace('\\', "/"));
    match below {
        Some(rel) if rel.is_empty() => shown.len(),
        Some(rel) if shown == rel => 0,
        Some(rel)
            if shown
                .strip_suffix(rel.as_str())
                .is_some_and(|s| s.ends_with('/')) =>
        {
            shown.len() - rel.len()
        }
        _ => name_start(shown),
    }
}

/// Where the last component of a `/`-separated path begins.
fn name_start(shown: &str) -> usize {
    shown.rfind('/').map_or(0, |i| i + 1)
}

/// One tenant, loaded and configured, for the command to lint.
pub struct Loaded<'a> {
    pub tenant: &'a Tenant,
    pub settings: Settings,
    only: Option<&'a BTreeSet<String>>,
}

impl Loaded<'_> {
    /// Keeps the findings the run reports: all of them, or for a tenant of which only some
    /// files were named, those located in these files and not about the tenant as a whole.
    pub fn keep(&self, report: &mut Report) {
        if let Some(only) = self.only {
            let sources = &self.tenant.sources;
            report
                .findings
                .retain(|f| !f.finding.tenant_wide && only.contains(sources.path(f.file)));
        }
    }
}

/// What a run read: every tenant's files (one source map, file ids unique across tenants) and
/// their inventories added up, for the renderers; and the tenants' names.
pub struct Run {
    pub tenant: Tenant,
    pub tenants: Vec<TenantInfo>,
    /// Every file the run read: the inputs and the configurations (never to be written over).
    pub read: Vec<PathBuf>,
    /// entralint's own outputs met among the inputs and not read (crates/cli/own_output.rs): how
    /// reports name each, and what it is.
    pub skipped: Vec<(String, &'static str)>,
    /// The inputs read, as reports name them, in the order read.
    pub inputs: Vec<String>,
    /// The bytes read from the inputs.
    pub bytes: u64,
}

/// Loads each tenant in turn and hands it to `lint`. Every configuration is read before any input,
/// so that a bad one stops the run early. A run in which nothing is recognised is refused unless
/// `allow_empty`.
pub fn load(
    paths: &[PathBuf],
    args: &ConfigArgs,
    allow_empty: bool,
    mut lint: impl FnMut(Loaded<'_>) -> Result<(), String>,
) -> Result<Run, String> {
    let found = discover::discover(paths, allow_empty).map_err(|e| e.0)?;
    let count = found.sources.len();
    let groups = group(found, paths, args).map_err(|e| e.0)?;
    let today = config::today(args.today.as_deref())?;
    let mut configs = Vec::new();
    for g in &groups {
        configs.push(match &g.config {
            Some(path) => Some(config::read(path, &discover::display(path))?),
            None => None,
        });
    }
    let folders: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.is_dir())
        .map(|p| absolute(p))
        .collect();
    let mut sources = SourceMap::default();
    let mut inventory = Inventory::default();
    let mut issues = 0;
    let mut tenants = Vec::new();
    let mut read = Vec::new();
    let mut skipped = Vec::new();
    let mut names = Vec::new();
    let mut bytes_read = 0u64;
    for (g, parsed) in groups.iter().zip(configs) {
        let mut own = BTreeSet::new();
        let inputs = g.sources.iter().filter_map(|source| {
            let path = source.display();
            let bytes = source.read();
            if let Some(what) = bytes.as_deref().ok().and_then(own_output::kind) {
                skipped.push((path, what));
                own.insert(source.clone());
                return None;
            }
            let inside = inside(source, &path, g.root.as_deref(), &folders);
            bytes_read += bytes.as_ref().map_or(0, |b| b.len() as u64);
            names.push(path.clone());
            Some(Input::new(path, bytes).inside(inside))
        });
        let mut tenant = entralint_parser::load_into(std::mem::take(&mut sources), inputs);
        read.extend(g.sources.iter().filter_map(|s| match s {
            Source::File(path) if !own.contains(s) => Some(path.clone()),
            _ => None,
        }));
        read.extend(g.config.clone());
        let mut settings = Settings::default();
        if let (Some(path), Some((text, parsed))) = (&g.config, parsed) {
            settings = parsed;
            let shown = discover::display(path);
            let name = name_start(&shown);
            let file = tenant.sources.add(shown, text, Some(Encoding::Utf8), 0);
            tenant.sources.set_inside(file, name);
            settings.file = Some(file);
        }
        let root = tenant_root(g);
        if settings.file.is_none() {
            // No entralint.toml: findings about the tenant as a whole go to its root directory.
            let at = tenant.sources.add(root.clone(), String::new(), None, 0);
            // The root itself, inside the export: the empty path.
            tenant.sources.set_inside(at, root.len());
            settings.root = Some(at);
        }
        settings.run.today = Some(today);
        lint(Loaded {
            tenant: &tenant,
            settings,
            only: g.only.as_ref(),
        })?;
        issues += tenant.issues.len();
        add_inventory(&mut inventory, &tenant.inventory);
        sources = std::mem::take(&mut tenant.sources);
        tenants.push(TenantInfo {
            root,
            config: g.config.as_deref().map(discover::display),
        });
    }
    let tenant = Tenant {
        sources,
        inventory,
        ..Tenant::default()
    };
    // A selection (the PIM rules a Terraform configuration writes) is something recognised.
    let recognised = !tenant.inventory.present.is_empty() || !tenant.inventory.partial.is_empty();
    if !allow_empty && !recognised && issues == 0 {
        return Err(nothing_recognised(&tenant, count, &skipped));
    }
    Ok(Run {
        tenant,
        tenants,
        read,
        skipped,
        inputs: names,
        bytes: bytes_read,
    })
}

/// The tenant's root as reports show it: its directory, or for the default tenant the directory
/// of its configuration, else the current directory (`.`).
fn tenant_root(g: &Group) -> String {
    g.root
        .clone()
        .or_else(|| g.config.as_deref().and_then(Path::parent).map(absolute))
        .map(|r| discover::display(&r))
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| ".".to_owned())
}

fn add_inventory(total: &mut Inventory, one: &Inventory) {
    total.files += one.files;
    total.unrecognized.extend(one.unrecognized.iter().copied());
    for (kind, n) in &one.objects {
        *total.objects.entry(*kind).or_default() += n;
    }
    for (file, kinds) in &one.per_file {
        total.per_file.insert(*file, kinds.clone());
    }
    total.present.extend(one.present.iter().copied());
    total.partial.extend(one.partial.iter().copied());
    total
        .references_dropped
        .extend(one.references_dropped.iter().copied());
}

/// Why a run that recognised nothing is refused: a gate that looked at nothing must not pass.
fn nothing_recognised(tenant: &Tenant, count: usize, skipped: &[(String, &str)]) -> String {
    let files = if count == 1 { "file" } else { "files" };
    let shown: Vec<&str> = tenant
        .inventory
        .unrecognized
        .iter()
        .take(3)
        .map(|f| tenant.sources.path(*f))
        .collect();
    let more = tenant
        .inventory
        .unrecognized
        .len()
        .saturating_sub(shown.len());
    let listed = if shown.is_empty() {
        String::new()
    } else if more > 0 {
        format!(" ({} and {more} more)", shown.join(", "))
    } else {
        format!(" ({})", shown.join(", "))
    };
    let own = match skipped {
        [] => String::new(),
        [(path, what)] => format!("; {path} is entralint's own {what}, not an export"),
        [(path, what), rest @ ..] => format!(
            "; {path} is entralint's own {what}, not an export, and {} more such outputs",
            rest.len()
        ),
    };
    format!(
        "nothing entralint recognises in the {count} {files} read{listed}{own}: no Conditional Access, PIM or directory export; --allow-empty accepts this"
    )
}

/// The reports of several tenants as one: findings in report order (file, offset, code,
/// message), not-evaluated rules once per reason, the rules that ran in registry order.
pub fn merge(sources: &SourceMap, reports: Vec<Report>) -> Report {
    let mut findings: Vec<Resolved> = Vec::new();
    let mut not_evaluated = Vec::new();
    let mut ran = BTreeSet::new();
    for r in reports {
        findings.extend(r.findings);
        not_evaluated.extend(r.not_evaluated);
        ran.extend(r.rules.iter().map(|rule| rule.code));
    }
    findings.sort_by(|a, b| {
        (
            sources.path(a.file),
            a.span.start,
            a.finding.code,
            &a.finding.message,
            &a.fingerprint,
        )
            .cmp(&(
                sources.path(b.file),
                b.span.start,
                b.finding.code,
                &b.finding.message,
                &b.fingerprint,
            ))
    });
    not_evaluated.sort_by(|a, b| (a.code, &a.reason).cmp(&(b.code, &b.reason)));
    not_evaluated.dedup();
    Report {
        findings,
        not_evaluated,
        rules: rules::ALL
            .iter()
            .copied()
            .filter(|r| ran.contains(r.code))
            .collect(),
    }
}
