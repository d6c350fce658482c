package verify

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/ruca"
)

// TestPropertyRurality holds Rurality to its rule for any ZIP-like code,
// any spelling of the US and any earlier state: the code is the table's
// (0 when unlisted); a stated rurality is never changed; an unstated one
// follows the code when the code is known and is left alone otherwise.
func TestPropertyRurality(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		zip := fmt.Sprintf("%05d", rapid.IntRange(0, 99999).Draw(rt, "zip"))
		if rapid.Bool().Draw(rt, "plus4") {
			zip += "-" + fmt.Sprintf("%04d", rapid.IntRange(0, 9999).Draw(rt, "plus4digits"))
		}
		country := rapid.SampledFrom([]string{"US", "USA", "u.s.a.", "United States", ""}).Draw(rt, "country")
		stated, before := rapid.Bool().Draw(rt, "stated"), rapid.Bool().Draw(rt, "rural")
		p := rapport.Patient{RuralStated: stated, Rural: before, RUCA: rapid.IntRange(0, 10).Draw(rt, "stale_ruca"),
			Address: rapport.Address{PostalCode: zip, Country: country}}
		Rurality(&p, "US")

		e, listed := ruca.Lookup(zip)
		want := 0
		if listed {
			want = int(e.Code)
		}
		if p.RUCA != want {
			rt.Fatalf("ZIP %s: RUCA %d, want %d", zip, p.RUCA, want)
		}
		switch {
		case stated && p.Rural != before:
			rt.Fatalf("ZIP %s: a stated rurality (%v) was changed", zip, before)
		case !stated && want != 0 && p.Rural != (want >= 4):
			rt.Fatalf("ZIP %s: RUCA %d but rural %v", zip, want, p.Rural)
		case !stated && want == 0 && p.Rural != before:
			rt.Fatalf("ZIP %s: unknown code changed rurality", zip)
		}
	})
}
