package rapport_test

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/rapporthq/rapport"
)

func TestStaleness(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	year := rapport.DefaultStaleAfter
	phone := func(st rapport.ContactStatus, added, confirmed time.Time, soft int) rapport.ContactPoint {
		return rapport.ContactPoint{Kind: rapport.ContactPhone, Value: "+15125550100", Status: st, AddedAt: added, ConfirmedAt: confirmed, SoftFailures: soft}
	}
	tests := []struct {
		name  string
		pol   rapport.Staleness
		c     rapport.ContactPoint
		stale bool
	}{
		{"added a day under a year ago", rapport.Staleness{}, phone(rapport.StatusUnverified, now.Add(-year+24*time.Hour), time.Time{}, 0), false},
		{"added a year ago, never answered", rapport.Staleness{}, phone(rapport.StatusUnverified, now.Add(-year), time.Time{}, 0), true},
		{"old but answered last month", rapport.Staleness{}, phone(rapport.StatusValid, now.Add(-3*year), now.Add(-30*24*time.Hour), 0), false},
		{"answered over a year ago", rapport.Staleness{}, phone(rapport.StatusValid, now.Add(-3*year), now.Add(-year-time.Hour), 0), true},
		{"three soft failures make it stale sooner", rapport.Staleness{}, phone(rapport.StatusValid, now.Add(-time.Hour), now.Add(-time.Hour), 3), true},
		{"two soft failures do not", rapport.Staleness{}, phone(rapport.StatusValid, now.Add(-time.Hour), time.Time{}, 2), false},
		{"soft-failure rule off", rapport.Staleness{SoftFailureLimit: -1}, phone(rapport.StatusValid, now.Add(-time.Hour), time.Time{}, 9), false},
		{"a shorter configured age", rapport.Staleness{MaxAge: 90 * 24 * time.Hour}, phone(rapport.StatusValid, now.Add(-91*24*time.Hour), time.Time{}, 0), true},
		{"opted out stays opted out", rapport.Staleness{}, phone(rapport.StatusOptedOut, now.Add(-3*year), time.Time{}, 5), false},
		{"invalid stays invalid", rapport.Staleness{}, phone(rapport.StatusInvalid, now.Add(-3*year), time.Time{}, 0), false},
		{"already stale", rapport.Staleness{}, phone(rapport.StatusStale, now.Add(-3*year), time.Time{}, 0), false},
		{"no date known", rapport.Staleness{}, phone(rapport.StatusUnverified, time.Time{}, time.Time{}, 0), false},
		{"postal addresses are never answered", rapport.Staleness{}, rapport.ContactPoint{Kind: rapport.ContactPostal, Status: rapport.StatusUnverified, AddedAt: now.Add(-3 * year)}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stale, why := tc.pol.Stale(&tc.c, now)
			if stale != tc.stale || (stale && why == "") {
				t.Errorf("Stale = %v (%q), want %v with evidence", stale, why, tc.stale)
			}
		})
	}
}

// TestConfirmProperties: whatever the order of answers and soft failures,
// confirmation never moves backwards, an opted-out contact point is never
// turned valid, and any other becomes valid once answered.
func TestConfirmProperties(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	statuses := []rapport.ContactStatus{rapport.StatusUnverified, rapport.StatusValid, rapport.StatusInvalid,
		rapport.StatusUnreachable, rapport.StatusStale, rapport.StatusOptedOut}
	rapid.Check(t, func(t *rapid.T) {
		st := rapid.SampledFrom(statuses).Draw(t, "status")
		c := rapport.ContactPoint{Kind: rapport.ContactPhone, Value: "+15125550100", Status: st}
		answered := false
		for i := range rapid.IntRange(1, 20).Draw(t, "steps") {
			at := base.Add(time.Duration(rapid.IntRange(0, 1000).Draw(t, "hour")) * time.Hour)
			before := c.ConfirmedAt
			if rapid.Bool().Draw(t, "answer") {
				c.Confirm(at)
				answered = true
			} else {
				c.SoftFail(at)
			}
			if c.ConfirmedAt.Before(before) {
				t.Fatalf("step %d: confirmation moved back from %v to %v", i, before, c.ConfirmedAt)
			}
			if st == rapport.StatusOptedOut && c.Status != rapport.StatusOptedOut {
				t.Fatalf("step %d: an opted-out contact point became %s", i, c.Status)
			}
			if answered && st != rapport.StatusOptedOut && c.Status != rapport.StatusValid {
				t.Fatalf("step %d: answered but %s", i, c.Status)
			}
		}
	})
}
