package behaviour

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/sim/population"
)

// Reading truth.ndjson a record at a time makes the population the
// records make at once; a bad line is named.
func TestReadPopulation(t *testing.T) {
	t.Parallel()
	tr := clinicalTruth(t, 200, 3)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range tr {
		if err := enc.Encode(&tr[i]); err != nil {
			t.Fatal(err)
		}
		if i == 10 {
			buf.WriteString("\n  \n") // blank lines are skipped
		}
	}
	read, err := ReadPopulation(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	// The records as decoded: their times come back in fixed zones.
	var decoded []population.TruthRecord
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	for dec.More() {
		var r population.TruthRecord
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		decoded = append(decoded, r)
	}
	want, err := NewPopulation(decoded)
	if err != nil {
		t.Fatal(err)
	}
	if len(read.people) == 0 || len(read.people) >= len(tr) || !reflect.DeepEqual(read, want) {
		t.Fatalf("read %d people and %d addresses, want %d and %d (of %d records, duplicates among them)",
			len(read.people), len(read.byAddr), len(want.people), len(want.byAddr), len(tr))
	}
	for _, c := range []struct{ in, want string }{
		{`{"record_id":"a","person_id":"p","address":{"time_zone":"America/Chicago"}}` + "\n{oops\n", "truth line 2"},
		{`{"record_id":"a","person_id":"p","address":{"time_zone":"Mars/Olympus"}}`, `truth line 1: truth record a: zone "Mars/Olympus"`},
	} {
		if _, err := ReadPopulation(strings.NewReader(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadPopulation(%q): %v, want an error with %q", c.in, err, c.want)
		}
	}
}
