//! The service config (`polyglot.dev/service-config/v1`), read once at start-up.
//!
//! Validation is serde with `deny_unknown_fields` (unknown keys, missing keys and wrong types,
//! reported with the JSON path through `serde_path_to_error`) plus [`ServiceConfig::validate`],
//! which checks what serde cannot: the schema's patterns, lengths and ranges. The JSON Schema
//! itself is `config/service-config.v1.json` (written from the model at render time); the test
//! `model_matches_the_json_schema` fails when the two drift apart. No `jsonschema` crate: it
//! would add a regex engine and an HTTP client to every build for five patterns.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The `schema` value this code understands.
pub const SCHEMA: &str = "polyglot.dev/service-config/v1";
/// Where the config is mounted when `$POLYGLOT_CONFIG` is unset.
pub const DEFAULT_PATH: &str = "/etc/polyglot/service.json";
/// Environment variable naming the config file.
pub const PATH_ENV: &str = "POLYGLOT_CONFIG";
/// JSON Schema integers are bounded by the largest exactly representable double.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceConfig {
    /// The file this config was read from (for error messages); not part of the JSON.
    #[serde(skip)]
    pub source: PathBuf,
    pub schema: String,
    pub system: String,
    pub domain: String,
    pub service: String,
    pub runtime: String,
    pub version: String,
    /// What this service promises its callers, as written (`"200ms"`).
    pub deadline: String,
    /// The same in milliseconds: the server-side limit of every incoming request.
    pub deadline_ms: u64,
    pub backoff: Backoff,
    pub ports: Ports,
    pub serves: Vec<Serve>,
    pub calls: Vec<Call>,
    pub publishes: Vec<Publish>,
    pub subscribes: Vec<Subscribe>,
    /// Present only when the service publishes or subscribes.
    pub nats: Option<Nats>,
    /// External endpoints (datastores, partner APIs) it connects to; present only when declared.
    pub dependencies: Option<Vec<Dependency>>,
}

/// An external endpoint and where its credentials are: each key of `secret` is mounted as the
/// environment variable `env[key]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Dependency {
    pub endpoint: String,
    pub protocol: String,
    pub host: String,
    pub port: u16,
    pub secret: String,
    pub env: BTreeMap<String, String>,
}

/// Retry `k` of any call waits up to `min(initialMs × multiplier^(k-1), maxMs)`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Backoff {
    pub initial: String,
    pub initial_ms: u64,
    pub max: String,
    pub max_ms: u64,
    pub multiplier: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Ports {
    pub grpc: Option<u64>,
    pub http: u64,
    pub websocket: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Serve {
    pub contract: String,
    pub grpc_service: String,
    pub proto: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Call {
    pub contract: String,
    pub grpc_service: String,
    /// gRPC target, `dns:///<host>:<port>`.
    pub target: String,
    pub timeout: String,
    /// Per-try timeout: the gRPC deadline of each try.
    pub timeout_ms: u64,
    /// Retries after the first try.
    pub retries: u64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Publish {
    pub event: String,
    pub subject: String,
    pub version: u64,
    pub stream: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Subscribe {
    pub event: String,
    pub subject: String,
    pub version: u64,
    pub durable: bool,
    /// Which replicas get each message: `queue` (also when absent), `broadcast` or `pod`.
    pub delivery: Option<String>,
    pub queue_group: Option<String>,
    pub stream: Option<String>,
    pub consumer: Option<String>,
    /// Where each pod's ordered consumer starts (`new` or `all`), for broadcast of a stream.
    pub replay: Option<String>,
    /// The subject with `{pod}` to replace by this pod's name, for pod delivery.
    pub pod_subject: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Nats {
    pub url: String,
    pub user: String,
    /// Name of the environment variable holding the password (never the password itself).
    pub password_env: String,
    pub inbox_prefix: String,
}

/// A config that cannot be used: names the file and the offending field.
#[derive(Debug)]
pub struct ConfigError {
    pub source_name: PathBuf,
    /// JSON path of the bad field (`calls[0].timeoutMs`), `.` for the whole document.
    pub field: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid service config {}: {}: {}",
            self.source_name.display(),
            self.field,
            self.message
        )
    }
}

impl std::error::Error for ConfigError {}

/// The config file's path: `$POLYGLOT_CONFIG`, else [`DEFAULT_PATH`].
pub fn path_from_env() -> PathBuf {
    std::env::var_os(PATH_ENV)
        .filter(|p| !p.is_empty())
        .map_or_else(|| PathBuf::from(DEFAULT_PATH), PathBuf::from)
}

/// Reads and validates the config at `path`.
pub fn load(path: &Path) -> Result<ServiceConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        source_name: path.to_owned(),
        field: ".".into(),
        message: format!("cannot read the file: {e}"),
    })?;
    parse(&text, path)
}

