//! The call policy of `calls[]`: a per-try timeout, `retries` retries after the first try with
//! the system's backoff, all inside the caller's deadline (never extended).

use std::future::Future;
use std::time::Duration;

use tonic::transport::{Channel, Endpoint};
use tonic::{Code, Status};

use crate::config;
use crate::deadline::Deadline;
use crate::telemetry;

/// Retry `k` (1-based) waits up to `min(initial × multiplier^(k-1), max)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    pub initial: Duration,
    pub max: Duration,
    pub multiplier: f64,
}

impl Backoff {
    pub fn from_config(backoff: &config::Backoff) -> Self {
        Self {
            initial: Duration::from_millis(backoff.initial_ms),
            max: Duration::from_millis(backoff.max_ms),
            multiplier: backoff.multiplier,
        }
    }

    /// The longest wait before retry `k` (1-based): the bound the system's budget check used.
    pub fn ceiling(&self, retry: u32) -> Duration {
        let exponent = i32::try_from(retry.saturating_sub(1)).unwrap_or(i32::MAX);
        let factor = self.multiplier.powi(exponent);
        let secs = self.initial.as_secs_f64() * factor;
        if !secs.is_finite() || secs >= self.max.as_secs_f64() {
            self.max
        } else {
            Duration::from_secs_f64(secs)
        }
    }

    /// The wait before retry `k` with jitter below the ceiling, never above: uniform in
    /// [ceiling/2, ceiling] for `unit` in [0, 1).
    pub fn jittered(&self, retry: u32, unit: f64) -> Duration {
        let ceiling = self.ceiling(retry);
        let unit = unit.clamp(0.0, 1.0);
        ceiling.mul_f64(0.5 + 0.5 * unit).min(ceiling)
    }
}

/// How one called contract is called.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallPolicy {
    /// Deadline of each try (`calls[].timeoutMs`).
    pub per_try: Duration,
    /// Retries after the first try (`calls[].retries`).
    pub retries: u32,
    pub backoff: Backoff,
}

impl CallPolicy {
    pub fn from_config(call: &config::Call, backoff: &config::Backoff) -> Self {
        Self {
            per_try: Duration::from_millis(call.timeout_ms),
            retries: u32::try_from(call.retries).unwrap_or(u32::MAX),
            backoff: Backoff::from_config(backoff),
        }
    }
}

/// Codes worth another try: the callee was unreachable, overloaded, or the try ran out of time.
/// Anything else (INVALID_ARGUMENT, NOT_FOUND, ...) would fail the same way again.
pub fn retryable(code: Code) -> bool {
    matches!(
        code,
        Code::Unavailable | Code::DeadlineExceeded | Code::ResourceExhausted
    )
}

/// Runs `attempt` under `policy`. Each try gets `min(per_try, time left before deadline)` as its
/// timeout (passed to `attempt` for the `grpc-timeout` header, and enforced here too); a
/// retryable failure is retried after the backoff unless the deadline would pass first.
pub async fn call<T, F, Fut>(
    policy: &CallPolicy,
    deadline: Option<Deadline>,
    method: &str,
    mut attempt: F,
) -> Result<T, Status>
where
    F: FnMut(Duration) -> Fut,
    Fut: Future<Output = Result<T, Status>>,
{
    let mut retry = 0;
    loop {
        let left = deadline.map_or(Duration::MAX, Deadline::remaining);
        if left.is_zero() {
            return Err(Status::deadline_exceeded(format!(
                "{method}: the caller's deadline passed before try {}",
                retry + 1
            )));
        }
        let timeout = policy.per_try.min(left);
        let started = tokio::time::Instant::now();
        let timed_out = || {
            Status::deadline_exceeded(format!(
                "{method}: try {} timed out after {} ms",
                retry + 1,
                timeout.as_millis()
            ))
        };
        let status = match tokio::time::timeout(timeout, attempt(timeout)).await {
            Ok(Ok(value)) => return Ok(value),
            // tonic's channel enforces the same grpc-timeout and reports CANCELLED when its
            // timer wins the race: that is this try timing out too.
            Ok(Err(status)) if status.code() == Code::Cancelled && started.elapsed() >= timeout => {
                timed_out()
            }
            Ok(Err(status)) => status,
            Err(_) => timed_out(),
        };
        if retry >= policy.retries || !retryable(status.code()) {
            return Err(status);
        }
        retry += 1;
        let wait = policy.backoff.jittered(retry, fastrand::f64());
        if deadline.is_some_and(|d| wait >= d.remaining()) {
            // No time left for another try: report the last failure, not a synthetic one.
            return Err(status);
        }
        tracing::debug!(method, retry, wait_ms = wait.as_millis() as u64, code = ?status.code(), "retrying");
        tokio::time::sleep(wait).await;
    }
}

/// A request for one try: `grpc-timeout` set to the try's timeout (so the callee stops too) and
/// the current trace context injected.
pub fn outgoing<T>(message: T, timeout: Duration) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request.set_timeout(timeout);
    telemetry::inject_context(request.metadata_mut());
    request
}

