//! Sign and verify throughput of the hot path: `cargo bench -p hotpath`.
//! (Kept out of `cargo test`: an optimized criterion build takes minutes.)

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hotpath::{Claims, Signer, Verifier};

// Bench-only keys (generated with openssl; never use them elsewhere).
const PRIVATE: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIE2y9/u71XZLEFOkVHOTtQShIPegaN0dO1Lm8mQRRoBO
-----END PRIVATE KEY-----
";
const PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAjCJfrjf/xWpHv6gnsVXXdhiRx5tdCjG80NAmC2pWFCw=
-----END PUBLIC KEY-----
";
const NOW: u64 = 1_800_000_000;

fn jwt(c: &mut Criterion) {
    let signer = Signer::from_pem(PRIVATE.as_bytes(), Some("bench".into())).expect("private key");
    let verifier = Verifier::from_pem(PUBLIC.as_bytes(), "bench", "bench", 0).expect("public key");
    let claims = Claims {
        iss: "bench".into(),
        sub: "user-1".into(),
        aud: "bench".into(),
        iat: NOW,
        exp: NOW + 300,
    };
    let token = signer.sign(&claims).expect("sign");

    let mut group = c.benchmark_group("ed25519_jwt");
    group.bench_function("sign", |b| b.iter(|| signer.sign(black_box(&claims))));
    group.bench_function("verify", |b| {
        b.iter(|| verifier.verify(black_box(&token), black_box(NOW + 1)))
    });
    group.finish();
}

criterion_group!(benches, jwt);
criterion_main!(benches);