/// Parses and validates config text; `source_name` is used in error messages.
pub fn parse(text: &str, source_name: &Path) -> Result<ServiceConfig, ConfigError> {
    let error = |field: String, message: String| ConfigError {
        source_name: source_name.to_owned(),
        field,
        message,
    };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let mut config: ServiceConfig =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let field = e.path().to_string();
            error(field, e.into_inner().to_string())
        })?;
    deserializer
        .end()
        .map_err(|e| error(".".into(), e.to_string()))?;
    config
        .validate()
        .map_err(|(field, message)| error(field, message))?;
    config.source = source_name.to_owned();
    Ok(config)
}

impl ServiceConfig {
    /// The checks of the JSON Schema that serde's types do not express. Returns the first
    /// violation as (JSON path, message).
    pub fn validate(&self) -> Result<(), (String, String)> {
        let mut v = Checker::default();
        if self.schema != SCHEMA {
            v.fail(
                "schema",
                format!("must be \"{SCHEMA}\", found \"{}\"", self.schema),
            );
        }
        v.label("system", &self.system);
        v.label("domain", &self.domain);
        v.label("service", &self.service);
        v.non_empty("runtime", &self.runtime);
        v.non_empty("version", &self.version);
        v.duration("deadline", &self.deadline);
        v.integer("deadlineMs", self.deadline_ms);

        v.duration("backoff.initial", &self.backoff.initial);
        v.integer("backoff.initialMs", self.backoff.initial_ms);
        v.duration("backoff.max", &self.backoff.max);
        v.integer("backoff.maxMs", self.backoff.max_ms);
        if !(self.backoff.multiplier.is_finite() && self.backoff.multiplier >= 1.0) {
            v.fail(
                "backoff.multiplier",
                format!("must be a number >= 1, found {}", self.backoff.multiplier),
            );
        }

        for (name, port) in [
            ("ports.grpc", self.ports.grpc),
            ("ports.http", Some(self.ports.http)),
            ("ports.websocket", self.ports.websocket),
        ] {
            if let Some(port) = port
                && !(1..=65535).contains(&port)
            {
                v.fail(name, format!("must be a port in 1..=65535, found {port}"));
            }
        }

        for (i, s) in self.serves.iter().enumerate() {
            v.label(&format!("serves[{i}].contract"), &s.contract);
            v.non_empty(&format!("serves[{i}].grpcService"), &s.grpc_service);
            v.non_empty(&format!("serves[{i}].proto"), &s.proto);
        }
        for (i, c) in self.calls.iter().enumerate() {
            v.label(&format!("calls[{i}].contract"), &c.contract);
            v.non_empty(&format!("calls[{i}].grpcService"), &c.grpc_service);
            v.non_empty(&format!("calls[{i}].target"), &c.target);
            v.duration(&format!("calls[{i}].timeout"), &c.timeout);
            v.integer(&format!("calls[{i}].timeoutMs"), c.timeout_ms);
            v.integer(&format!("calls[{i}].retries"), c.retries);
        }
        for (i, p) in self.publishes.iter().enumerate() {
            v.label(&format!("publishes[{i}].event"), &p.event);
            v.non_empty(&format!("publishes[{i}].subject"), &p.subject);
            v.version(&format!("publishes[{i}].version"), p.version);
            v.optional_non_empty(&format!("publishes[{i}].stream"), p.stream.as_deref());
        }
        for (i, s) in self.subscribes.iter().enumerate() {
            v.label(&format!("subscribes[{i}].event"), &s.event);
            v.non_empty(&format!("subscribes[{i}].subject"), &s.subject);
            v.version(&format!("subscribes[{i}].version"), s.version);
            v.optional_non_empty(
                &format!("subscribes[{i}].queueGroup"),
                s.queue_group.as_deref(),
            );
            v.optional_non_empty(&format!("subscribes[{i}].stream"), s.stream.as_deref());
            v.optional_non_empty(&format!("subscribes[{i}].consumer"), s.consumer.as_deref());
        }
        if let Some(nats) = &self.nats {
            v.non_empty("nats.url", &nats.url);
            v.non_empty("nats.user", &nats.user);
            v.non_empty("nats.inboxPrefix", &nats.inbox_prefix);
            if !is_env_name(&nats.password_env) {
                v.fail(
                    "nats.passwordEnv",
                    format!(
                        "must match ^[A-Z_][A-Z0-9_]*$, found \"{}\"",
                        nats.password_env
                    ),
                );
            }
        }
        v.first.map_or(Ok(()), Err)
    }

