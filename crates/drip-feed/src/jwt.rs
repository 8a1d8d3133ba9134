//! Names from a legacy ID token's claims.
//!
//! The token came straight from the provider over HTTPS in answer to this request,
//! so its signature is not checked: only `given_name` and `family_name` are read, to
//! fill the new Kinde profile. A token that cannot be read just yields no names.

use kinde_workflow::json::{JwtClaims, LenientString};

use crate::answer::Claims;
use crate::verdict::Profile;

/// The names in an ID token's claims (as [`JwtClaims`] read them); empty when the
/// token or a claim is unreadable.
pub(crate) fn profile_from_id_token(claims: &JwtClaims<Box<Claims>>) -> Profile {
    let name = |claim: &LenientString| -> Option<String> {
        let trimmed = claim.0.as_deref()?.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_owned())
    };
    match claims.0.as_deref() {
        Some(Claims(claims)) => Profile {
            given_name: name(&claims.given_name),
            family_name: name(&claims.family_name),
        },
        None => Profile::default(),
    }
}

#[cfg(test)]
pub(crate) fn test_token(claims: &serde_json::Value) -> String {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut token = engine.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    token.push('.');
    token.push_str(&engine.encode(claims.to_string()));
    token.push_str(".c2lnbmF0dXJl");
    token
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Fields;
    use serde_json::json;

    /// The names in `token`, read as an answer's `id_token` is.
    fn profile_of(token: Option<&str>) -> Profile {
        let answer = match token {
            Some(token) => json!({ "id_token": token }),
            None => json!({}),
        };
        profile_from_id_token(&Fields::read(&answer.to_string()).id_token)
    }

    #[test]
    fn reads_names_and_tolerates_bad_tokens() {
        let token =
            test_token(&json!({"given_name": "Ada", "family_name": " Lovelace ", "sub": "x"}));
        assert_eq!(
            profile_of(Some(&token)),
            Profile {
                given_name: Some("Ada".into()),
                family_name: Some("Lovelace".into())
            }
        );
        let only_given = test_token(&json!({"given_name": "Émile", "family_name": 3}));
        assert_eq!(
            profile_of(Some(&only_given)).given_name.as_deref(),
            Some("Émile")
        );
        assert_eq!(profile_of(Some(&only_given)).family_name, None);
        // Claims named like other answers' fields, of other types, are not read.
        let odd = test_token(
            &json!({"given_name": "Ada", "users": "x", "errors": [1], "AuthenticationResult": 7}),
        );
        assert_eq!(profile_of(Some(&odd)).given_name.as_deref(), Some("Ada"));
        // Header and signature are not read: only the payload matters.
        let payload_only = format!(".{}", token.split('.').nth(1).unwrap());
        assert_eq!(profile_of(Some(&payload_only)), profile_of(Some(&token)));
        for bad in [
            None,
            Some(""),
            Some("a.b.c"),
            Some("nodots"),
            Some("x.!!!.y"),
        ] {
            assert_eq!(profile_of(bad), Profile::default(), "{bad:?}");
        }
    }
}
