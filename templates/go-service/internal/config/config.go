// Package config loads the service config that synth writes for every container
// (polyglot.dev/service-config/v1) and validates it against the JSON Schema
// embedded at build time, so a bad config stops the service at start-up with one
// message naming the file and the field instead of failing later on a request.
//
// Everything the model may change without a re-render lives here: deadlines,
// per-call timeouts and retries, the backoff, call targets, subjects and the NATS
// user. Nothing of it is compiled into the service.
package config

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// DefaultPath is where the manifest mounts the config; $POLYGLOT_CONFIG overrides it.
const DefaultPath = "/etc/polyglot/service.json"

// SchemaID is the format this reader understands (the config's "schema" field).
const SchemaID = "polyglot.dev/service-config/v1"

//go:embed service-config.v1.json
var schemaJSON []byte

// Config is the typed view of the config; field names follow the JSON keys.
type Config struct {
	Schema     string      `json:"schema"`
	System     string      `json:"system"`
	Domain     string      `json:"domain"`
	Service    string      `json:"service"`
	Runtime    string      `json:"runtime"`
	Version    string      `json:"version"`
	Deadline   string      `json:"deadline"`
	DeadlineMs int64       `json:"deadlineMs"`
	Backoff    Backoff     `json:"backoff"`
	Ports      Ports       `json:"ports"`
	Serves     []Serve     `json:"serves"`
	Calls      []Call      `json:"calls"`
	Publishes  []Publish   `json:"publishes"`
	Subscribes []Subscribe `json:"subscribes"`
	// NATS is present only when the service publishes or subscribes.
	NATS *NATS `json:"nats,omitempty"`
}

// Backoff is the system's retry backoff: retry k of any call waits up to
// min(initial × multiplier^(k-1), max).
type Backoff struct {
	Initial    string  `json:"initial"`
	InitialMs  int64   `json:"initialMs"`
	Max        string  `json:"max"`
	MaxMs      int64   `json:"maxMs"`
	Multiplier float64 `json:"multiplier"`
}

// Ports the runtime profile opens.
type Ports struct {
	GRPC      int `json:"grpc,omitempty"`
	HTTP      int `json:"http"`
	Websocket int `json:"websocket,omitempty"`
}

// Serve is a gRPC contract this service implements.
type Serve struct {
	Contract    string `json:"contract"`
	GRPCService string `json:"grpcService"`
	Proto       string `json:"proto"`
}

// Call is a gRPC contract this service calls, with the policy synth checked.
type Call struct {
	Contract    string `json:"contract"`
	GRPCService string `json:"grpcService"`
	Target      string `json:"target"`
	Timeout     string `json:"timeout"`
	TimeoutMs   int64  `json:"timeoutMs"`
	Retries     int    `json:"retries"`
}

// Publish is an event this service publishes.
type Publish struct {
	Event   string `json:"event"`
	Subject string `json:"subject"`
	Version int    `json:"version"`
	Stream  string `json:"stream,omitempty"`
}

// Subscribe is an event this service consumes.
type Subscribe struct {
	Event   string `json:"event"`
	Subject string `json:"subject"`
	Version int    `json:"version"`
	// Delivery is which replicas get each message: "queue" (also when empty), "broadcast" or "pod".
	Delivery   string `json:"delivery,omitempty"`
	QueueGroup string `json:"queueGroup,omitempty"`
	Durable    bool   `json:"durable"`
	Stream     string `json:"stream,omitempty"`
	Consumer   string `json:"consumer,omitempty"`
	// Replay is where each pod's ordered consumer starts ("new" or "all"), for broadcast of a stream.
	Replay string `json:"replay,omitempty"`
	// PodSubject is the subject with {pod} to replace by this pod's name, for pod delivery.
	PodSubject string `json:"podSubject,omitempty"`
}

// NATS is the service's own NATS identity.
type NATS struct {
	URL         string `json:"url"`
	User        string `json:"user"`
	PasswordEnv string `json:"passwordEnv"`
	InboxPrefix string `json:"inboxPrefix"`
}

