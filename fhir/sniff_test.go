package fhir

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Format{
		"":     {Kind: KindNDJSON},
		"  \n": {Kind: KindNDJSON},
		`{"resourceType":"Encounter","id":"1"}` + "\n" + `{"resourceType":"Encounter"}`: {Kind: KindNDJSON, ResourceType: "Encounter"},
		"\xef\xbb\xbf{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"transaction\"}":  {Kind: KindBundle, ResourceType: "Bundle"},
		// resourceType after a large nested value
		`{"entry":[{"resource":{"resourceType":"Patient"}}],"type":"collection","resourceType":"Bundle"}`: {Kind: KindBundle, ResourceType: "Bundle"},
		`{"id":"x","meta":{"a":[1,{"b":null}]},"resourceType":"Patient"}`:                                 {Kind: KindNDJSON, ResourceType: "Patient"},
	} {
		got, err := Sniff(strings.NewReader(in))
		if err != nil || got != want {
			t.Errorf("Sniff(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{
		`[1]`, `{"exportId":"x","eventId":"kickoff"}`, `{"resourceType":7}`, `{"resourceType":"lower"}`, `{"a":`, `hello`,
	} {
		if got, err := Sniff(strings.NewReader(in)); !errors.Is(err, ErrNotFHIR) {
			t.Errorf("Sniff(%q) = %+v, %v; want ErrNotFHIR", in, got, err)
		}
	}
}

func TestSniffTestdata(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]Format{
		"testdata/synthea-bundle.json": {Kind: KindBundle, ResourceType: "Bundle"},
		"testdata/synthea-bulk.ndjson": {Kind: KindNDJSON, ResourceType: "Patient"},
	} {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Sniff(f)
		f.Close()
		if err != nil || got != want {
			t.Errorf("Sniff(%s) = %+v, %v; want %+v", path, got, err, want)
		}
	}
}

func TestSniffIOError(t *testing.T) {
	t.Parallel()
	_, err := Sniff(&failingReader{strings.NewReader(`{"id":"x",`)})
	if err == nil || errors.Is(err, ErrNotFHIR) || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("Sniff on a failing reader = %v, want the I/O error", err)
	}
}
