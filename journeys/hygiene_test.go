package journeys_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/hygiene"
	"github.com/rapporthq/rapport/store"
)

// staleContacts marks the given contact points stale, as the staleness
// rule does, through SetContactStatus.
type staleContacts struct {
	db  *store.DB
	ids []string
}

func (s staleContacts) MarkStale(ctx context.Context, _ time.Time) (int, error) {
	return len(s.ids), s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, id := range s.ids {
			if err := tx.SetContactStatus(ctx, id, rapport.StatusStale, "not confirmed for 180 days"); err != nil {
				return err
			}
		}
		return nil
	})
}

// TestHygieneRunEnrollsStale: a contact the monthly run marks stale is
// asked about through contact-reverify; a patient whose contacts are fine
// is left alone.
func TestHygieneRunEnrollsStale(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		if err := h.e.StartTriggers(h.ctx); err != nil {
			t.Fatal(err)
		}
		ana := h.patient("Ana", "en", mobile("+15122345601"))
		beto := h.patient("Beto", "en", mobile("+15122345602"))
		deps := hygiene.Deps{DB: h.db, Staleness: staleContacts{db: h.db, ids: []string{ana.Contacts[0].ID}}}
		r, err := hygiene.Run(h.ctx, deps, h.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if r.MarkedStale != 1 || r.Validation.Invalidated != 0 {
			t.Fatalf("run: %d stale, %d invalidated", r.MarkedStale, r.Validation.Invalidated)
		}
		h.advance(10 * time.Minute)
		if ens := h.enrollments(ana, "contact-reverify"); len(ens) != 1 {
			t.Errorf("Ana enrolled %d times in contact-reverify, want 1", len(ens))
		}
		if got := h.lastSent("+15122345601").Body; got != "Hi, this is Valley Clinic. Is this still the best number to reach Ana? Reply 1 yes, 2 no. If not, feel free to send us the new number." {
			t.Errorf("Ana's question: %q", got)
		}
		if ens := h.enrollments(beto, "contact-reverify"); len(ens) != 0 {
			t.Errorf("Beto enrolled %d times", len(ens))
		}
	})
}