/// A lazily connecting channel to a config target (`dns:///host:port`, `host:port` or
/// `http://host:port`). Lazy: a callee that is down at start-up fails calls, not the start.
pub fn channel(target: &str) -> Result<Channel, String> {
    let authority = target
        .strip_prefix("dns:///")
        .or_else(|| target.strip_prefix("dns:"))
        .or_else(|| target.strip_prefix("http://"))
        .unwrap_or(target);
    if authority.is_empty() || authority.contains('/') {
        return Err(format!(
            "unsupported gRPC target \"{target}\" (expected dns:///host:port)"
        ));
    }
    let endpoint = Endpoint::from_shared(format!("http://{authority}"))
        .map_err(|e| format!("invalid gRPC target \"{target}\": {e}"))?;
    Ok(endpoint.tcp_nodelay(true).connect_lazy())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    const BACKOFF: Backoff = Backoff {
        initial: Duration::from_millis(25),
        max: Duration::from_millis(150),
        multiplier: 2.0,
    };

    #[test]
    fn backoff_ceiling_grows_and_caps() {
        let ms = |k| BACKOFF.ceiling(k).as_millis();
        assert_eq!(
            [ms(1), ms(2), ms(3), ms(4), ms(40)],
            [25, 50, 100, 150, 150]
        );
        let flat = Backoff {
            multiplier: 1.0,
            ..BACKOFF
        };
        assert_eq!(flat.ceiling(9), Duration::from_millis(25));
    }

    #[test]
    fn jitter_stays_below_the_ceiling() {
        for k in 1..6 {
            for unit in [0.0, 0.25, 0.999_999, 1.0] {
                let wait = BACKOFF.jittered(k, unit);
                assert!(
                    wait <= BACKOFF.ceiling(k) && wait >= BACKOFF.ceiling(k) / 2,
                    "{k} {unit}"
                );
            }
        }
    }

    #[test]
    fn targets() {
        assert!(channel_for_test("dns:///identity.shop.svc.cluster.local:50051").is_ok());
        assert!(channel_for_test("127.0.0.1:50051").is_ok());
        assert!(channel_for_test("dns:///").is_err());
        assert!(channel_for_test("unix:///tmp/socket").is_err());
    }

    fn channel_for_test(target: &str) -> Result<(), String> {
        // connect_lazy needs a runtime only when used; building the endpoint is synchronous.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async { channel(target).map(drop) })
    }

    fn policy(retries: u32) -> CallPolicy {
        CallPolicy {
            per_try: Duration::from_millis(100),
            retries,
            backoff: BACKOFF,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn retries_retryable_codes_exactly_retries_times() {
        let tries = AtomicU32::new(0);
        let result: Result<(), Status> = call(&policy(2), None, "m", |_| {
            tries.fetch_add(1, Ordering::SeqCst);
            async { Err(Status::unavailable("down")) }
        })
        .await;
        assert_eq!(result.unwrap_err().code(), Code::Unavailable);
        assert_eq!(tries.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn does_not_retry_other_codes_and_stops_on_success() {
        let tries = AtomicU32::new(0);
        let result: Result<(), Status> = call(&policy(5), None, "m", |_| {
            tries.fetch_add(1, Ordering::SeqCst);
            async { Err(Status::invalid_argument("bad")) }
        })
        .await;
        assert_eq!(result.unwrap_err().code(), Code::InvalidArgument);
        assert_eq!(tries.load(Ordering::SeqCst), 1);

        let tries = AtomicU32::new(0);
        let result = call(&policy(5), None, "m", |_| {
            let n = tries.fetch_add(1, Ordering::SeqCst);
            async move {
                if n < 2 {
                    Err(Status::unavailable("down"))
                } else {
                    Ok(n)
                }
            }
        })
        .await;
        assert_eq!(result.unwrap(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn each_try_is_cut_at_the_per_try_timeout_and_the_deadline_is_never_extended() {
        let timeouts = std::sync::Mutex::new(Vec::new());
        let started = tokio::time::Instant::now();
        let deadline = Deadline::after(Duration::from_millis(160));
        let result: Result<(), Status> = call(&policy(5), Some(deadline), "m", |timeout| {
            timeouts.lock().unwrap().push(timeout);
            std::future::pending()
        })
        .await;
        assert_eq!(result.unwrap_err().code(), Code::DeadlineExceeded);
        let timeouts = timeouts.into_inner().unwrap();
        // First try: the full per-try timeout; second: only what the deadline left after the
        // 12.5–25 ms backoff; then nothing is left, so no third try.
        assert_eq!(timeouts[0], Duration::from_millis(100));
        assert_eq!(timeouts.len(), 2, "{timeouts:?}");
        assert!(timeouts[1] <= Duration::from_millis(48), "{timeouts:?}");
        assert_eq!(started.elapsed(), Duration::from_millis(160));
    }
}
