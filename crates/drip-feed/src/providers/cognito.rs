//! Amazon Cognito: `AdminInitiateAuth` with `ADMIN_USER_PASSWORD_AUTH` signed with
//! SigV4 when IAM credentials are set, otherwise `InitiateAuth` with
//! `USER_PASSWORD_AUTH`; both add `SECRET_HASH` when the app client has a secret.

use aws_sigv4_signer::{hmac_sha256, sign, AmzDate, Options, Request};
use base64::Engine;
use kinde_workflow::{json, FetchRequest, Host, Result, Secret};
use serde::Serialize;

use super::{judge, unrecognised, Credentials};
use crate::answer::{code, reply, Answer};
use crate::config;
use crate::jwt::profile_from_id_token;
use crate::verdict::{Profile, Verdict};

/// Region of the user pool, e.g. `eu-west-1`.
pub const REGION_VAR: &str = "AWS_REGION";
/// App client id.
pub const CLIENT_ID_VAR: &str = "COGNITO_CLIENT_ID";
/// App client secret, when the client has one (optional).
pub const CLIENT_SECRET_VAR: &str = "COGNITO_CLIENT_SECRET";
/// User pool id; required with IAM credentials (`AdminInitiateAuth`).
pub const USER_POOL_ID_VAR: &str = "COGNITO_USER_POOL_ID";
/// IAM access key id; when set, `AdminInitiateAuth` is used (optional).
pub const ACCESS_KEY_ID_VAR: &str = "AWS_ACCESS_KEY_ID";
/// IAM secret access key; required with `AWS_ACCESS_KEY_ID`.
pub const SECRET_ACCESS_KEY_VAR: &str = "AWS_SECRET_ACCESS_KEY";
/// Session token of temporary IAM credentials (optional).
pub const SESSION_TOKEN_VAR: &str = "AWS_SESSION_TOKEN";

const SERVICE: &str = "cognito-idp";
const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
const ALL_VARIABLES: &str = "AWS_REGION, COGNITO_CLIENT_ID, COGNITO_CLIENT_SECRET, COGNITO_USER_POOL_ID, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, and that the app client allows the auth flow";

/// Cognito settings.
pub(crate) struct Config {
    region: String,
    host: String,
    client_id: String,
    client_secret: Option<Secret>,
    admin: Option<Admin>,
}

/// What `AdminInitiateAuth` needs on top.
struct Admin {
    user_pool_id: String,
    credentials: aws_sigv4_signer::Credentials,
}

impl Config {
    pub async fn load(host: &impl Host) -> Result<Self> {
        let region = config::required(host, REGION_VAR).await?;
        config::check_token(REGION_VAR, &region, &['-'])?;
        let client_id = config::required(host, CLIENT_ID_VAR).await?;
        let client_secret = config::optional(host, CLIENT_SECRET_VAR)
            .await?
            .map(|var| var.into_secret());
        let access_key_id = config::optional(host, ACCESS_KEY_ID_VAR).await?;
        let secret_access_key = config::optional(host, SECRET_ACCESS_KEY_VAR).await?;
        let admin = match (access_key_id, secret_access_key) {
            (None, None) => None,
            (Some(_), None) => {
                return Err(kinde_workflow::Error::MissingEnv {
                    name: SECRET_ACCESS_KEY_VAR.to_owned(),
                })
            }
            (None, Some(_)) => {
                return Err(kinde_workflow::Error::MissingEnv {
                    name: ACCESS_KEY_ID_VAR.to_owned(),
                })
            }
            (Some(key_id), Some(secret)) => Some(Admin {
                user_pool_id: config::required(host, USER_POOL_ID_VAR).await?,
                credentials: aws_sigv4_signer::Credentials::new(
                    key_id.value().trim(),
                    secret.value().trim(),
                    config::optional(host, SESSION_TOKEN_VAR)
                        .await?
                        .map(|var| var.value().trim().to_owned()),
                ),
            }),
        };
        let mut endpoint_host = String::from("cognito-idp.");
        endpoint_host.push_str(&region);
        endpoint_host.push_str(".amazonaws.com");
        Ok(Self {
            region,
            host: endpoint_host,
            client_id,
            client_secret,
            admin,
        })
    }
}

/// `SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id))`.
pub(crate) fn secret_hash(client_secret: &Secret, username: &str, client_id: &str) -> String {
    let mut message = String::with_capacity(username.len() + client_id.len());
    message.push_str(username);
    message.push_str(client_id);
    let mac = hmac_sha256(client_secret.expose().as_bytes(), message.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac)
}

