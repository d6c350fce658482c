package fhir

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Kind is the layout of a FHIR JSON file.
type Kind string

const (
	// KindNDJSON is FHIR Bulk Data NDJSON: one resource per line.
	KindNDJSON Kind = "ndjson"
	// KindBundle is one Bundle resource.
	KindBundle Kind = "bundle"
)

// Format is what [Sniff] tells of a file.
type Format struct {
	Kind Kind
	// ResourceType is the type of the file's first resource ("Bundle" for
	// a bundle; for NDJSON, the first line's type, which bulk exports share
	// by all lines of a file). Empty for an empty file.
	ResourceType string
}

// ErrNotFHIR is wrapped by [Sniff]'s errors for input that is not FHIR
// JSON, such as the log.ndjson that some bulk export clients write beside
// the resource files: importers may skip such files.
var ErrNotFHIR = errors.New("not FHIR JSON")

// Sniff reads the start of r and tells a Bundle file from NDJSON: a file
// whose first JSON object is a Bundle is a bundle (an NDJSON file of
// Bundles is taken for one, which bulk exports never write); any other
// resource starts an NDJSON file. An empty file is empty NDJSON. It reads
// no further than the first object's resourceType, but consumes r: read the
// file again from its start. Input that does not start with a JSON object
// carrying a resourceType is an error.
func Sniff(r io.Reader) (Format, error) {
	er := &errReader{r: r}
	br := bufio.NewReader(er)
	if bom, err := br.Peek(3); err == nil && string(bom) == string(utf8BOM) {
		br.Discard(3)
	}
	dec := json.NewDecoder(br)
	dec.UseNumber()
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return Format{Kind: KindNDJSON}, nil
	}
	if err != nil {
		return Format{}, sniffError(er, err)
	}
	if tok != json.Delim('{') {
		return Format{}, fmt.Errorf("%w: starts with %v, not an object", ErrNotFHIR, tok)
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return Format{}, sniffError(er, err)
		}
		if key == "resourceType" {
			v, err := dec.Token()
			typ, ok := v.(string)
			if err != nil || !isTypeName(typ) || !ok {
				return Format{}, fmt.Errorf("%w: resourceType %v is not a resource type", ErrNotFHIR, v)
			}
			if typ == "Bundle" {
				return Format{Kind: KindBundle, ResourceType: typ}, nil
			}
			return Format{Kind: KindNDJSON, ResourceType: typ}, nil
		}
		if err := skipValue(dec); err != nil {
			return Format{}, sniffError(er, err)
		}
	}
	return Format{}, fmt.Errorf("%w: the first object has no resourceType", ErrNotFHIR)
}

// skipValue reads one JSON value token by token, without buffering it.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// errReader remembers the first error of r other than io.EOF.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// sniffError tells an I/O error from malformed input (ErrNotFHIR).
func sniffError(er *errReader, err error) error {
	if er.err != nil {
		return fmt.Errorf("sniff: %w", er.err)
	}
	return fmt.Errorf("%w: %w", ErrNotFHIR, err)
}
