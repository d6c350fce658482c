package linkage

import (
	"slices"
	"testing"
)

func TestPrepare(t *testing.T) {
	t.Parallel()
	p := newPreparer()
	got := p.prepare(&Record{
		ID: "x", Given: "  Zoë-Anne ", Family: "Mac Kinder", BirthDate: "1956-04-09", Sex: "Female",
		Street: "12  Canning St.", City: "Leeton", State: "NSW", PostalCode: "SW1A 1AA",
		Phone: "+1 (415) 555-0100", Email: " Zoe@Example.ORG ", Identifiers: []string{"MRN|00-42", "ssn|"},
	})
	// Every field is checked: a buffer reused between fields once left
	// the street holding the postcode's last byte.
	want := prepared{
		given: "zoë anne", family: "mac kinder", birth: "19560409", sex: 'f',
		street: "12 canning st", city: "leeton", state: "nsw", postal: "sw1a1aa",
		phone: "14155550100", email: "zoe@example.org", ids: []string{"mrn|0042"},
		famKey: "MKNT", streetKey: "12canningst",
	}
	if got.given != want.given || got.family != want.family || got.birth != want.birth || got.sex != want.sex ||
		got.street != want.street || got.city != want.city || got.state != want.state || got.postal != want.postal ||
		got.phone != want.phone || got.email != want.email || !slices.Equal(got.ids, want.ids) ||
		got.famKey != want.famKey || got.streetKey != want.streetKey {
		t.Errorf("prepare:\n got %+v\nwant %+v", got, want)
	}
}

func TestPrepareDates(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"1956-04-09": "19560409", "19560409": "19560409", "1956/04/09": "19560409",
		"": "", "1956": "", "09.04.56": "", "19561309": "19561309", // a typo is kept to be compared
	} {
		if got := newPreparer().prepare(&Record{ID: "x", BirthDate: in}).birth; got != want {
			t.Errorf("birth %q: got %q, want %q", in, got, want)
		}
	}
}
