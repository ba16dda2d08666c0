//! The thesis bench's handlers of `thesis.token.v1.TokenService` (bench/thesis.ts writes this
//! file over the rendered `crates/server/src/service.rs`): decode, call the `hotpath` crate
//! (Ed25519 JWT signing and verification), encode. The TypeScript service does the same work in
//! bench/thesis/ts/served.ts.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use hotpath::{Claims, Error, Signer, Verifier};
use tonic::{Request, Response, Status};

use crate::calls::Calls;
use crate::contracts;
use crate::deadline::Deadline;

/// The issuer of every token, and the one audience `Verify` accepts.
const ISSUER: &str = "thesis";
const AUDIENCE: &str = "thesis-api";

/// UNIMPLEMENTED for a method whose logic is not written yet (never a fake answer).
pub fn not_implemented(method: &str) -> Status {
    Status::unimplemented(format!(
        "{method} is not implemented yet: write it in crates/server/src/service.rs"
    ))
}

/// Handlers of `thesis.token.v1.TokenService` (contract `token`).
#[derive(Debug, Clone)]
pub struct Token {
    /// Clients of the called contracts (none here).
    pub calls: Calls,
    signer: Arc<Signer>,
    verifier: Arc<Verifier>,
}

impl Token {
    /// Keys from THESIS_JWT_PRIVATE_KEY (PKCS#8 PEM) and THESIS_JWT_PUBLIC_KEY (SPKI PEM), which
    /// the bench sets; without them the service cannot do its work, so it stops at start-up.
    pub fn new(calls: Calls) -> Self {
        let pem = |name: &str| {
            std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set (a PEM key)"))
        };
        let signer = Signer::from_pem(pem("THESIS_JWT_PRIVATE_KEY").as_bytes(), None)
            .expect("THESIS_JWT_PRIVATE_KEY is an Ed25519 private key");
        let verifier =
            Verifier::from_pem(pem("THESIS_JWT_PUBLIC_KEY").as_bytes(), ISSUER, AUDIENCE, 0)
                .expect("THESIS_JWT_PUBLIC_KEY is an Ed25519 public key");
        Self {
            calls,
            signer: Arc::new(signer),
            verifier: Arc::new(verifier),
        }
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[tonic::async_trait]
impl contracts::token::Service for Token {
    async fn sign(
        &self,
        request: Request<contracts::token::SignRequest>,
    ) -> Result<Response<contracts::token::SignResponse>, Status> {
        let _deadline = Deadline::of(&request);
        let request = request.into_inner();
        if request.subject.is_empty() || request.audience.is_empty() || request.ttl_seconds == 0 {
            return Err(Status::invalid_argument(
                "subject, audience and ttl_seconds are required",
            ));
        }
        let iat = now();
        let claims = Claims {
            iss: ISSUER.to_owned(),
            sub: request.subject,
            aud: request.audience,
            iat,
            exp: iat + u64::from(request.ttl_seconds),
        };
        let token = self
            .signer
            .sign(&claims)
            .map_err(|e| Status::internal(e.to_string()))?;
        Ok(Response::new(contracts::token::SignResponse { token }))
    }

    async fn verify(
        &self,
        request: Request<contracts::token::VerifyRequest>,
    ) -> Result<Response<contracts::token::VerifyResponse>, Status> {
        let _deadline = Deadline::of(&request);
        let claims = self
            .verifier
            .verify(&request.into_inner().token, now())
            .map_err(|e| match e {
                Error::Key(_) | Error::Sign(_) => Status::internal(e.to_string()),
                _ => Status::unauthenticated(e.to_string()),
            })?;
        Ok(Response::new(contracts::token::VerifyResponse {
            issuer: claims.iss,
            subject: claims.sub,
            audience: claims.aud,
            issued_at: claims.iat,
            expires_at: claims.exp,
        }))
    }
}
