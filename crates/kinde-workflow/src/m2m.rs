//! The client-credentials token request behind [`Host::m2m_token`](crate::Host::m2m_token).

use crate::Secret;

/// Asks for an M2M access token by client credentials (`POST {domain}/oauth2/token`).
///
/// `Debug` hides the client secret.
///
/// ```
/// use kinde_workflow::{M2mTokenRequest, Secret};
///
/// let request = M2mTokenRequest::new("https://example.kinde.com", "client-id", Secret::new("s3cret"))
///     .audience("https://example.kinde.com/api")
///     .scope("read:users");
/// assert_eq!(request.cache_key, "m2m:client-id");
/// assert!(!format!("{request:?}").contains("s3cret"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct M2mTokenRequest {
    /// The key the token is cached under (`kinde.cache.jwtToken`).
    pub cache_key: String,
    /// The issuer's base URL, e.g. `https://example.kinde.com`.
    pub domain: String,
    /// The M2M application's client id.
    pub client_id: String,
    /// Its client secret.
    pub client_secret: Secret,
    /// Audiences to request.
    pub audience: Vec<String>,
    /// Scopes to request.
    pub scopes: Vec<String>,
    /// Fetch a new token even when a cached one is still valid.
    pub skip_cache: bool,
}

impl M2mTokenRequest {
    /// A request cached under `m2m:<client id>`, with no audience or scope.
    pub fn new(
        domain: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: Secret,
    ) -> Self {
        let client_id = client_id.into();
        Self {
            cache_key: format!("m2m:{client_id}"),
            domain: domain.into(),
            client_id,
            client_secret,
            audience: Vec::new(),
            scopes: Vec::new(),
            skip_cache: false,
        }
    }

    /// Adds an audience.
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience.push(audience.into());
        self
    }

    /// Adds a scope.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// Caches the token under `key` instead of `m2m:<client id>`.
    pub fn cache_key(mut self, key: impl Into<String>) -> Self {
        self.cache_key = key.into();
        self
    }

    /// Bypasses the cache.
    pub fn skip_cache(mut self) -> Self {
        self.skip_cache = true;
        self
    }
}
