//! Azure AD B2C: the ROPC token endpoint of a user flow.

use kinde_workflow::{FetchRequest, Host, Result};

use super::{judge, unrecognised, Credentials};
use crate::answer::{code, reply, Answer};
use crate::config;
use crate::jwt::profile_from_id_token;
use crate::verdict::Verdict;

/// Tenant name: `contoso` for `contoso.b2clogin.com`.
pub const TENANT_VAR: &str = "AZURE_B2C_TENANT";
/// The ROPC user flow, e.g. `B2C_1_ropc`.
pub const POLICY_VAR: &str = "AZURE_B2C_ROPC_POLICY";
/// Application (client) id.
pub const CLIENT_ID_VAR: &str = "AZURE_B2C_CLIENT_ID";
/// Extra scope (e.g. the application's id or an API scope); `openid` is always asked
/// for, and the client id when this is unset (optional).
pub const SCOPE_VAR: &str = "AZURE_B2C_SCOPE";

const ALL_VARIABLES: &str =
    "AZURE_B2C_TENANT, AZURE_B2C_ROPC_POLICY, AZURE_B2C_CLIENT_ID and AZURE_B2C_SCOPE, and that the application allows public client flows";

/// Azure AD B2C settings.
pub(crate) struct Config {
    token_url: String,
    client_id: String,
    scope: String,
}

impl Config {
    pub async fn load(host: &impl Host) -> Result<Self> {
        let tenant = config::required(host, TENANT_VAR).await?;
        config::check_token(TENANT_VAR, &tenant, &['-'])?;
        let policy = config::required(host, POLICY_VAR).await?;
        config::check_token(POLICY_VAR, &policy, &['-', '_'])?;
        let client_id = config::required(host, CLIENT_ID_VAR).await?;
        let extra_scope = config::optional(host, SCOPE_VAR)
            .await?
            .map(|var| var.value().trim().to_owned());
        let mut token_url = String::from("https://");
        for part in [
            &tenant,
            ".b2clogin.com/",
            &tenant,
            ".onmicrosoft.com/",
            &policy,
        ] {
            token_url.push_str(part);
        }
        token_url.push_str("/oauth2/v2.0/token");
        let mut scope = String::from("openid ");
        scope.push_str(extra_scope.as_deref().unwrap_or(&client_id));
        Ok(Self {
            token_url,
            client_id,
            scope,
        })
    }
}

/// Posts the ROPC form and classifies the answer.
pub(crate) async fn check(
    config: &Config,
    credentials: &Credentials<'_>,
    host: &impl Host,
) -> Result<Verdict> {
    let request = FetchRequest::post(&config.token_url).form([
        ("grant_type", "password"),
        ("client_id", config.client_id.as_str()),
        ("scope", config.scope.as_str()),
        ("response_type", "token id_token"),
        ("username", credentials.email),
        ("password", credentials.password.expose()),
    ]);
    let reply = reply(host.fetch(request).await)?;
    Ok(judge(reply, classify))
}

/// Classifies a token answer by the `AADB2C…` code opening `error_description`.
pub(crate) fn classify(answer: &Answer) -> Verdict {
    let has_token = answer.fields.access_token.0 || answer.fields.id_token.0.is_some();
    if has_token && !answer.is_known_failure() {
        return Verdict::verified(profile_from_id_token(&answer.fields.id_token));
    }
    let error = answer.fields.error.as_deref();
    let description = answer.fields.error_description.as_deref();
    let description_code = description.and_then(leading_code);
    match (description_code, error) {
        (Some(b2c), _) => classify_code(b2c, answer),
        // B2C answers an expired password with its default text and no code.
        (None, Some(_)) if description.is_some_and(is_password_expired) => {
            Verdict::MustReset(code(PASSWORD_EXPIRED))
        }
        (None, Some("invalid_client" | "unauthorized_client" | "unsupported_grant_type")) => {
            Verdict::misconfigured("Azure AD B2C", error.unwrap_or_default(), ALL_VARIABLES)
        }
        (None, Some("temporarily_unavailable" | "server_error")) => {
            Verdict::Transient(code(error.unwrap_or_default()))
        }
        _ => unrecognised(answer),
    }
}

fn classify_code(b2c: &str, answer: &Answer) -> Verdict {
    match b2c {
        "AADB2C90225" | "AADB2C90052" | "AADB2C90053" | "AADB2C90054" => {
            Verdict::Rejected(code(b2c))
        }
        "AADB2C90111" | "AADB2C90114" => Verdict::Locked(code(b2c)),
        // Password expired or reset forced (Entra's AADSTS50055 surfaces through B2C).
        "AADB2C90118" | "AADSTS50055" => Verdict::MustReset(code(b2c)),
        "AADB2C90035" | "AADB2C90085" | "AADB2C90063" | "AADB2C90048" | "AADB2C90038" => {
            Verdict::Transient(code(b2c))
        }
        "AADB2C90224" | "AADB2C90057" | "AADB2C90058" | "AADB2C90008" | "AADB2C90010"
        | "AADB2C90012" | "AADB2C90018" | "AADB2C90066" | "AADB2C90079" | "AADB2C90081"
        | "AADB2C90086" | "AADB2C90117" => {
            Verdict::misconfigured("Azure AD B2C", b2c, ALL_VARIABLES)
        }
        _ => unrecognised(answer),
    }
}

/// The code logged for B2C's code-less expired-password answer.
const PASSWORD_EXPIRED: &str = "password_expired";

/// B2C's default description for a user whose password has expired (the user flow's
/// text, which carries no `AADB2C` code).
fn is_password_expired(description: &str) -> bool {
    description
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("your password has expired")
}

/// `AADB2C90225` from `AADB2C90225: The username or password ...`.
fn leading_code(description: &str) -> Option<&str> {
    let description = description.trim_start();
    let end = description
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(description.len());
    let candidate = &description[..end];
    let digits = candidate
        .strip_prefix("AADB2C")
        .or_else(|| candidate.strip_prefix("AADSTS"))?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(candidate)
}
