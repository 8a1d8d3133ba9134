//! Names from a legacy ID token's claims.
//!
//! The token came straight from the provider over HTTPS in answer to this request,
//! so its signature is not checked: only `given_name` and `family_name` are read, to
//! fill the new Kinde profile. A token that cannot be read just yields no names.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use kinde_workflow::json::{self, LenientString};

use crate::answer::Claims;
use crate::verdict::Profile;

/// Base64url as JWTs use it (unpadded, but padding is tolerated).
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The names in a JWT's payload (Base64url, as [`JwtPayload`](kinde_workflow::json::JwtPayload)
/// reads it); empty when the payload or a claim is unreadable.
pub(crate) fn profile_from_id_token(payload: Option<&str>) -> Profile {
    let claims = payload
        .and_then(|payload| {
            let bytes = BASE64URL.decode(payload).ok()?;
            // Read by the reader every answer goes through (the module holds one JSON
            // reader); a payload that is not UTF-8 is no JSON either.
            let text = std::str::from_utf8(&bytes).ok()?;
            json::from_str::<Claims>(text).ok()
        })
        .map(|claims| claims.0)
        .unwrap_or_default();
    let name = |claim: LenientString| -> Option<String> {
        let value = claim.0?;
        let trimmed = value.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_owned())
    };
    Profile {
        given_name: name(claims.given_name),
        family_name: name(claims.family_name),
    }
}

#[cfg(test)]
pub(crate) fn test_token(claims: &serde_json::Value) -> String {
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
        profile_from_id_token(Fields::read(&answer.to_string()).id_token.as_deref())
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
