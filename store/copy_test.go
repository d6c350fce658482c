package store

import (
	"slices"
	"strings"
	"testing"
)

func TestCopyTargetOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		prefix string
		table  string
		cols   []string
	}{
		{"INSERT INTO ledger (patient_id, at, kind) VALUES ", "ledger", []string{"patient_id", "at", "kind"}},
		{"INSERT INTO ledger (patient_id) VALUES", "", nil}, // no space after VALUES: not the form
		{"INSERT INTO (a, b) VALUES ", "", nil},             // no table
		{"UPDATE ledger (a) VALUES ", "", nil},              // not an INSERT
		{"INSERT INTO ledger () VALUES ", "", nil},          // no columns
	} {
		got, err := copyTargetOf(c.prefix)
		if c.table == "" {
			if err == nil {
				t.Errorf("%q: %+v, want an error", c.prefix, got)
			}
			continue
		}
		if err != nil || got.table != c.table || !slices.Equal(got.cols, c.cols) {
			t.Errorf("%q: %+v, %v; want table %s, columns %v", c.prefix, got, err, c.table, c.cols)
		}
	}
	// Every column of a table's list, in order: the messages' 29.
	last := messageCols[strings.LastIndex(messageCols, ", ")+2:]
	got, err := copyTargetOf("INSERT INTO messages (" + messageCols + ") VALUES ")
	if err != nil || got.table != "messages" || len(got.cols) != 29 || got.cols[0] != "id" || got.cols[28] != last {
		t.Errorf("messages: %+v, %v; want its 29 columns", got, err)
	}
}
