package storetest

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// testTriggerEvents checks the pages the journey triggers read: events of
// the asked kinds after the cursor and old enough, in ledger order, the
// kinds interleaved, at most the limit.
func testTriggerEvents(t *testing.T, s suite) {
	// seq 1..9 at Start; the last one an hour later.
	kinds := []rapport.EventKind{"record.created", "message.sent", "contact.status_changed", "record.updated", "record.created",
		"message.sent", "record.updated", "contact.status_changed", "record.created"}
	evs := make([]rapport.Event, len(kinds))
	for i, k := range kinds {
		evs[i] = rapport.Event{PatientID: "p1", Kind: k}
	}
	evs[len(evs)-1].At = Start.Add(time.Hour)
	s.tx(t, func(tx *store.Tx) error { return tx.AppendEvents(s.ctx, evs...) })
	all, err := s.db.FindEvents(s.ctx, rapport.EventFilter{})
	if err != nil || len(all) != len(kinds) {
		t.Fatalf("events = %d (%v)", len(all), err)
	}
	seq := func(i int) int64 { return all[i].Seq } // i-th appended event
	wanted := []rapport.EventKind{"record.created", "record.updated", "contact.status_changed"}
	cases := []struct {
		name  string
		after int64
		until time.Time
		limit int
		want  []int // indexes into kinds
	}{
		{"every kind, in ledger order", 0, Start, 10, []int{0, 2, 3, 4, 6, 7}},
		{"from the cursor", seq(3), Start, 10, []int{4, 6, 7}},
		{"at most the limit, the earliest", 0, Start, 3, []int{0, 2, 3}},
		{"a page after a page", seq(3), Start, 2, []int{4, 6}},
		{"a kind that fills the page yields to earlier events of others", 0, Start, 2, []int{0, 2}},
		{"not newer than until", seq(7), Start, 10, nil},
		{"until later", seq(7), Start.Add(time.Hour), 10, []int{8}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []rapport.Event
			s.tx(t, func(tx *store.Tx) error {
				var err error
				got, err = tx.TriggerEvents(s.ctx, c.after, wanted, c.until, c.limit)
				return err
			})
			if len(got) != len(c.want) {
				t.Fatalf("got %d events %+v, want %d", len(got), got, len(c.want))
			}
			for i, w := range c.want {
				if got[i].Seq != seq(w) || got[i].Kind != kinds[w] || got[i].PatientID != "p1" {
					t.Errorf("event %d = seq %d %s, want seq %d %s", i, got[i].Seq, got[i].Kind, seq(w), kinds[w])
				}
			}
		})
	}
}
