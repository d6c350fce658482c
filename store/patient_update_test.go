package store

import (
	"testing"

	"github.com/rapporthq/rapport"
)

func TestSameIdentifiers(t *testing.T) {
	t.Parallel()
	mrn := func(v, typ string) rapport.Identifier {
		return rapport.Identifier{System: "urn:mrn", Value: v, Type: typ}
	}
	ssn := rapport.Identifier{System: "urn:ssn", Value: "123"}
	for _, c := range []struct {
		name        string
		stored, upd []rapport.Identifier
		same        bool
	}{
		{"none", nil, nil, true},
		{"equal", []rapport.Identifier{mrn("1", "MR"), ssn}, []rapport.Identifier{mrn("1", "MR"), ssn}, true},
		{"another order", []rapport.Identifier{mrn("1", "MR"), ssn}, []rapport.Identifier{ssn, mrn("1", "MR")}, true},
		{"repeated: the first wins", []rapport.Identifier{mrn("1", "MR")}, []rapport.Identifier{mrn("1", "MR"), mrn("1", "")}, true},
		{"repeated: another type first", []rapport.Identifier{mrn("1", "MR")}, []rapport.Identifier{mrn("1", ""), mrn("1", "MR")}, false},
		{"new value", []rapport.Identifier{mrn("1", "MR")}, []rapport.Identifier{mrn("2", "MR")}, false},
		{"new type", []rapport.Identifier{mrn("1", "MR")}, []rapport.Identifier{mrn("1", "")}, false},
		{"one more", []rapport.Identifier{mrn("1", "MR")}, []rapport.Identifier{mrn("1", "MR"), ssn}, false},
		{"one less", []rapport.Identifier{mrn("1", "MR"), ssn}, []rapport.Identifier{ssn}, false},
	} {
		if got := sameIdentifiers(c.stored, c.upd); got != c.same {
			t.Errorf("%s: sameIdentifiers = %v, want %v", c.name, got, c.same)
		}
	}
}
