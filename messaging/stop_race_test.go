package messaging_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport/store"
)

// Two STOPs from one shared number, processed by two workers at once, opt
// the number's patients out once and confirm once: the second waits for
// the first and finds nothing left to do.
func TestConcurrentStopsConfirmOnce(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		if h.db.Dialect() != store.Postgres {
			t.Skip("SQLite has one writer at a time: no two STOPs can be processed at once")
		}
		const family = "+15125550170"
		h.patient("en", mobile(family))
		h.patient("en", mobile(family))
		first, second := h.storeInbound(family, "STOP"), h.storeInbound(family, "STOP")

		tx1, err := h.db.Begin(h.ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx1.Rollback(h.ctx) // a no-op once committed; frees the second on failure
		if err := h.p.ProcessInTx(h.ctx, tx1, first.ID); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			done <- h.db.InTx(h.ctx, func(tx *store.Tx) error { return h.p.ProcessInTx(h.ctx, tx, second.ID) })
		}()
		// Let the second reach the point where it waits (or, without the
		// lock, finish) before the first commits.
		deadline := time.Now().Add(30 * time.Second)
		for waiting := 0; waiting == 0 && len(done) == 0; {
			if time.Now().After(deadline) {
				t.Fatal("the second STOP neither waited for the first nor finished")
			}
			if err := h.db.SQLDB().QueryRowContext(h.ctx, "SELECT count(*) FROM pg_locks WHERE NOT granted").Scan(&waiting); err != nil {
				t.Fatal(err)
			}
			time.Sleep(5 * time.Millisecond) // polling a condition, not waiting for time to pass
		}
		if err := tx1.Commit(h.ctx); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		h.idle()
		confirmations := 0
		for _, m := range h.sim.Sent() {
			if m.To == family && strings.Contains(m.Body, "unsubscribed") {
				confirmations++
			}
		}
		if confirmations != 1 {
			t.Errorf("%d STOP confirmations to the shared number, want 1", confirmations)
		}
	})
}
