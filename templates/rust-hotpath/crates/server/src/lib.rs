//! The gRPC server around the `hotpath` crate: config, deadlines, the call policy of the called
//! contracts, telemetry and graceful shutdown. `main.rs` only wires these together.

pub mod app;
pub mod calls;
pub mod config;
pub mod deadline;
pub mod policy;
pub mod service;
pub mod telemetry;

/// Code generated from `proto/` by `build.rs` (prost messages, tonic clients and servers).
#[allow(clippy::all, clippy::pedantic, missing_debug_implementations)]
pub mod pb {
    include!(concat!(env!("OUT_DIR"), "/_includes.rs"));
}

/// One module per contract this service serves or calls, named after the contract, with its
/// messages and stable names for the generated `Service` trait, `Server` and `Client`.
pub mod contracts {
    include!(concat!(env!("OUT_DIR"), "/contracts.rs"));
}
