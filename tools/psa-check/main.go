// Command psa-check evaluates the pod templates of Kubernetes workload manifests against a Pod
// Security Standard level with the upstream Pod Security Admission evaluator
// (k8s.io/pod-security-admission/policy), the same code the kube-apiserver's PodSecurity admission
// plugin runs. It needs no cluster.
//
// Usage:
//
//	psa-check [--level restricted] [--version latest] FILE...
//
// Every FILE is read as multi-document YAML ("-" reads standard input). For each Deployment,
// StatefulSet, DaemonSet, ReplicaSet (group apps or extensions), Job, CronJob (group batch) and
// Pod (core group) the pod metadata and spec are evaluated; a v1 List is looked into. Other kinds
// are ignored. One line is printed per violation:
//
//	<file>: <Kind>/<namespace>/<name>: <check reason>: <detail>
//
// (namespace "-" when the manifest sets none), then a final line
//
//	psa-check: N workloads checked, M violations
//
// Exit status: 0 when every workload meets the level, 1 when any violates it, 2 on a usage error or
// when a file cannot be read or parsed (parse errors are reported on standard error; the other
// files are still checked).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	"sigs.k8s.io/yaml"
)

const (
	exitOK        = 0
	exitViolation = 1
	exitError     = 2
)

// header is the part of every manifest document needed to decide what it is.
type header struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   metav1.ObjectMeta `json:"metadata"`
	// Items is only set for a List.
	Items []json.RawMessage `json:"items,omitempty"`
}

// workload is one pod spec to evaluate, with the identity of the object it came from.
type workload struct {
	kind, namespace, name string
	podMeta               metav1.ObjectMeta
	podSpec               corev1.PodSpec
}

type checker struct {
	evaluator policy.Evaluator
	lv        api.LevelVersion
	out       io.Writer
	checked   int
	violation int
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("psa-check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	level := fs.String("level", string(api.LevelRestricted), `Pod Security Standard level: "privileged", "baseline" or "restricted"`)
	version := fs.String("version", "latest", `policy version: "latest" or "v1.N"`)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: psa-check [--level restricted] [--version latest] FILE...")
		fmt.Fprintln(stderr, "Checks the pod specs of workload manifests against a Pod Security Standard level.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	lvl, err := api.ParseLevel(*level)
	if err != nil {
		fmt.Fprintf(stderr, "psa-check: invalid --level %q: %v\n", *level, err)
		return exitError
	}
	ver, err := api.ParseVersion(*version)
	if err != nil {
		fmt.Fprintf(stderr, "psa-check: invalid --version %q: %v\n", *version, err)
		return exitError
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitError
	}
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	if err != nil {
		fmt.Fprintf(stderr, "psa-check: cannot build the evaluator: %v\n", err)
		return exitError
	}

	c := &checker{
		evaluator: evaluator,
		lv:        api.LevelVersion{Level: lvl, Version: ver},
		out:       stdout,
	}
	parseErrors := 0
	for _, file := range fs.Args() {
		if err := c.checkFile(file, stdin); err != nil {
			fmt.Fprintf(stderr, "psa-check: %s: %v\n", file, err)
			parseErrors++
		}
	}
	fmt.Fprintf(stdout, "psa-check: %d workloads checked, %d violations\n", c.checked, c.violation)
	switch {
	case parseErrors > 0:
		return exitError
	case c.violation > 0:
		return exitViolation
	default:
		return exitOK
	}
}

// checkFile evaluates every workload in one multi-document YAML file. It stops at the first
// document that cannot be parsed and returns that error.
func (c *checker) checkFile(file string, stdin io.Reader) error {
	var r io.Reader
	if file == "-" {
		r = stdin
	} else {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	reader := utilyaml.NewYAMLReader(bufio.NewReader(r))
	for doc := 1; ; doc++ {
		raw, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("document %d: %w", doc, err)
		}
		workloads, err := decodeDocument(raw)
		if err != nil {
			return fmt.Errorf("document %d: %w", doc, err)
		}
		for i := range workloads {
			c.evaluate(file, &workloads[i])
		}
	}
}

func (c *checker) evaluate(file string, w *workload) {
	c.checked++
	namespace := w.namespace
	if namespace == "" {
		namespace = "-"
	}
	for _, result := range c.evaluator.EvaluatePod(c.lv, &w.podMeta, &w.podSpec) {
		if result.Allowed {
			continue
		}
		c.violation++
		fmt.Fprintf(c.out, "%s: %s/%s/%s: %s: %s\n", file, w.kind, namespace, w.name, result.ForbiddenReason, result.ForbiddenDetail)
	}
}

// decodeDocument returns the workloads found in one YAML document (none for an empty document or
// a kind that is not checked).
func decodeDocument(raw []byte) ([]workload, error) {
	js, err := yaml.YAMLToJSON(raw)
	if err != nil {
		return nil, err
	}
	return decodeObject(js)
}

func decodeObject(js []byte) ([]workload, error) {
	if t := bytes.TrimSpace(js); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return nil, nil // empty document (only comments or "---")
	}
	var h header
	if err := json.Unmarshal(js, &h); err != nil {
		return nil, err
	}
	if h.Kind == "" {
		return nil, errors.New("object has no kind")
	}
	gv, err := schema.ParseGroupVersion(h.APIVersion)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", h.Kind, h.Metadata.Name, err)
	}
	w := workload{kind: h.Kind, namespace: h.Metadata.Namespace, name: h.Metadata.Name}
	if w.name == "" && h.Metadata.GenerateName != "" {
		w.name = h.Metadata.GenerateName + "*"
	}
	var template *corev1.PodTemplateSpec
	var obj any
	switch {
	case gv.Group == "" && h.Kind == "List":
		var all []workload
		for i, item := range h.Items {
			ws, err := decodeObject(item)
			if err != nil {
				return nil, fmt.Errorf("List item %d: %w", i, err)
			}
			all = append(all, ws...)
		}
		return all, nil
	case gv.Group == "" && h.Kind == "Pod":
		obj = &corev1.Pod{}
	case (gv.Group == "apps" || gv.Group == "extensions") && h.Kind == "Deployment":
		o := &appsv1.Deployment{}
		obj, template = o, &o.Spec.Template
	case (gv.Group == "apps" || gv.Group == "extensions") && h.Kind == "StatefulSet":
		o := &appsv1.StatefulSet{}
		obj, template = o, &o.Spec.Template
	case (gv.Group == "apps" || gv.Group == "extensions") && h.Kind == "DaemonSet":
		o := &appsv1.DaemonSet{}
		obj, template = o, &o.Spec.Template
	case (gv.Group == "apps" || gv.Group == "extensions") && h.Kind == "ReplicaSet":
		o := &appsv1.ReplicaSet{}
		obj, template = o, &o.Spec.Template
	case gv.Group == "batch" && h.Kind == "Job":
		o := &batchv1.Job{}
		obj, template = o, &o.Spec.Template
	case gv.Group == "batch" && h.Kind == "CronJob":
		o := &batchv1.CronJob{}
		obj, template = o, &o.Spec.JobTemplate.Spec.Template
	default:
		return nil, nil // not a pod-bearing kind
	}
	if err := json.Unmarshal(js, obj); err != nil {
		return nil, fmt.Errorf("%s %q: %w", h.Kind, w.name, err)
	}
	if pod, ok := obj.(*corev1.Pod); ok {
		w.podMeta, w.podSpec = pod.ObjectMeta, pod.Spec
	} else {
		w.podMeta, w.podSpec = template.ObjectMeta, template.Spec
	}
	return []workload{w}, nil
}