    /// The `calls[]` entry of `contract`: a called contract missing from the config is an error
    /// at start-up, not at the first request.
    pub fn call(&self, contract: &str) -> Result<&Call, ConfigError> {
        self.calls
            .iter()
            .find(|c| c.contract == contract)
            .ok_or_else(|| ConfigError {
                source_name: self.source.clone(),
                field: "calls".into(),
                message: format!("no entry for contract \"{contract}\", which this service calls"),
            })
    }
}

/// Collects the first violation (one clear message beats a list at start-up).
#[derive(Default)]
struct Checker {
    first: Option<(String, String)>,
}

impl Checker {
    fn fail(&mut self, field: &str, message: String) {
        if self.first.is_none() {
            self.first = Some((field.to_owned(), message));
        }
    }

    fn non_empty(&mut self, field: &str, value: &str) {
        if value.is_empty() {
            self.fail(field, "must not be empty".into());
        }
    }

    fn optional_non_empty(&mut self, field: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.non_empty(field, value);
        }
    }

    fn label(&mut self, field: &str, value: &str) {
        if !is_dns_label(value) {
            self.fail(
                field,
                format!(
                    "must be a DNS label (^[a-z]([-a-z0-9]{{0,61}}[a-z0-9])?$), found \"{value}\""
                ),
            );
        }
    }

    fn duration(&mut self, field: &str, value: &str) {
        if !is_duration(value) {
            self.fail(
                field,
                format!("must be a duration like \"250ms\" or \"1.5s\" (^\\d+(\\.\\d+)?(ms|s|m|h)$), found \"{value}\""),
            );
        }
    }

    fn integer(&mut self, field: &str, value: u64) {
        if value > MAX_SAFE_INTEGER {
            self.fail(
                field,
                format!("must be at most {MAX_SAFE_INTEGER}, found {value}"),
            );
        }
    }

    fn version(&mut self, field: &str, value: u64) {
        if value == 0 {
            self.fail(field, "must be greater than 0".into());
        }
        self.integer(field, value);
    }
}

/// `^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`
fn is_dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    (1..=63).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && b[b.len() - 1] != b'-'
}

/// `^\d+(\.\d+)?(ms|s|m|h)$`
fn is_duration(s: &str) -> bool {
    let number = ["ms", "s", "m", "h"]
        .iter()
        .find_map(|unit| s.strip_suffix(unit));
    let Some(number) = number else { return false };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit());
    match number.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(number),
    }
}

