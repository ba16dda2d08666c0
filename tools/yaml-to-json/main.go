// yaml-to-json reads multi-document YAML files the way kubectl does (the document splitter of
// k8s.io/apimachinery and sigs.k8s.io/yaml, which is go-yaml underneath) and prints one JSON
// array of all their documents. The tests use it to prove that what polyglot writes reads back
// the same in Go as in JavaScript: a value that round-trips through npm's yaml but not through
// this reader would make `kubectl apply` reject the whole file.
//
// Usage: yaml-to-json FILE... ("-" reads standard input). Exit 1 names the file and document
// that could not be read.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: yaml-to-json FILE... (- for standard input)")
		os.Exit(2)
	}
	docs := []json.RawMessage{}
	for _, file := range os.Args[1:] {
		read, err := readFile(file)
		if err != nil {
			fmt.Fprintf(os.Stderr, "yaml-to-json: %s: %v\n", file, err)
			os.Exit(1)
		}
		docs = append(docs, read...)
	}
	out, err := json.Marshal(docs)
	if err != nil {
		fmt.Fprintf(os.Stderr, "yaml-to-json: %v\n", err)
		os.Exit(1)
	}
	os.Stdout.Write(append(out, '\n'))
}

func readFile(file string) ([]json.RawMessage, error) {
	var r io.Reader = os.Stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	reader := utilyaml.NewYAMLReader(bufio.NewReader(r))
	var docs []json.RawMessage
	for doc := 1; ; doc++ {
		raw, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", doc, err)
		}
		js, err := yaml.YAMLToJSON(raw)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", doc, err)
		}
		if string(js) == "null" {
			continue // an empty document ("---" alone)
		}
		docs = append(docs, js)
	}
}
