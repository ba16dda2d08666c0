//! The service's hot path: pure computation with no I/O (no sockets, files, clocks or
//! environment), so it is unit-tested and benchmarked in isolation and the gRPC layer in
//! `crates/server` stays a thin adapter around it.
//!
//! The example hot path is Ed25519 (EdDSA) JSON Web Token signing and verification. Replace or
//! extend it with the computation the served methods need; keep I/O out of this crate.

mod jwt;

pub use jwt::{Claims, Error, Signer, Verifier};
