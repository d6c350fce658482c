package importer

import (
	"fmt"
	"testing"

	"github.com/rapporthq/rapport"
)

// TestWritten: what was added is found, what was not is not (the hashes are
// 64 bits: a false match among a few thousand keys would be a broken hash),
// through the table's growth, and ids and identifiers do not mix.
func TestWritten(t *testing.T) {
	t.Parallel()
	w := newWritten()
	const n = 5000
	for i := range n {
		w.addID(fmt.Sprintf("p%d", i))
		w.addIdent(rapport.Identifier{System: "urn:mrn", Value: fmt.Sprint(i)})
	}
	for i := range n {
		if !w.anyID([]string{"nope", fmt.Sprintf("p%d", i)}) {
			t.Fatalf("id p%d not found", i)
		}
		if !w.anyIdent([]rapport.Identifier{{System: "urn:mrn", Value: fmt.Sprint(i)}}) {
			t.Fatalf("identifier %d not found", i)
		}
		if w.anyID([]string{fmt.Sprintf("q%d", i), fmt.Sprint(i)}) {
			t.Fatalf("id q%d or %d found, never added as an id", i, i)
		}
		if w.anyIdent([]rapport.Identifier{{System: "urn:ssn", Value: fmt.Sprint(i)}, {System: "urn:mrn", Value: fmt.Sprintf("p%d", i)}}) {
			t.Fatalf("identifier urn:ssn|%d found, never added", i)
		}
	}
	var s hashSet
	for _, h := range []uint64{0, 1, 1 << 63} {
		s.add(h)
		s.add(h)
	}
	if !s.has(0) || !s.has(1) || !s.has(1<<63) || s.has(2) || s.n != 2 {
		t.Errorf("set with 0, 1 and 1<<63: n = %d", s.n) // 0 and 1 share a slot: a harmless false match
	}
}
