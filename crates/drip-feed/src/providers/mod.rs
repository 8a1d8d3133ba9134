//! The legacy identity providers, chosen by `LEGACY_PROVIDER`.

#[cfg(feature = "auth0")]
pub(crate) mod auth0;
#[cfg(feature = "azure-b2c")]
pub(crate) mod azure_b2c;
#[cfg(feature = "cognito")]
pub(crate) mod cognito;
#[cfg(feature = "generic")]
pub(crate) mod generic;

#[cfg(not(any(
    feature = "generic",
    feature = "auth0",
    feature = "cognito",
    feature = "azure-b2c"
)))]
compile_error!("enable at least one provider feature: generic, auth0, cognito or azure-b2c");

use kinde_workflow::{Host, Result, Secret};

use crate::answer::{Answer, Reply};
use crate::config;
use crate::verdict::Verdict;

/// Selects the provider.
pub const PROVIDER_VAR: &str = "LEGACY_PROVIDER";

/// The credentials to check, from the event.
pub(crate) struct Credentials<'a> {
    /// The e-mail the user entered.
    pub email: &'a str,
    /// The password the user entered.
    pub password: &'a Secret,
    /// The end user's IP address, when Kinde sends it (Auth0 is told it).
    #[cfg_attr(not(feature = "auth0"), allow(dead_code))]
    pub ip: Option<&'a str>,
}

/// A configured provider.
pub(crate) enum Provider {
    #[cfg(feature = "generic")]
    Generic(generic::Config),
    #[cfg(feature = "auth0")]
    Auth0(auth0::Config),
    #[cfg(feature = "cognito")]
    Cognito(cognito::Config),
    #[cfg(feature = "azure-b2c")]
    AzureB2c(azure_b2c::Config),
}

impl Provider {
    /// Reads `LEGACY_PROVIDER` and the chosen provider's variables.
    pub async fn load(host: &impl Host) -> Result<Self> {
        let name = config::required(host, PROVIDER_VAR).await?;
        match name.as_str() {
            #[cfg(feature = "generic")]
            "generic" => Ok(Provider::Generic(generic::Config::load(host).await?)),
            #[cfg(feature = "auth0")]
            "auth0" => Ok(Provider::Auth0(auth0::Config::load(host).await?)),
            #[cfg(feature = "cognito")]
            "cognito" => Ok(Provider::Cognito(cognito::Config::load(host).await?)),
            #[cfg(feature = "azure-b2c")]
            "azure_b2c" => Ok(Provider::AzureB2c(azure_b2c::Config::load(host).await?)),
            // Reached only when a provider's feature is off.
            #[allow(unreachable_patterns)]
            "generic" | "auth0" | "cognito" | "azure_b2c" => Err(config::invalid(
                PROVIDER_VAR,
                "this provider was left out of this build (its cargo feature is off)",
            )),
            _ => Err(config::invalid(
                PROVIDER_VAR,
                "expected `generic`, `auth0`, `cognito` or `azure_b2c`",
            )),
        }
    }

    /// The provider's name for log lines.
    pub fn name(&self) -> &'static str {
        match self {
            #[cfg(feature = "generic")]
            Provider::Generic(_) => "generic",
            #[cfg(feature = "auth0")]
            Provider::Auth0(_) => "auth0",
            #[cfg(feature = "cognito")]
            Provider::Cognito(_) => "cognito",
            #[cfg(feature = "azure-b2c")]
            Provider::AzureB2c(_) => "azure_b2c",
        }
    }

    /// Asks the provider about the credentials and classifies its answer.
    /// `now` gives the Unix time in seconds (for request signing).
    pub async fn check(
        &self,
        credentials: &Credentials<'_>,
        host: &impl Host,
        now: fn() -> u64,
    ) -> Result<Verdict> {
        let _ = now; // only request signing needs the clock
        match self {
            #[cfg(feature = "generic")]
            Provider::Generic(config) => generic::check(config, credentials, host).await,
            #[cfg(feature = "auth0")]
            Provider::Auth0(config) => auth0::check(config, credentials, host).await,
            #[cfg(feature = "cognito")]
            Provider::Cognito(config) => cognito::check(config, credentials, host, now()).await,
            #[cfg(feature = "azure-b2c")]
            Provider::AzureB2c(config) => azure_b2c::check(config, credentials, host).await,
        }
    }
}

/// Classifies a reply: no answer at all is transient, an answer goes to `classify`.
pub(crate) fn judge(reply: Reply, classify: impl FnOnce(&Answer) -> Verdict) -> Verdict {
    match reply {
        Reply::Answer(answer) => classify(&answer),
        Reply::Unreachable => Verdict::Transient("no answer".to_owned()),
    }
}

/// The verdict for an answer no rule recognised: transient (retried next sign-in),
/// logged with its status.
pub(crate) fn unrecognised(answer: &Answer) -> Verdict {
    let mut code = crate::answer::status_code(answer.status);
    code.push_str(if answer.text().trim().is_empty() {
        ", empty body"
    } else {
        ", unrecognised body"
    });
    Verdict::Transient(code)
}
