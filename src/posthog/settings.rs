//! Where bearing's PostHog project is and how to reach it: from the `[posthog]` section
//! of the config file, then `POSTHOG_*` variables, then `BEARING_POSTHOG_*` ones (the
//! more specific name wins).

use super::key::{ApiKey, KeyError, read_key_file};
use serde::Deserialize;
use std::path::PathBuf;

/// Which of PostHog's two mounts of the query API to use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PathPrefix {
    #[default]
    Projects,
    Environments,
}

impl PathPrefix {
    pub fn as_str(self) -> &'static str {
        match self {
            PathPrefix::Projects => "projects",
            PathPrefix::Environments => "environments",
        }
    }

    pub fn parse(s: &str) -> Option<PathPrefix> {
        match s.trim().to_ascii_lowercase().as_str() {
            "projects" => Some(PathPrefix::Projects),
            "environments" => Some(PathPrefix::Environments),
            _ => None,
        }
    }
}

/// `blocking` waits on one request; `async` starts the query and polls it, showing
/// progress, for projects whose queries take longer than a request may stay open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueryMode {
    #[default]
    Blocking,
    Async,
}

/// Where the key comes from; the key itself is read only when it is needed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// Given inline, in the config file or an environment variable (named here).
    Inline {
        key: ApiKey,
        from: String,
    },
    File(PathBuf),
}

impl KeySource {
    pub fn describe(&self) -> String {
        match self {
            KeySource::Inline { from, .. } => from.clone(),
            KeySource::File(p) => format!("key file {}", p.display()),
        }
    }

    pub fn load(&self) -> Result<ApiKey, KeyError> {
        match self {
            KeySource::Inline { key, .. } => Ok(key.clone()),
            KeySource::File(p) => read_key_file(p),
        }
    }
}

/// PostHog's rate limits are per team: 2,400 queries an hour on current plans and
/// 120 an hour on some older ones, 3 at once. bearing stays inside the smaller one.
pub const DEFAULT_QUERIES_PER_HOUR: u32 = 100;
pub const MAX_CONCURRENT: usize = 3;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostHogSettings {
    pub host: Option<String>,
    pub project_id: Option<String>,
    pub prefix: PathPrefix,
    pub key: Option<KeySource>,
    /// The data-warehouse table with tenant_id, plan_name, status, current_period_start.
    pub subscriptions_table: Option<String>,
    pub mode: QueryMode,
    pub queries_per_hour: u32,
}

impl Default for PostHogSettings {
    fn default() -> Self {
        PostHogSettings {
            host: None,
            project_id: None,
            prefix: PathPrefix::Projects,
            key: None,
            subscriptions_table: None,
            mode: QueryMode::Blocking,
            queries_per_hour: DEFAULT_QUERIES_PER_HOUR,
        }
    }
}

impl PostHogSettings {
    /// A project is configured when bearing knows where it is and how to get in.
    pub fn is_configured(&self) -> bool {
        self.host.is_some() && self.project_id.is_some() && self.key.is_some()
    }

    /// `https://us.posthog.com/api/projects/123`, without a trailing slash.
    pub fn api_base(&self) -> Option<String> {
        let host = self.host.as_deref()?.trim_end_matches('/');
        let id = self.project_id.as_deref()?;
        Some(format!("{host}/api/{}/{id}", self.prefix.as_str()))
    }

    /// What is missing, each with where it can come from.
    pub fn missing_parts(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if self.host.is_none() {
            out.push(("host", "POSTHOG_HOST"));
        }
        if self.project_id.is_none() {
            out.push(("project id", "POSTHOG_PROJECT_ID"));
        }
        if self.key.is_none() {
            out.push(("personal API key", "POSTHOG_PERSONAL_API_KEY or key_file"));
        }
        out
    }

    /// What is missing, for an error that says how to fix it.
    pub fn missing(&self) -> Vec<String> {
        self.missing_parts()
            .into_iter()
            .map(|(what, from)| format!("{what} ({from})"))
            .collect()
    }
}

/// `[posthog]` as written in the config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostHogSection {
    pub host: Option<toml::Spanned<String>>,
    pub project_id: Option<toml::Spanned<ProjectId>>,
    pub path_prefix: Option<toml::Spanned<String>>,
    pub personal_api_key: Option<toml::Spanned<String>>,
    pub key_file: Option<String>,
    pub subscriptions_table: Option<toml::Spanned<String>>,
    pub query_mode: Option<toml::Spanned<String>>,
    pub max_queries_per_hour: Option<toml::Spanned<u32>>,
}