/// Sends `InitiateAuth` or `AdminInitiateAuth` and classifies the answer.
/// `now` is the Unix time in seconds, for the signature.
pub(crate) async fn check(
    config: &Config,
    credentials: &Credentials<'_>,
    host: &impl Host,
    now: u64,
) -> Result<Verdict> {
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct InitiateAuth<'a> {
        auth_flow: &'a str,
        auth_parameters: AuthParameters<'a>,
        client_id: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        user_pool_id: Option<&'a str>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    struct AuthParameters<'a> {
        password: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        secret_hash: Option<String>,
        username: &'a str,
    }
    let (target, auth_flow) = match &config.admin {
        Some(_) => (
            "AWSCognitoIdentityProviderService.AdminInitiateAuth",
            "ADMIN_USER_PASSWORD_AUTH",
        ),
        None => (
            "AWSCognitoIdentityProviderService.InitiateAuth",
            "USER_PASSWORD_AUTH",
        ),
    };
    // The exact bytes sent are the bytes signed.
    let body = json::to_string(&InitiateAuth {
        auth_flow,
        auth_parameters: AuthParameters {
            password: credentials.password.expose(),
            secret_hash: config
                .client_secret
                .as_ref()
                .map(|secret| secret_hash(secret, credentials.email, &config.client_id)),
            username: credentials.email,
        },
        client_id: &config.client_id,
        user_pool_id: config.admin.as_ref().map(|a| a.user_pool_id.as_str()),
    })?;
    let mut url = String::from("https://");
    url.push_str(&config.host);
    url.push('/');
    let mut request = FetchRequest::post(url)
        .header("Content-Type", CONTENT_TYPE)
        .header("X-Amz-Target", target);
    if let Some(admin) = &config.admin {
        let signed = sign(
            &Request {
                method: "POST",
                path: "/",
                query: "",
                headers: &[
                    ("Host", &config.host),
                    ("Content-Type", CONTENT_TYPE),
                    ("X-Amz-Target", target),
                ],
                body: body.as_bytes(),
            },
            &admin.credentials,
            &config.region,
            SERVICE,
            AmzDate::from_unix_seconds(now),
            Options::default(),
        );
        for (name, value) in signed.headers {
            request = request.header(name, value);
        }
    }
    let reply = reply(host.fetch(request.text(body)).await)?;
    Ok(judge(reply, classify))
}

/// Classifies an `(Admin)InitiateAuth` answer by `__type` or `ChallengeName`.
pub(crate) fn classify(answer: &Answer) -> Verdict {
    if !answer.is_known_failure() {
        if let Some(result) = &answer.fields.authentication_result {
            return Verdict::verified(profile_from_id_token(&result.0.cognito_id_token));
        }
        if let Some(challenge) = answer.fields.challenge_name.as_deref() {
            return classify_challenge(challenge);
        }
    }
    let error_type = answer
        .fields
        .error_type
        .as_deref()
        .map(|t| t.rsplit('#').next().unwrap_or(t))
        .or_else(|| xml_signature_error(answer.text()));
    let Some(error_type) = error_type else {
        return unrecognised(answer);
    };
    let message = answer
        .fields
        .message
        .as_deref()
        .or_else(|| answer.fields.message_capitalised.as_deref())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match error_type {
        "NotAuthorizedException" if message.contains("secret hash") => {
            Verdict::misconfigured("Cognito", error_type, ALL_VARIABLES)
        }
        "NotAuthorizedException"
            if message.contains("attempts exceeded") || message.contains("disabled") =>
        {
            Verdict::Locked(code(error_type))
        }
        "NotAuthorizedException" | "UserNotFoundException" => Verdict::Rejected(code(error_type)),
        "PasswordResetRequiredException" => Verdict::MustReset(code(error_type)),
        "UserNotConfirmedException" => Verdict::Locked(code(error_type)),
        "TooManyRequestsException"
        | "InternalErrorException"
        | "LimitExceededException"
        | "ThrottlingException"
        | "ServiceUnavailableException" => Verdict::Transient(code(error_type)),
        "ResourceNotFoundException"
        | "InvalidParameterException"
        | "InvalidUserPoolConfigurationException"
        | "UnrecognizedClientException"
        | "InvalidSignatureException"
        | "SignatureDoesNotMatch"
        | "IncompleteSignature"
        | "MissingAuthenticationToken"
        | "AccessDeniedException"
        | "ExpiredTokenException"
        | "InvalidClientTokenId"
        | "UnsupportedOperationException"
        | "InvalidLambdaResponseException"
        | "UserLambdaValidationException" => {
            Verdict::misconfigured("Cognito", error_type, ALL_VARIABLES)
        }
        _ => unrecognised(answer),
    }
}

/// Challenges after a correct password: MFA (migrate, Kinde takes over the second
/// factor) or a forced new password (reset first). Anything else is not a password
/// check this workflow understands.
fn classify_challenge(challenge: &str) -> Verdict {
    match challenge {
        "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP" | "MFA_SETUP" | "SELECT_MFA_TYPE"
        | "DEVICE_SRP_AUTH" => Verdict::Verified {
            profile: Profile::default(),
            step: Some(code(challenge)),
        },
        "NEW_PASSWORD_REQUIRED" => Verdict::MustReset(code(challenge)),
        _ => Verdict::misconfigured("Cognito", challenge, ALL_VARIABLES),
    }
}

/// AWS's XML signature errors (as moto and some gateways send them).
fn xml_signature_error(text: &str) -> Option<&'static str> {
    [
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
        "IncompleteSignature",
    ]
    .into_iter()
    .find(|name| text.contains(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_hash_matches_an_independent_computation() {
        // python3 -c "import hmac,hashlib,base64; print(base64.b64encode(hmac.new(
        //   b'client-secret', b'ada@example.com' + b'abc123', hashlib.sha256).digest()).decode())"
        assert_eq!(
            secret_hash(&Secret::new("client-secret"), "ada@example.com", "abc123"),
            "DrK/dCPhywsu77LQjNUo8skz2pWPKQ/KNT06hPpZnbI="
        );
    }
}
