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
    /// The analyst's word that a plain-http host off this machine is on a network of
    /// their own (a private PostHog); without it such a host is refused.
    pub allow_plain_http: bool,
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
            allow_plain_http: false,
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

    /// Whether the key may travel to the host: Err with the reason and the way out.
    pub fn check_transport(&self) -> Result<(), String> {
        match &self.host {
            Some(h) => check_transport(h, self.allow_plain_http, BOTH_OPT_OUTS)
                .map_err(|m| format!("PostHog host {h}: {m}")),
            None => Ok(()),
        }
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
    pub allow_plain_http: Option<bool>,
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

/// A host must be an http(s) URL with nothing after the authority but an optional `/`,
/// and no user name or password: they would be sent with every request and shown or
/// logged wherever the host is.
pub fn check_host(host: &str) -> Result<String, String> {
    let h = host.trim().trim_end_matches('/');
    let rest = h
        .strip_prefix("https://")
        .or_else(|| h.strip_prefix("http://"))
        .ok_or("must start with https:// (or http:// for a local PostHog)")?;
    if rest.contains('@') {
        return Err(
            "must not hold a user name or password (user:pass@); bearing signs in \
                    with the personal API key alone"
                .into(),
        );
    }
    let bare = "must be a bare host such as https://us.posthog.com";
    // Only what a host name, an address and a port are made of: anything else (a
    // backslash, a percent escape) can make the URL parser see another host than
    // the loopback check below does.
    let allowed = |c: char| c.is_ascii_alphanumeric() || ".-_:[]".contains(c);
    if rest.is_empty() || !rest.chars().all(allowed) {
        return Err(bare.into());
    }
    let (name, port) = split_authority(rest).ok_or(bare)?;
    if name.is_empty() || port.is_some_and(|p| p.parse::<u16>().is_err()) {
        return Err(bare.into());
    }
    Ok(h.to_owned())
}

/// `host[:port]` or `[v6][:port]` into the host and the port's digits.
fn split_authority(rest: &str) -> Option<(&str, Option<&str>)> {
    let (name, after) = if let Some(v6) = rest.strip_prefix('[') {
        let (inside, after) = v6.split_once(']')?;
        inside.parse::<std::net::Ipv6Addr>().ok()?;
        (&rest[..inside.len() + 2], after)
    } else {
        match rest.split_once(':') {
            Some((name, _)) => (name, &rest[name.len()..]),
            None => (rest, ""),
        }
    };
    if name.contains([']', '[']) && !name.starts_with('[') {
        return None;
    }
    match after {
        "" => Some((name, None)),
        p => p.strip_prefix(':').map(|p| (name, Some(p))),
    }
}

/// The way out named when a plain-http host is refused: the opt-out beside the host.
pub const FILE_OPT_OUT: &str = "allow_plain_http = true beside it in [posthog]";
pub const BOTH_OPT_OUTS: &str =
    "BEARING_POSTHOG_ALLOW_PLAIN_HTTP=1 (or allow_plain_http = true in [posthog])";

/// Whether a checked host is this machine: 127.0.0.0/8, ::1 or localhost.
pub fn is_loopback(host: &str) -> bool {
    let rest = host
        .strip_prefix("https://")
        .or_else(|| host.strip_prefix("http://"))
        .unwrap_or(host);
    let Some((name, _)) = split_authority(rest.trim_end_matches('/')) else {
        return false;
    };
    if let Some(v6) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        return v6
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|a| a.is_loopback());
    }
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|a| a.is_loopback())
}

/// Plain http carries the key in clear text: only to this machine, unless `allowed`.
pub fn check_transport(host: &str, allowed: bool, opt_out: &str) -> Result<(), String> {
    if host.starts_with("http://") && !allowed && !is_loopback(host) {
        return Err(format!(
            "plain http would send the personal API key unencrypted to a host that is not \
             this machine; use https://, or for a private PostHog on your own network set {opt_out}"
        ));
    }
    Ok(())
}

