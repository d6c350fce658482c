package fhir

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
)

// readAll collects the items of an NDJSON input.
func readAll(t *testing.T, input string) []Item {
	t.Helper()
	var items []Item
	if err := ReadNDJSON(strings.NewReader(input), "Patient.000.ndjson", func(it Item) error {
		items = append(items, it)
		return nil
	}); err != nil {
		t.Fatalf("ReadNDJSON: %v", err)
	}
	return items
}

func TestReadNDJSONItems(t *testing.T) {
	t.Parallel()
	input := "\xef\xbb\xbf" + `{"resourceType":"Patient","id":"a","name":[{"family":"Ng"}]}` + "\r\n" +
		"\n" +
		`{"id":"o1","resourceType":"Observation","status":"final"}` + "\n" +
		`  {"resourceType":"Patient","id":"abc","birthDate":"19x0"}  ` + "\n" +
		`{"resourceType":"Patient","id":"x",` + "\n" +
		`[1,2]` + "\n" +
		`{"resourceType":"Patient","id":"r","telecom":[{"system":"phone","value":"1","rank":"one"}]}` + "\n" +
		`{"no":"type"}` + "\n" +
		`{"resourceType":"Patient","id":"last"}` // no final newline
	items := readAll(t, input)
	want := []struct {
		line   int
		typ    string
		id     string
		record bool
		err    string
	}{
		{1, "Patient", "a", true, ""},
		{3, "Observation", "o1", false, ""},
		{4, "Patient", "abc", false, `Patient.000.ndjson line 4 (Patient/abc): birthDate: "19x0" is not a FHIR date`},
		{5, "Patient", "", false, "Patient.000.ndjson line 5 (Patient): not valid JSON"},
		{6, "", "", false, "Patient.000.ndjson line 6: got JSON array, want an object"},
		{7, "Patient", "r", false, "Patient.000.ndjson line 7 (Patient/r): telecom.rank: got JSON string, want an integer"},
		{8, "", "", false, "Patient.000.ndjson line 8: resourceType: missing"},
		{9, "Patient", "last", true, ""},
	}
	if len(items) != len(want) {
		t.Fatalf("got %d items, want %d: %+v", len(items), len(want), items)
	}
	for i, w := range want {
		it := items[i]
		if it.Line != w.line || it.ResourceType != w.typ || it.ID != w.id || (it.Record != nil) != w.record {
			t.Errorf("item %d = line %d %s/%s record %v; want line %d %s/%s record %v", i, it.Line, it.ResourceType, it.ID, it.Record != nil, w.line, w.typ, w.id, w.record)
		}
		switch {
		case w.err == "" && it.Err != nil:
			t.Errorf("line %d: unexpected error %v", w.line, it.Err)
		case w.err != "" && (it.Err == nil || !strings.HasPrefix(it.Err.Error(), w.err)):
			t.Errorf("line %d: err = %v, want prefix %q", w.line, it.Err, w.err)
		}
		if it.Err != nil {
			var ie *ItemError
			if !errors.As(it.Err, &ie) || ie.Line != w.line || rapport.ErrorCode(it.Err) != rapport.EINVALID {
				t.Errorf("line %d: error %T is not an *ItemError for its line with code invalid", w.line, it.Err)
			}
		}
	}
	if got := items[0].Where(); got != "Patient.000.ndjson line 1 (Patient/a)" {
		t.Errorf("Where() = %q", got)
	}
}

func TestReadNDJSONLongLine(t *testing.T) {
	// Not parallel: it lowers maxLine.
	defer func(old int) { maxLine = old }(maxLine)
	maxLine = 64
	long := `{"resourceType":"Patient","id":"` + strings.Repeat("x", 5000) + `"}`
	items := readAll(t, long+"\n"+`{"resourceType":"Patient","id":"ok"}`+"\n"+long)
	if len(items) != 3 || items[0].Err == nil || items[1].Err != nil || items[1].ID != "ok" || items[2].Err == nil {
		t.Fatalf("items = %+v", items)
	}
	if !strings.Contains(items[0].Err.Error(), "line 1: line longer than 64 bytes") {
		t.Errorf("err = %v", items[0].Err)
	}
}

func TestReadNDJSONStopsOnCallbackError(t *testing.T) {
	t.Parallel()
	stop := errors.New("stop")
	n := 0
	err := ReadNDJSON(strings.NewReader("{\"resourceType\":\"Patient\"}\n{\"resourceType\":\"Patient\"}\n"), "f", func(Item) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Errorf("err = %v after %d items; want the callback's error after 1", err, n)
	}
}

type failingReader struct{ data io.Reader }

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.data.Read(p)
	if err == io.EOF {
		return n, errors.New("disk on fire")
	}
	return n, err
}

func TestReadNDJSONIOError(t *testing.T) {
	t.Parallel()
	n := 0
	err := ReadNDJSON(&failingReader{strings.NewReader("{\"resourceType\":\"Patient\"}\n")}, "f.ndjson", func(Item) error { n++; return nil })
	if err == nil || !strings.Contains(err.Error(), "read f.ndjson line 2: disk on fire") || n != 1 {
		t.Errorf("err = %v after %d items", err, n)
	}
}