/// A project id written as a number or a string.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ProjectId {
    Number(u64),
    Text(String),
}

impl ProjectId {
    pub fn text(&self) -> String {
        match self {
            ProjectId::Number(n) => n.to_string(),
            ProjectId::Text(s) => s.trim().to_owned(),
        }
    }
}

/// A host must be an http(s) URL with nothing after the authority but an optional `/`.
pub fn check_host(host: &str) -> Result<String, String> {
    let h = host.trim().trim_end_matches('/');
    let rest = h
        .strip_prefix("https://")
        .or_else(|| h.strip_prefix("http://"))
        .ok_or("must start with https:// (or http:// for a local PostHog)")?;
    if rest.is_empty() || rest.contains(['/', '?', '#', ' ']) {
        return Err("must be a bare host such as https://us.posthog.com".into());
    }
    Ok(h.to_owned())
}

pub fn check_project_id(id: &str) -> Result<String, String> {
    let id = id.trim();
    if !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()) {
        Ok(id.to_owned())
    } else {
        Err("must be the numeric project id from PostHog's project settings".into())
    }
}

/// A table name goes into query text (it cannot be a placeholder), so only plain
/// identifiers are accepted.
pub fn check_table(name: &str) -> Result<String, String> {
    let n = name.trim();
    let ok = !n.is_empty()
        && n.len() <= 128
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && !n.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(n.to_owned())
    } else {
        Err("must be a table name of letters, digits, _ and .".into())
    }
}

pub fn parse_mode(s: &str) -> Option<QueryMode> {
    match s.trim().to_ascii_lowercase().as_str() {
        "blocking" => Some(QueryMode::Blocking),
        "async" => Some(QueryMode::Async),
        _ => None,
    }
}

/// Applies the environment: `POSTHOG_X`, then `BEARING_POSTHOG_X` over it.
pub fn apply_env(
    s: &mut PostHogSettings,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<(), (String, String)> {
    let pick = |name: &str| -> Option<(String, String)> {
        let specific = format!("BEARING_{name}");
        get(&specific)
            .filter(|v| !v.trim().is_empty())
            .map(|v| (specific, v))
            .or_else(|| {
                get(name)
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (name.to_owned(), v))
            })
    };
    if let Some((var, v)) = pick("POSTHOG_HOST") {
        s.host = Some(check_host(&v).map_err(|m| (var, format!("{v:?}: {m}")))?);
    }
    if let Some((var, v)) = pick("POSTHOG_PROJECT_ID") {
        s.project_id = Some(check_project_id(&v).map_err(|m| (var, format!("{v:?}: {m}")))?);
    }
    if let Some((var, v)) = pick("POSTHOG_PATH_PREFIX") {
        s.prefix = PathPrefix::parse(&v)
            .ok_or_else(|| (var, format!("{v:?}: use projects or environments")))?;
    }
    // A key file named in the environment wins over a key in the config file, and a
    // key given directly wins over both.
    if let Some((_, v)) = pick("POSTHOG_KEY_FILE") {
        s.key = Some(KeySource::File(PathBuf::from(v)));
    }
    if let Some((var, v)) = pick("POSTHOG_PERSONAL_API_KEY") {
        // The message names the variable, never the value.
        let key = ApiKey::new(&v).map_err(|e| (var.clone(), e.to_string()))?;
        s.key = Some(KeySource::Inline { key, from: var });
    }
    if let Some((var, v)) = pick("POSTHOG_SUBSCRIPTIONS_TABLE") {
        s.subscriptions_table = Some(check_table(&v).map_err(|m| (var, format!("{v:?}: {m}")))?);
    }
    if let Some((var, v)) = pick("POSTHOG_MAX_QUERIES_PER_HOUR") {
        s.queries_per_hour = v
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=2400).contains(n))
            .ok_or_else(|| (var, format!("{v:?}: a number from 1 to 2400")))?;
    }
    if let Some((var, v)) = pick("POSTHOG_QUERY_MODE") {
        s.mode = parse_mode(&v).ok_or_else(|| (var, format!("{v:?}: use blocking or async")))?;
    }
    Ok(())
}