// DeadlineDuration is the server-side limit of every incoming RPC.
func (c *Config) DeadlineDuration() time.Duration { return ms(c.DeadlineMs) }

// Call returns the calls[] entry of a contract, or an error naming it.
func (c *Config) Call(contract string) (Call, error) {
	for _, call := range c.Calls {
		if call.Contract == contract {
			return call, nil
		}
	}
	return Call{}, fmt.Errorf("config has no calls[] entry for contract %q, which this service calls", contract)
}

// TimeoutDuration is the per-try timeout of the call (0: no per-try limit).
func (c Call) TimeoutDuration() time.Duration { return ms(c.TimeoutMs) }

// InitialDuration is the wait before the first retry.
func (b Backoff) InitialDuration() time.Duration { return ms(b.InitialMs) }

// MaxDuration caps every wait.
func (b Backoff) MaxDuration() time.Duration { return ms(b.MaxMs) }

func ms(n int64) time.Duration { return time.Duration(n) * time.Millisecond }

// Path is the config file to read: $POLYGLOT_CONFIG, else DefaultPath.
func Path() string {
	if p := os.Getenv("POLYGLOT_CONFIG"); p != "" {
		return p
	}
	return DefaultPath
}

// Load reads, validates and decodes the config file at path. Every error names the
// file; a schema violation also names the field (as a JSON pointer, e.g.
// /calls/0/timeoutMs).
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	cfg, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// Parse validates data against the embedded schema and decodes it.
func Parse(data []byte) (*Config, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	// Readers check the format version first, so an old or new format gets a clear
	// message rather than a list of schema errors.
	if obj, ok := doc.(map[string]any); ok {
		switch id, present := obj["schema"]; {
		case !present:
			return nil, fmt.Errorf("field /schema is missing: this service reads %q", SchemaID)
		case id != SchemaID:
			return nil, fmt.Errorf("field /schema is %v, this service reads %q", id, SchemaID)
		}
	}
	if err := compiledSchema().Validate(doc); err != nil {
		var verr *jsonschema.ValidationError
		if errors.As(err, &verr) {
			return nil, describe(verr)
		}
		return nil, err
	}
	var cfg Config
	// The schema already rejects unknown fields; DisallowUnknownFields keeps the
	// Go struct honest if the schema gains a field this code does not know yet.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("does not match this service's config struct: %w", err)
	}
	return &cfg, nil
}

// compiledSchema compiles the embedded schema once. It is part of the binary, so a
// failure is a build defect, not a config problem: panic.
var compiledSchema = sync.OnceValue(func() *jsonschema.Schema {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		panic(fmt.Sprintf("embedded service config schema: %v", err))
	}
	const url = "service-config.v1.json"
	c := jsonschema.NewCompiler()
	if err := c.AddResource(url, doc); err != nil {
		panic(fmt.Sprintf("embedded service config schema: %v", err))
	}
	return c.MustCompile(url)
})

var printer = message.NewPrinter(language.English)

// describe turns the schema validator's error tree into one line per bad field,
// each naming the field as a JSON pointer.
func describe(verr *jsonschema.ValidationError) error {
	var lines []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		lines = append(lines, fmt.Sprintf("field %s: %s", pointer(e), e.ErrorKind.LocalizedString(printer)))
	}
	walk(verr)
	sort.Strings(lines)
	return errors.New(strings.Join(lines, "; "))
}

// pointer is the JSON pointer of the offending field; for a missing or unknown
// property it points at that property rather than at its parent object.
func pointer(e *jsonschema.ValidationError) string {
	loc := e.InstanceLocation
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		if len(k.Missing) > 0 {
			loc = append(append([]string{}, loc...), k.Missing[0])
		}
	case *kind.AdditionalProperties:
		if len(k.Properties) > 0 {
			loc = append(append([]string{}, loc...), k.Properties[0])
		}
	}
	if len(loc) == 0 {
		return "/"
	}
	escaped := make([]string, len(loc))
	for i, token := range loc {
		escaped[i] = strings.NewReplacer("~", "~0", "/", "~1").Replace(token)
	}
	return "/" + strings.Join(escaped, "/")
}