/// `^[A-Z_][A-Z0-9_]*$`
fn is_env_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_uppercase() || b[0] == b'_')
        && b.iter()
            .all(|&c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    const SCHEMA_JSON: &str = include_str!("../../../config/service-config.v1.json");

    /// A config with every optional field present, valid against the schema.
    fn full() -> Value {
        json!({
            "schema": SCHEMA,
            "system": "shop", "domain": "billing", "service": "billing", "runtime": "rust",
            "version": "1.0.0", "deadline": "200ms", "deadlineMs": 200,
            "backoff": { "initial": "25ms", "initialMs": 25, "max": "1s", "maxMs": 1000, "multiplier": 2 },
            "ports": { "grpc": 50051, "http": 8080, "websocket": 8081 },
            "serves": [{ "contract": "billing", "grpcService": "shop.billing.v1.BillingService", "proto": "shop/billing/v1/billing.proto" }],
            "calls": [{
                "contract": "identity", "grpcService": "shop.identity.v1.IdentityService",
                "target": "dns:///identity.shop-identity.svc.cluster.local:50051",
                "timeout": "30ms", "timeoutMs": 30, "retries": 1
            }],
            "publishes": [{ "event": "invoice-issued", "subject": "shop.billing.invoice-issued.{customer}", "version": 1, "stream": "BILLING" }],
            "subscribes": [{
                "event": "user-signed-in", "subject": "shop.identity.signed-in.*", "version": 1,
                "durable": true, "queueGroup": "billing", "stream": "IDENTITY", "consumer": "shop-billing-user-signed-in",
                "delivery": "queue", "replay": "new", "podSubject": "shop.identity.signed-in.{pod}"
            }],
            "nats": { "url": "nats://nats:4222", "user": "billing", "passwordEnv": "NATS_PASSWORD", "inboxPrefix": "_INBOX_shop-billing" },
            "dependencies": [{
                "endpoint": "billing-db", "protocol": "postgresql", "host": "db.example.internal", "port": 5432,
                "secret": "billing-db", "env": { "password": "BILLING_DB_PASSWORD" }
            }]
        })
    }

    fn check(value: &Value) -> Result<ServiceConfig, ConfigError> {
        parse(&value.to_string(), Path::new("service.json"))
    }

    fn field_of(value: &Value) -> String {
        check(value).expect_err("must be refused").field
    }

    #[test]
    fn accepts_a_full_config() {
        let config = check(&full()).unwrap();
        assert_eq!(config.calls[0].timeout_ms, 30);
        assert_eq!(config.nats.unwrap().password_env, "NATS_PASSWORD");
    }

    #[test]
    fn errors_name_the_file_and_the_field() {
        let mut doc = full();
        doc["calls"][0]["timeoutMs"] = json!("30");
        let error = check(&doc).unwrap_err();
        assert_eq!(error.field, "calls[0].timeoutMs");
        let text = error.to_string();
        assert!(
            text.starts_with("invalid service config service.json: calls[0].timeoutMs: "),
            "{text}"
        );

        let error = load(Path::new("/nonexistent/service.json")).unwrap_err();
        assert!(
            error.to_string().contains("/nonexistent/service.json"),
            "{error}"
        );
    }

    #[test]
    fn checks_what_serde_types_do_not() {
        let cases: [(&str, Value, &str); 8] = [
            ("/schema", json!("polyglot.dev/service-config/v2"), "schema"),
            ("/service", json!("Billing"), "service"),
            ("/deadline", json!("200"), "deadline"),
            ("/backoff/multiplier", json!(0.5), "backoff.multiplier"),
            ("/ports/grpc", json!(0), "ports.grpc"),
            ("/calls/0/target", json!(""), "calls[0].target"),
            ("/subscribes/0/version", json!(0), "subscribes[0].version"),
            (
                "/nats/passwordEnv",
                json!("nats-password"),
                "nats.passwordEnv",
            ),
        ];
        for (pointer, bad, field) in cases {
            let mut doc = full();
            *doc.pointer_mut(pointer).unwrap() = bad;
            assert_eq!(field_of(&doc), field, "{pointer}");
        }
        let mut doc = full();
        doc["deadlineMs"] = json!(MAX_SAFE_INTEGER + 1);
        assert_eq!(field_of(&doc), "deadlineMs");
    }

    #[test]
    fn patterns() {
        for ok in ["1ms", "250ms", "1.5s", "2m", "1h", "0s"] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in ["", "ms", "1", "1.s", ".5s", "-1s", "1 s", "1us", "1.5.1s"] {
            assert!(!is_duration(bad), "{bad}");
        }
        for ok in ["a", "billing", "token-signer", "a1"] {
            assert!(is_dns_label(ok), "{ok}");
        }
        for bad in ["", "1a", "-a", "a-", "A", "a_b", &"a".repeat(64)] {
            assert!(!is_dns_label(bad), "{bad}");
        }
        assert!(is_env_name("NATS_PASSWORD") && is_env_name("_X1"));
        assert!(!is_env_name("1X") && !is_env_name("x") && !is_env_name(""));
    }

    /// Walks the JSON Schema next to the full config: every object must have exactly the
    /// schema's properties; dropping a required one, or adding an unknown one, must be refused;
    /// dropping an optional one must be accepted. A schema change that this model does not
    /// follow fails here.
    #[test]
    fn model_matches_the_json_schema() {
        let schema: Value = serde_json::from_str(SCHEMA_JSON).unwrap();
        assert_eq!(schema["properties"]["schema"]["const"], SCHEMA);
        walk(&schema, &full(), "");
    }

    fn walk(schema: &Value, doc: &Value, pointer: &str) {
        match schema["type"].as_str() {
            // A map (`additionalProperties` of a schema, no named properties): nothing to walk.
            Some("object") if schema["properties"].is_null() => {}
            Some("object") => {
                let properties = schema["properties"].as_object().unwrap();
                let present = doc.as_object().unwrap();
                let mut wanted: Vec<_> = properties.keys().collect();
                let mut found: Vec<_> = present.keys().collect();
                wanted.sort();
                found.sort();
                assert_eq!(
                    found, wanted,
                    "properties of {pointer:?}: the sample config (and so the model) differs from the schema"
                );
                let required: Vec<&str> = schema["required"]
                    .as_array()
                    .map(|r| r.iter().map(|k| k.as_str().unwrap()).collect())
                    .unwrap_or_default();
                for key in properties.keys() {
                    let mut changed = full();
                    changed
                        .pointer_mut(pointer)
                        .unwrap()
                        .as_object_mut()
                        .unwrap()
                        .remove(key);
                    let result = check(&changed);
                    if required.contains(&key.as_str()) {
                        assert!(
                            result.is_err(),
                            "{pointer}/{key} is required by the schema but the model accepts its absence"
                        );
                    } else {
                        assert!(
                            result.is_ok(),
                            "{pointer}/{key} is optional in the schema but the model refuses its absence: {:?}",
                            result.err()
                        );
                    }
                }
                if schema["additionalProperties"] == Value::Bool(false) {
                    let mut changed = full();
                    changed
                        .pointer_mut(pointer)
                        .unwrap()
                        .as_object_mut()
                        .unwrap()
                        .insert("unexpected".into(), json!(1));
                    assert!(
                        check(&changed).is_err(),
                        "{pointer} accepts unknown properties"
                    );
                }
                for (key, sub) in properties {
                    walk(sub, &present[key], &format!("{pointer}/{key}"));
                }
            }
            Some("array") => walk(&schema["items"], &doc[0], &format!("{pointer}/0")),
            _ => {}
        }
    }
}
