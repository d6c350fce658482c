package csvtable

import (
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	tests := []struct {
		name, text string
		rows       int
		err        string
	}{
		{"comments and rows", "# a note\na,b\n1,2\n# another\n3,4\n", 2, ""},
		{"header only", "a,b\n", 0, ""},
		{"wrong header", "b,a\n1,2\n", 0, "table: want the header a,b"},
		{"empty", "# nothing\n", 0, "table: want the header a,b"},
		{"ragged row", "a,b\n1,2,3\n", 0, "table: record on line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := Read("table", tt.text, "a,b")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil || len(rows) != tt.rows {
				t.Fatalf("%d rows, %v; want %d", len(rows), err, tt.rows)
			}
		})
	}
}
