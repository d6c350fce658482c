package demo

import "testing"

func TestSeededIDs(t *testing.T) {
	t.Parallel()
	a, b, other := newSeededIDs(7, 1), newSeededIDs(7, 1), newSeededIDs(8, 1)
	seen := map[string]bool{}
	prev := ""
	for i := range 1000 {
		id := a.next()
		if id != b.next() {
			t.Fatalf("id %d differs between two generators of one seed", i)
		}
		if id == other.next() {
			t.Errorf("id %d is the same for seeds 7 and 8: %s", i, id)
		}
		if seen[id] || id <= prev || len(id) != 36 {
			t.Fatalf("id %d %q: repeated, out of creation order after %q, or not UUID-shaped", i, id, prev)
		}
		seen[id], prev = true, id
	}
	// A clone goes on where its original is, as a copied database needs.
	c := a.clone()
	if x, y := a.next(), c.next(); x != y || seen[x] {
		t.Errorf("clone gave %q, original %q: want the same new id", y, x)
	}
}
