package messaging_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"pgregory.net/rapid"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/duplicates"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// TestPropertyStepOncePerAddress: whatever duplicates exist — records
// sharing a phone, some merged into others — and however a campaign's
// steps are split into SendMany batches (repeats included), no address
// receives the same campaign step twice; and every step asked for an
// address whose record was not merged away does reach it once.
func TestPropertyStepOncePerAddress(t *testing.T) {
	t.Parallel()
	fewerChecks()
	h := setup(t, store.SQLite)
	check := 0
	rapid.Check(t, func(rt *rapid.T) {
		check++
		campaign := fmt.Sprintf("c%d", check)
		phones := make([]string, rapid.IntRange(1, 3).Draw(rt, "addresses"))
		for i := range phones {
			phones[i] = freshNumber()
		}
		var pts []*rapport.Patient
		for i := range rapid.IntRange(1, 6).Draw(rt, "records") {
			_ = i
			pts = append(pts, h.patient("en", mobile(phones[rapid.IntRange(0, len(phones)-1).Draw(rt, "phone")])))
		}
		merged := map[rapport.PatientID]bool{}
		for range rapid.IntRange(0, 2).Draw(rt, "merges") {
			a, b := rapid.IntRange(0, len(pts)-1).Draw(rt, "survivor"), rapid.IntRange(0, len(pts)-1).Draw(rt, "merged")
			err := h.db.InTx(h.ctx, func(tx *store.Tx) error { _, err := duplicates.Merge(h.ctx, tx, pts[a].ID, pts[b].ID, "p"); return err })
			if err == nil {
				merged[pts[b].ID] = true
			} else if c := rapport.ErrorCode(err); c != rapport.ECONFLICT && c != rapport.EINVALID {
				rt.Fatal(err)
			}
		}
		type want struct{ step, to string }
		asked := map[want]bool{}
		for range rapid.IntRange(1, 4).Draw(rt, "batches") {
			var reqs []messaging.Request
			for range rapid.IntRange(1, 5).Draw(rt, "requests") {
				p := pts[rapid.IntRange(0, len(pts)-1).Draw(rt, "patient")]
				step := rapid.SampledFrom([]string{"offer", "retry"}).Draw(rt, "step")
				reqs = append(reqs, messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Channels: []rapport.Channel{rapport.ChannelSMS},
					Content: en(campaign + " " + step), Campaign: campaign, Journey: "j", Step: step})
				if !merged[p.ID] {
					asked[want{step, p.Contacts[0].Value}] = true
				}
			}
			h.tx(func(tx *store.Tx) error { _, err := h.p.SendMany(h.ctx, tx, reqs); return err })
		}
		h.idle()
		got := map[want]int{}
		for _, m := range h.sim.Sent() {
			var c, step string
			if _, err := fmt.Sscan(m.Body, &c, &step); err == nil && c == campaign {
				got[want{step, m.To}]++
			}
		}
		for k, n := range got {
			if n > 1 {
				rt.Fatalf("%s got step %s %d times", k.to, k.step, n)
			}
		}
		for k := range asked {
			if got[k] != 1 {
				rt.Fatalf("%s asked for step %s but got it %d times", k.to, k.step, got[k])
			}
		}
	})
}

// TestStepOnceAcrossWorkers: two transactions planning the same step for
// two records with one phone at once (two worker processes) queue one
// message: the step's key is unique in the database, and the loser, retried
// as its job would be, sees the step taken.
func TestStepOnceAcrossWorkers(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		phone := freshNumber()
		a, b := h.patient("en", mobile(phone)), h.patient("en", mobile(phone))
		var wg sync.WaitGroup
		for _, p := range []*rapport.Patient{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req := messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Content: en("offer"), Campaign: "c", Journey: "j", Step: "offer"}
				var err error
				for range 5 { // a job's retries
					if err = h.db.InTx(h.ctx, func(tx *store.Tx) error { _, err := h.p.Send(h.ctx, tx, req); return err }); err == nil {
						return
					}
				}
				t.Error(errors.Join(errors.New("send never committed"), err))
			}()
		}
		wg.Wait()
		h.idle()
		going, held := 0, 0
		for _, p := range []*rapport.Patient{a, b} {
			ms, err := h.db.FindPatientMessages(h.ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.StatusReason == rapport.DuplicateAddressReason {
					held++
				} else if m.Status != rapport.MessageSuppressed {
					going++
				}
			}
		}
		if going != 1 || held != 1 || len(h.sim.Sent()) != 1 {
			t.Errorf("%d messages going, %d held back as duplicates, %d sent; want 1, 1, 1", going, held, len(h.sim.Sent()))
		}
	})
}
