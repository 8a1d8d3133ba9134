//! Auth0: the Resource Owner Password grant (`password` or `password-realm`).

use kinde_workflow::{FetchRequest, Host, Result, Secret};
use serde::Serialize;

use super::{judge, unrecognised, Credentials};
use crate::answer::{code, reply, Answer};
use crate::config;
use crate::jwt::profile_from_id_token;
use crate::verdict::Verdict;

/// Tenant domain (`tenant.eu.auth0.com`, a custom domain, or an `https://` URL).
pub const DOMAIN_VAR: &str = "AUTH0_DOMAIN";
/// Application client id (with the Password grant enabled).
pub const CLIENT_ID_VAR: &str = "AUTH0_CLIENT_ID";
/// Application client secret (optional for public clients).
pub const CLIENT_SECRET_VAR: &str = "AUTH0_CLIENT_SECRET";
/// API audience (optional).
pub const AUDIENCE_VAR: &str = "AUTH0_AUDIENCE";
/// Database connection; when set, the `password-realm` grant is used (optional).
pub const REALM_VAR: &str = "AUTH0_REALM";

const PASSWORD_REALM_GRANT: &str = "http://auth0.com/oauth/grant-type/password-realm";

/// Auth0 settings.
pub(crate) struct Config {
    token_url: String,
    client_id: String,
    client_secret: Option<Secret>,
    audience: Option<String>,
    realm: Option<String>,
}

impl Config {
    pub async fn load(host: &impl Host) -> Result<Self> {
        let domain = config::required(host, DOMAIN_VAR).await?;
        let base = if domain.contains("://") {
            config::secure_url(DOMAIN_VAR, &domain)?
        } else {
            config::check_token(DOMAIN_VAR, &domain, &['-', '.', ':'])?;
            let mut url = String::from("https://");
            url.push_str(&domain);
            url
        };
        let mut token_url = base;
        token_url.push_str("/oauth/token");
        Ok(Self {
            token_url,
            client_id: config::required(host, CLIENT_ID_VAR).await?,
            client_secret: config::optional(host, CLIENT_SECRET_VAR)
                .await?
                .map(|var| var.into_secret()),
            audience: config::optional(host, AUDIENCE_VAR)
                .await?
                .map(|var| var.value().trim().to_owned()),
            realm: config::optional(host, REALM_VAR)
                .await?
                .map(|var| var.value().trim().to_owned()),
        })
    }
}

/// Posts the credentials to `/oauth/token` and classifies the answer.
pub(crate) async fn check(
    config: &Config,
    credentials: &Credentials<'_>,
    host: &impl Host,
) -> Result<Verdict> {
    #[derive(Serialize)]
    struct TokenRequest<'a> {
        grant_type: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        realm: Option<&'a str>,
        username: &'a str,
        password: &'a str,
        client_id: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        client_secret: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        audience: Option<&'a str>,
        scope: &'a str,
    }
    let body = TokenRequest {
        grant_type: match config.realm {
            Some(_) => PASSWORD_REALM_GRANT,
            None => "password",
        },
        realm: config.realm.as_deref(),
        username: credentials.email,
        password: credentials.password.expose(),
        client_id: &config.client_id,
        client_secret: config.client_secret.as_ref().map(Secret::expose),
        audience: config.audience.as_deref(),
        scope: "openid profile",
    };
    let mut request = FetchRequest::post(&config.token_url).json(&body)?;
    if let Some(ip) = credentials.ip {
        request = request.header("auth0-forwarded-for", ip);
    }
    let reply = reply(host.fetch(request).await)?;
    Ok(judge(reply, classify))
}

/// Classifies a token-endpoint answer by its `error` code (never its description).
pub(crate) fn classify(answer: &Answer) -> Verdict {
    if answer.fields.access_token.0 && !answer.is_known_failure() {
        return Verdict::verified(profile_from_id_token(&answer.fields.id_token));
    }
    let Some(error) = answer.fields.error.as_deref() else {
        return unrecognised(answer);
    };
    match error {
        // The password was right; Auth0 wants a second factor Kinde will ask for.
        "mfa_required" => Verdict::Verified {
            profile: Default::default(),
            step: Some(code(error)),
        },
        "invalid_grant" | "invalid_user_password" => Verdict::Rejected(code(error)),
        "too_many_attempts" | "unauthorized" | "blocked_user" | "access_denied" => {
            Verdict::Locked(code(error))
        }
        "password_leaked" => Verdict::MustReset(code(error)),
        "too_many_requests" | "server_error" | "temporarily_unavailable" => {
            Verdict::Transient(code(error))
        }
        "invalid_client" | "unauthorized_client" | "invalid_request"
        | "invalid_scope" | "unsupported_grant_type" => Verdict::misconfigured(
            "Auth0",
            error,
            "AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, AUTH0_AUDIENCE and AUTH0_REALM, and that the application allows the Password grant",
        ),
        _ => unrecognised(answer),
    }
}
