//! Reading and checking the workflow's environment variables.

use kinde_workflow::{EnvVar, Error, Host, Result};

/// An optional variable: unset and empty are the same.
pub(crate) async fn optional(host: &impl Host, name: &str) -> Result<Option<EnvVar>> {
    Ok(host
        .env(name)
        .await?
        .filter(|var| !var.value().trim().is_empty()))
}

/// A variable that must be set, trimmed.
pub(crate) async fn required(host: &impl Host, name: &str) -> Result<String> {
    match optional(host, name).await? {
        Some(var) => Ok(var.value().trim().to_owned()),
        None => Err(Error::MissingEnv {
            name: name.to_owned(),
        }),
    }
}

/// `true`/`false` (also `1`/`0`, `yes`/`no`); unset is `default`.
#[cfg(feature = "generic")]
pub(crate) async fn flag(host: &impl Host, name: &str, default: bool) -> Result<bool> {
    let Some(var) = optional(host, name).await? else {
        return Ok(default);
    };
    match var.value().trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(invalid(name, "expected `true` or `false`")),
    }
}

/// An [`Error::InvalidEnv`]. Reasons never quote the value.
pub(crate) fn invalid(name: &str, reason: &str) -> Error {
    Error::InvalidEnv {
        name: name.to_owned(),
        reason: reason.to_owned(),
    }
}

/// Checks that `value` contains only ASCII letters, digits and `extra`.
#[cfg(any(feature = "auth0", feature = "cognito", feature = "azure-b2c"))]
pub(crate) fn check_token(name: &str, value: &str, extra: &[char]) -> Result<()> {
    let ok = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c));
    if ok {
        Ok(())
    } else {
        let mut reason = String::from("use only ASCII letters, digits");
        for c in extra {
            reason.push_str(" `");
            reason.push(*c);
            reason.push('`');
        }
        Err(invalid(name, &reason))
    }
}

/// Checks that a URL may carry a password: `https://`, or `http://` to a loopback
/// host (for local tests). Returns it without trailing `/`.
#[cfg(any(feature = "generic", feature = "auth0"))]
pub(crate) fn secure_url(name: &str, url: &str) -> Result<String> {
    let url = url.trim();
    let (secure, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(invalid(name, "expected an https:// URL"));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host_of(authority);
    if host.is_empty() || authority.contains('@') {
        return Err(invalid(name, "expected an https:// URL with a host"));
    }
    if !secure && !is_loopback(host) {
        return Err(invalid(
            name,
            "passwords are sent only over https:// (http:// is allowed for loopback hosts only)",
        ));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// The host of `host[:port]` or `[v6]:port`.
#[cfg(any(feature = "generic", feature = "auth0"))]
fn host_of(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

#[cfg(any(feature = "generic", feature = "auth0"))]
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host.strip_prefix("127.").is_some_and(|rest| {
            rest.split('.').count() == 3 && rest.split('.').all(|p| p.parse::<u8>().is_ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(any(feature = "generic", feature = "auth0"))]
    #[test]
    fn only_https_or_loopback_http_urls_pass() {
        for ok in [
            "https://legacy.example/check",
            "https://legacy.example:8443/",
            "http://127.0.0.1:9000/check",
            "http://localhost/x",
            "http://[::1]:80/x",
        ] {
            assert!(secure_url("U", ok).is_ok(), "{ok}");
        }
        assert_eq!(
            secure_url("U", " https://a.example/p/ ").unwrap(),
            "https://a.example/p"
        );
        for (bad, reason) in [
            ("http://legacy.example/check", "only over https://"),
            ("http://127.0.0.1.evil.example/", "only over https://"),
            ("ftp://x/", "expected an https:// URL"),
            ("legacy.example", "expected an https:// URL"),
            ("https:///path", "with a host"),
            ("https://user:pw@host/", "with a host"),
        ] {
            let err = secure_url("LEGACY_VALIDATION_URL", bad)
                .unwrap_err()
                .to_string();
            assert!(
                err.starts_with("environment variable `LEGACY_VALIDATION_URL` is invalid"),
                "{err}"
            );
            assert!(err.contains(reason), "{bad}: {err}");
            assert!(!err.contains(bad), "the value must not be echoed: {err}");
        }
    }

    #[cfg(any(feature = "auth0", feature = "cognito", feature = "azure-b2c"))]
    #[test]
    fn tokens_name_the_allowed_characters() {
        assert!(check_token("R", "eu-west-1", &['-']).is_ok());
        let err = check_token("R", "eu west", &['-']).unwrap_err().to_string();
        assert_eq!(
            err,
            "environment variable `R` is invalid: use only ASCII letters, digits `-`"
        );
    }
}
