package linkage

import (
	"slices"
	"testing"
)

func TestDateLevel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want Level
	}{
		{"19560409", "19560409", Exact},
		{"19560409", "19560904", Close},   // day and month transposed
		{"19560409", "19560408", Close},   // one digit off
		{"19560409", "19650409", Close},   // neighbouring digits swapped
		{"19560409", "19560422", Partial}, // same year and month
		{"19560409", "19570510", Different},
		{"19560409", "", Missing},
		{"", "", Missing},
	} {
		if got := dateLevel(tc.a, tc.b); got != tc.want {
			t.Errorf("dateLevel(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestNameLevel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want Level
	}{
		{"kowalczyk", "kowalczyk", Exact},
		{"kowalczyk", "kowalcyzk", Close}, // one transposed letter
		{"jon", "john", Partial},
		{"j", "john", Partial}, // an initial
		{"mary", "robert", Different},
		{"", "mary", Missing},
	} {
		if got := nameLevel(tc.a, tc.b); got != tc.want {
			t.Errorf("nameLevel(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestCodeAndIdentifierLevels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want Level
	}{
		{"14155550100", "14155550100", Exact},
		{"14155550100", "14155550101", Close},
		{"14155550100", "14155551000", Close}, // neighbouring digits swapped
		{"14155550100", "14155559999", Different},
		{"53220", "53202", Close},
		{"53220", "5322", Close}, // a dropped digit
		{"53220", "", Missing},
	} {
		if got := codeLevel(tc.a, tc.b); got != tc.want {
			t.Errorf("codeLevel(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	for _, tc := range []struct {
		a, b []string
		want Level
	}{
		{[]string{"mrn|42", "ssn|123"}, []string{"ssn|123"}, Exact},
		{[]string{"ssn|1234567"}, []string{"ssn|1243567"}, Close},
		{[]string{"ssn|1234567"}, []string{"ssn|7654321"}, Different},
		{[]string{"mrn|42"}, []string{"ssn|42"}, Missing}, // no system in common
		{nil, []string{"ssn|42"}, Missing},
	} {
		if got := idLevel(tc.a, tc.b); got != tc.want {
			t.Errorf("idLevel(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestEmailLevel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want Level
	}{
		{"ana@example.org", "ana@example.org", Exact},
		{"ana@example.org", "ana@exmaple.org", Close},
		{"ana@example.org", "ana@work.example", Close}, // one person, two providers
		{"ana@example.org", "bob@example.org", Different},
	} {
		if got := emailLevel(tc.a, tc.b); got != tc.want {
			t.Errorf("emailLevel(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestSwappedNamesArePartial(t *testing.T) {
	t.Parallel()
	a := prepared{given: "anika", family: "spicer"}
	b := prepared{given: "spicer", family: "anika"}
	v := compare(&a, &b)
	if v.at(FieldGiven) != Partial || v.at(FieldFamily) != Partial {
		t.Errorf("swapped names: given %v, family %v; want partial, partial", v.at(FieldGiven), v.at(FieldFamily))
	}
}

func TestGroups(t *testing.T) {
	t.Parallel()
	pairs := []Pair{
		{A: "c", B: "d", Probability: 0.9},
		{A: "a", B: "b", Probability: 0.99},
		{A: "b", B: "c", Probability: 0.95}, // joins a-b and c-d
		{A: "x", B: "y", Probability: 0.2},  // below the threshold
		{A: "e", B: "f", Probability: 0.6},
	}
	got := Groups(pairs, 0.5)
	want := [][]string{{"a", "b", "c", "d"}, {"e", "f"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("Groups = %v, want %v", got, want)
	}
	slices.Reverse(pairs)
	if again := Groups(pairs, 0.5); !slices.EqualFunc(again, want, slices.Equal) {
		t.Errorf("Groups depends on pair order: %v", again)
	}
}
