package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// valid is a config as synth writes it (docs/service-config.md of generator-polyglot).
const valid = `{
  "schema": "polyglot.dev/service-config/v1",
  "system": "shop", "domain": "billing", "service": "billing", "runtime": "go", "version": "0.1.0",
  "deadline": "200ms", "deadlineMs": 200,
  "backoff": { "initial": "25ms", "initialMs": 25, "max": "1s", "maxMs": 1000, "multiplier": 2 },
  "ports": { "grpc": 50051, "http": 8080 },
  "serves": [{ "contract": "billing", "grpcService": "shop.billing.v1.BillingService", "proto": "contracts/shop/billing/v1/billing.proto" }],
  "calls": [{
    "contract": "identity", "grpcService": "shop.identity.v1.IdentityService",
    "target": "dns:///identity.shop-identity.svc.cluster.local:50051",
    "timeout": "30ms", "timeoutMs": 30, "retries": 1
  }],
  "publishes": [{ "event": "invoice-issued", "subject": "shop.billing.invoice-issued.{customer}", "version": 1 }],
  "subscribes": [{
    "event": "user-signed-in", "subject": "shop.identity.signed-in.*", "version": 1,
    "queueGroup": "billing", "durable": true, "stream": "IDENTITY", "consumer": "shop-billing-billing"
  }],
  "nats": {
    "url": "nats://nats.shop-nats.svc.cluster.local:4222", "user": "billing",
    "passwordEnv": "NATS_PASSWORD", "inboxPrefix": "_INBOX_shop-billing_billing"
  }
}`

func TestValidConfigIsAccepted(t *testing.T) {
	cfg, err := Parse([]byte(valid))
	if err != nil {
		t.Fatalf("valid config rejected: %v", err)
	}
	if got := cfg.DeadlineDuration(); got != 200*time.Millisecond {
		t.Errorf("deadline = %v, want 200ms", got)
	}
	call, err := cfg.Call("identity")
	if err != nil {
		t.Fatal(err)
	}
	if call.TimeoutDuration() != 30*time.Millisecond || call.Retries != 1 {
		t.Errorf("call = %+v", call)
	}
	if cfg.Backoff.InitialDuration() != 25*time.Millisecond || cfg.Backoff.MaxDuration() != time.Second || cfg.Backoff.Multiplier != 2 {
		t.Errorf("backoff = %+v", cfg.Backoff)
	}
	if cfg.NATS == nil || cfg.NATS.PasswordEnv != "NATS_PASSWORD" {
		t.Errorf("nats = %+v", cfg.NATS)
	}
	if !cfg.Subscribes[0].Durable || cfg.Subscribes[0].Consumer != "shop-billing-billing" {
		t.Errorf("subscribes = %+v", cfg.Subscribes)
	}
	if _, err := cfg.Call("nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("missing call: err = %v", err)
	}
}

func TestWrongConfigNamesTheField(t *testing.T) {
	cases := []struct {
		name, from, to, want string
	}{
		{"wrong type", `"timeoutMs": 30`, `"timeoutMs": "30"`, "field /calls/0/timeoutMs:"},
		{"negative", `"retries": 1`, `"retries": -1`, "field /calls/0/retries:"},
		{"missing", `"deadlineMs": 200,`, ``, "field /deadlineMs:"},
		{"unknown", `"deadlineMs": 200,`, `"deadlineMs": 200, "deadlnie": "1s",`, "field /deadlnie:"},
		{"bad pattern", `"deadline": "200ms"`, `"deadline": "soon"`, "field /deadline:"},
		{"bad env name", `"passwordEnv": "NATS_PASSWORD"`, `"passwordEnv": "nats-password"`, "field /nats/passwordEnv:"},
		{"other format", `"schema": "polyglot.dev/service-config/v1"`, `"schema": "polyglot.dev/service-config/v2"`, "field /schema is polyglot.dev/service-config/v2"},
		{"no format", `"schema": "polyglot.dev/service-config/v1",`, ``, "field /schema is missing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(valid, tc.from, tc.to, 1)
			if bad == valid {
				t.Fatalf("test case did not change the config: %q not found", tc.from)
			}
			_, err := Parse([]byte(bad))
			if err == nil {
				t.Fatal("wrong config accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestLoadNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "service.json")
	if err := os.WriteFile(path, []byte(strings.Replace(valid, `"retries": 1`, `"retries": "one"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || !strings.HasPrefix(err.Error(), "config "+path+": field /calls/0/retries:") {
		t.Fatalf("err = %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Fatalf("missing file: err = %v", err)
	}
	if err := os.WriteFile(path, []byte(valid), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err != nil {
		t.Fatalf("valid file rejected: %v", err)
	}
}

func TestPathHonoursEnv(t *testing.T) {
	t.Setenv("POLYGLOT_CONFIG", "")
	if Path() != DefaultPath {
		t.Errorf("Path() = %q", Path())
	}
	t.Setenv("POLYGLOT_CONFIG", "/tmp/x.json")
	if Path() != "/tmp/x.json" {
		t.Errorf("Path() = %q", Path())
	}
}