/// A host value for an error message, without what could be a password in it.
pub fn shown_host(value: &str) -> String {
    match (value.find("://"), value.rfind('@')) {
        (Some(s), Some(at)) if s + 3 <= at => format!("{}…{}", &value[..s + 3], &value[at..]),
        (None, Some(at)) => format!("…{}", &value[at..]),
        _ => value.to_owned(),
    }
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
    // The opt-out first, so that a host given here is checked against it.
    let allow_var = pick("POSTHOG_ALLOW_PLAIN_HTTP");
    if let Some((var, v)) = &allow_var {
        s.allow_plain_http = crate::domain::values::parse_bool(v)
            .ok_or_else(|| (var.clone(), format!("{v:?}: expected true or false")))?;
    }
    if let Some((var, v)) = pick("POSTHOG_HOST") {
        let shown = shown_host(&v);
        let h = check_host(&v).map_err(|m| (var.clone(), format!("{shown:?}: {m}")))?;
        check_transport(&h, s.allow_plain_http, BOTH_OPT_OUTS)
            .map_err(|m| (var, format!("{h:?}: {m}")))?;
        s.host = Some(h);
    } else if let (Some((var, _)), Some(h)) = (allow_var, &s.host) {
        // The config file's host, allowed there and disallowed here.
        check_transport(h, s.allow_plain_http, BOTH_OPT_OUTS)
            .map_err(|m| (var, format!("PostHog host {h:?}: {m}")))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_loopback_may_be_plain_http_and_no_host_holds_a_password() {
        for ok in [
            "http://127.0.0.1:8000",
            "http://127.9.9.9",
            "http://localhost:8000/",
            "http://LOCALHOST",
            "http://[::1]:8000",
            "https://us.posthog.com",
            "https://[2001:db8::1]:443",
        ] {
            let h = check_host(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert_eq!(check_transport(&h, false, FILE_OPT_OUT), Ok(()), "{ok}");
        }
        for plain in [
            "http://posthog.example.com",
            "http://10.0.0.5:8000",
            "http://127.0.0.1.nip.io",
            "http://localhost.example.com",
            "http://[::ffff:127.0.0.1]",
            "http://127.1",
        ] {
            let h = check_host(plain).unwrap_or_else(|e| panic!("{plain}: {e}"));
            let e = check_transport(&h, false, FILE_OPT_OUT).unwrap_err();
            assert!(
                e.contains("use https://") && e.contains(FILE_OPT_OUT),
                "{e}"
            );
            assert_eq!(check_transport(&h, true, FILE_OPT_OUT), Ok(()), "{plain}");
        }
        for bad in [
            "https://user:pass@us.posthog.com",
            "http://user@127.0.0.1",
            "http://127.0.0.1\\@evil.example",
            "http://127.0.0.1%2f@evil.example",
            "http://127.0.0.1:80:80",
            "http://127.0.0.1:99999",
            "http://[::1",
            "http://ev]il",
            "https://",
        ] {
            assert!(check_host(bad).is_err(), "{bad}");
        }
        assert!(
            check_host("https://u:pw@x")
                .unwrap_err()
                .contains("user name or password")
        );
        assert_eq!(shown_host("https://u:s3cret@x.com"), "https://…@x.com");
    }

    #[test]
    fn the_opt_out_in_the_environment_covers_a_host_given_there() {
        let run = |vars: &[(&str, &str)], s: &mut PostHogSettings| {
            let get = |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            };
            apply_env(s, &get)
        };
        let host = ("POSTHOG_HOST", "http://posthog.lan:8000");
        let mut s = PostHogSettings::default();
        let (var, message) = run(&[host], &mut s).unwrap_err();
        assert_eq!(var, "POSTHOG_HOST");
        assert!(message.contains(BOTH_OPT_OUTS), "{message}");
        let allow = ("BEARING_POSTHOG_ALLOW_PLAIN_HTTP", "1");
        run(&[host, allow], &mut s).unwrap();
        assert_eq!(s.host.as_deref(), Some("http://posthog.lan:8000"));
        assert_eq!(s.check_transport(), Ok(()));
        // Turned off in the environment for a host allowed in the config file.
        let (var, _) = run(&[("BEARING_POSTHOG_ALLOW_PLAIN_HTTP", "0")], &mut s).unwrap_err();
        assert_eq!(var, "BEARING_POSTHOG_ALLOW_PLAIN_HTTP");
        s.allow_plain_http = false;
        assert!(s.check_transport().is_err());
    }
}
