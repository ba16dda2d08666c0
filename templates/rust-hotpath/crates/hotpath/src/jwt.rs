//! Ed25519 JWT signing and verification (jsonwebtoken with its pure-Rust crypto provider).

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The registered claims this service issues and accepts. Times are Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer.
    pub iss: String,
    /// Subject.
    pub sub: String,
    /// Audience.
    pub aud: String,
    /// Issued at.
    pub iat: u64,
    /// Expires at (exclusive).
    pub exp: u64,
}

/// Why a key was refused or a token could not be signed or verified.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid Ed25519 key: {0}")]
    Key(#[source] jsonwebtoken::errors::Error),
    #[error("signing failed: {0}")]
    Sign(#[source] jsonwebtoken::errors::Error),
    #[error("token rejected: {0}")]
    Invalid(#[source] jsonwebtoken::errors::Error),
    #[error("token expired at {exp} (now {now})")]
    Expired { exp: u64, now: u64 },
    #[error("token issued in the future ({iat} > now {now})")]
    NotYetValid { iat: u64, now: u64 },
}

/// Signs claims with an Ed25519 private key.
pub struct Signer {
    key: EncodingKey,
    header: Header,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.debug_struct("Signer")
            .field("kid", &self.header.kid)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// From a PKCS#8 PEM private key (`openssl genpkey -algorithm ed25519`). `key_id` becomes
    /// the token header's `kid`, so verifiers can pick the key during rotation.
    pub fn from_pem(private_key_pem: &[u8], key_id: Option<String>) -> Result<Self, Error> {
        let key = EncodingKey::from_ed_pem(private_key_pem).map_err(Error::Key)?;
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = key_id;
        Ok(Self { key, header })
    }

    /// A compact JWS (`header.payload.signature`).
    pub fn sign(&self, claims: &Claims) -> Result<String, Error> {
        jsonwebtoken::encode(&self.header, claims, &self.key).map_err(Error::Sign)
    }
}

/// Verifies Ed25519-signed tokens for one issuer and audience.
pub struct Verifier {
    key: DecodingKey,
    validation: Validation,
    leeway_secs: u64,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("iss", &self.validation.iss)
            .field("aud", &self.validation.aud)
            .field("leeway_secs", &self.leeway_secs)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// From an SPKI PEM public key (`openssl pkey -pubout`). Only EdDSA is accepted (no
    /// algorithm confusion); `leeway_secs` absorbs clock skew between issuer and verifier.
    pub fn from_pem(
        public_key_pem: &[u8],
        issuer: &str,
        audience: &str,
        leeway_secs: u64,
    ) -> Result<Self, Error> {
        let key = DecodingKey::from_ed_pem(public_key_pem).map_err(Error::Key)?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["iss", "sub", "aud", "exp"]);
        // Time is an input (`now`), not read from the system clock here: the crate does no I/O
        // and tests are deterministic. `verify` checks exp and iat itself.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        Ok(Self {
            key,
            validation,
            leeway_secs,
        })
    }

    /// The token's claims if its signature, issuer and audience are valid and it is not
    /// expired at `now` (Unix seconds).
    pub fn verify(&self, token: &str, now: u64) -> Result<Claims, Error> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.key, &self.validation)
            .map_err(Error::Invalid)?
            .claims;
        if claims.exp.saturating_add(self.leeway_secs) <= now {
            return Err(Error::Expired {
                exp: claims.exp,
                now,
            });
        }
        if claims.iat > now.saturating_add(self.leeway_secs) {
            return Err(Error::NotYetValid {
                iat: claims.iat,
                now,
            });
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Test-only keys (generated with openssl for these tests; never use them elsewhere).
    const PRIVATE: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIE2y9/u71XZLEFOkVHOTtQShIPegaN0dO1Lm8mQRRoBO
-----END PRIVATE KEY-----
";
    const PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAjCJfrjf/xWpHv6gnsVXXdhiRx5tdCjG80NAmC2pWFCw=
-----END PUBLIC KEY-----
";
    const OTHER_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAMkziE8/GWFyfTBM3g2e30BJaAitTlkk/t6/xIc4hA5Y=
-----END PUBLIC KEY-----
";
    const NOW: u64 = 1_800_000_000;

    fn claims() -> Claims {
        Claims {
            iss: "shop".into(),
            sub: "user-1".into(),
            aud: "api".into(),
            iat: NOW,
            exp: NOW + 300,
        }
    }

    fn verifier(public: &str) -> Verifier {
        Verifier::from_pem(public.as_bytes(), "shop", "api", 0).unwrap()
    }

    #[test]
    fn round_trip() {
        let signer = Signer::from_pem(PRIVATE.as_bytes(), Some("k1".into())).unwrap();
        let token = signer.sign(&claims()).unwrap();
        assert_eq!(token.split('.').count(), 3);
        assert_eq!(verifier(PUBLIC).verify(&token, NOW + 1).unwrap(), claims());
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.alg, Algorithm::EdDSA);
        assert_eq!(header.kid.as_deref(), Some("k1"));
    }

    #[test]
    fn rejects_other_key_tampering_and_wrong_audience() {
        let token = Signer::from_pem(PRIVATE.as_bytes(), None)
            .unwrap()
            .sign(&claims())
            .unwrap();
        assert!(matches!(
            verifier(OTHER_PUBLIC).verify(&token, NOW),
            Err(Error::Invalid(_))
        ));

        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        parts[1] = parts[1].chars().rev().collect();
        assert!(verifier(PUBLIC).verify(&parts.join("."), NOW).is_err());

        let other_audience = Verifier::from_pem(PUBLIC.as_bytes(), "shop", "admin", 0).unwrap();
        assert!(matches!(
            other_audience.verify(&token, NOW),
            Err(Error::Invalid(_))
        ));
    }

    #[test]
    fn expiry_and_issue_time_use_the_given_clock() {
        let token = Signer::from_pem(PRIVATE.as_bytes(), None)
            .unwrap()
            .sign(&claims())
            .unwrap();
        assert!(matches!(
            verifier(PUBLIC).verify(&token, NOW + 300),
            Err(Error::Expired { .. })
        ));
        assert!(matches!(
            verifier(PUBLIC).verify(&token, NOW - 1),
            Err(Error::NotYetValid { .. })
        ));
        let lenient = Verifier::from_pem(PUBLIC.as_bytes(), "shop", "api", 5).unwrap();
        assert!(lenient.verify(&token, NOW + 304).is_ok());
    }

    #[test]
    fn refuses_non_ed25519_keys() {
        assert!(matches!(
            Signer::from_pem(PUBLIC.as_bytes(), None),
            Err(Error::Key(_))
        ));
        assert!(Verifier::from_pem(b"not a key", "shop", "api", 0).is_err());
    }
}
