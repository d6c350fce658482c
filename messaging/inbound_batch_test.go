package messaging_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// replyLog is a reply handler that notes the bodies of the replies it
// takes, in order. It fails those in fail, after writing an inbox item
// that the failure must undo.
type replyLog struct {
	got  []string
	fail map[string]bool
}

func (r *replyLog) HandleReply(ctx context.Context, tx *store.Tx, in *rapport.Inbound, to *rapport.Message) (bool, error) {
	if r.fail[in.Body] {
		if err := tx.CreateInboxItem(ctx, &rapport.InboxItem{PatientID: in.PatientID, Kind: rapport.InboxReply, Priority: rapport.PriorityNormal,
			InboundID: in.ID, Summary: "written before the failure"}); err != nil {
			return false, err
		}
		return false, errors.New("the handler failed")
	}
	r.got = append(r.got, in.Body)
	return true, nil
}

// batchHarness is a harness whose queue does not work jobs: the test
// works each processing job itself and sees what its batch did.
type batchHarness struct {
	*harness
	log *replyLog
	ids map[string]string // inbound id by body
}

func setupBatch(t *testing.T, d store.Dialect) *batchHarness {
	t.Helper()
	w := testworld.New(t, d, testworld.Options{Clock: rapport.NewManualClock(start), Held: true})
	h := &batchHarness{harness: &harness{t: t, ctx: w.Ctx, db: w.DB, clock: w.Clock, q: w.Queue, p: w.Pipeline, sim: w.Sim},
		log: &replyLog{fail: map[string]bool{}}, ids: map[string]string{}}
	h.p.Replies = h.log
	return h
}

// asked makes a patient with the phone and stores a sent question to it,
// which the patient's replies answer.
func (h *batchHarness) asked(phone string) {
	h.t.Helper()
	pt := h.patient("en", mobile(phone))
	m := &rapport.Message{PatientID: pt.ID, ContactID: pt.Contacts[0].ID, Channel: rapport.ChannelSMS, To: phone, Purpose: rapport.PurposeOutreach,
		Body: "Shall we book you in?", Status: rapport.MessageSent, SentAt: h.clock.Now(), Deadline: h.clock.Now().Add(time.Hour)}
	h.tx(func(tx *store.Tx) error { return tx.CreateMessages(h.ctx, []*rapport.Message{m}) })
}

// receive stores replies as a webhook does, a minute apart, each with its
// processing job; their ids sort against the order they came in, so only
// the time of receipt can give the order.
func (h *batchHarness) receive(replies ...[2]string) {
	h.t.Helper()
	for _, r := range replies {
		h.clock.Advance(time.Minute)
		id := "in-" + string(rune('z'-len(h.ids)))
		in := &rapport.Inbound{ID: id, Channel: rapport.ChannelSMS, From: r[0], To: ourNumber, Body: r[1]}
		if _, err := h.p.Receive(h.ctx, in); err != nil {
			h.t.Fatal(err)
		}
		h.ids[r[1]] = id
	}
}

// work runs the processing job of the reply with the body.
func (h *batchHarness) work(body string) error {
	job := &river.Job[messaging.ProcessArgs]{JobRow: &rivertype.JobRow{}, Args: messaging.ProcessArgs{InboundID: h.ids[body]}}
	return messaging.NewProcessWorker(h.p).Work(h.ctx, job)
}

func (h *batchHarness) status(body string) rapport.InboundStatus {
	return h.inbound(h.ids[body]).Status
}

// waitingJobs counts the jobs due and not yet worked (the held queue
// works none: a job the test worked itself still waits).
func (h *batchHarness) waitingJobs() int {
	h.t.Helper()
	n, err := h.q.Unfinished(h.ctx, func(int64, int) bool { return true })
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

const (
	phoneA = "+15125550101"
	phoneB = "+15125550102"
)

func TestInboundBatchInOrder(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			h := setupBatch(t, d)
			h.asked(phoneA)
			h.asked(phoneB)
			h.receive([2]string{phoneA, "one"}, [2]string{phoneB, "b"}, [2]string{phoneA, "two"}, [2]string{phoneA, "three"})
			if n := h.waitingJobs(); n != 4 {
				t.Fatalf("%d jobs wait before any work, want one a reply", n)
			}
			// The last reply's job takes every pending reply, oldest first.
			if err := h.work("three"); err != nil {
				t.Fatal(err)
			}
			if want := []string{"one", "b", "two", "three"}; !slices.Equal(h.log.got, want) {
				t.Errorf("replies handled in the order %q, want %q", h.log.got, want)
			}
			for body := range h.ids {
				if s := h.status(body); s != rapport.InboundProcessed {
					t.Errorf("reply %q is %s, want processed", body, s)
				}
				if n := h.received(h.ids[body]); n != 1 {
					t.Errorf("reply %q has %d message.received events, want 1", body, n)
				}
			}
			// The other replies' jobs are gone; the one worked by hand stays.
			if n := h.waitingJobs(); n != 1 {
				t.Errorf("%d jobs wait after the batch, want 1 (the job worked by hand)", n)
			}
			// A job whose reply a batch processed does nothing.
			if err := h.work("one"); err != nil {
				t.Fatal(err)
			}
			if len(h.log.got) != 4 {
				t.Errorf("replies handled again: %q", h.log.got)
			}
		})
	}
}

func TestInboundBatchFailureLosesNothing(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			h := setupBatch(t, d)
			h.asked(phoneA)
			h.asked(phoneB)
			h.receive([2]string{phoneA, "one"}, [2]string{phoneB, "b"}, [2]string{phoneA, "two"})
			h.log.fail["one"] = true

			// B's job: A's first reply fails and is undone, A's second waits
			// behind it, B's is processed.
			if err := h.work("b"); err != nil {
				t.Fatalf("a batch whose own reply was processed failed: %v", err)
			}
			if !slices.Equal(h.log.got, []string{"b"}) {
				t.Errorf("handled %q, want only b", h.log.got)
			}
			for _, body := range []string{"one", "two"} {
				if s := h.status(body); s != rapport.InboundReceived {
					t.Errorf("reply %q is %s, want still received", body, s)
				}
			}
			if items := h.inboxFor(h.ids["one"]); len(items) != 0 {
				t.Errorf("the failed reply's work was kept: %d inbox items", len(items))
			}
			if n := h.waitingJobs(); n != 3 {
				t.Errorf("%d jobs wait, want 3: the failed reply and the one behind it keep theirs", n)
			}
			// Its own job fails, and is retried.
			if err := h.work("one"); err == nil {
				t.Error("the failing reply's own job succeeded")
			}
			if s := h.status("two"); s != rapport.InboundReceived {
				t.Errorf("the reply after a failed one is %s, want still received", s)
			}
			// Once the failure passes, both go in order.
			delete(h.log.fail, "one")
			if err := h.work("two"); err != nil {
				t.Fatal(err)
			}
			if want := []string{"b", "one", "two"}; !slices.Equal(h.log.got, want) {
				t.Errorf("handled %q, want %q", h.log.got, want)
			}
			if n := h.received(h.ids["one"]); n != 1 {
				t.Errorf("the retried reply has %d message.received events, want 1", n)
			}
		})
	}
}

func TestInboundBatchTakesOlderFirst(t *testing.T) {
	h := setupBatch(t, store.SQLite)
	h.p.InboundBatch = 2
	h.asked(phoneA)
	h.asked(phoneB)
	h.receive([2]string{phoneA, "one"}, [2]string{phoneB, "b"}, [2]string{phoneA, "two"}, [2]string{phoneB, "c"}, [2]string{phoneA, "three"})
	// Two older batches fill before the job's own reply is reached.
	if err := h.work("three"); err != nil {
		t.Fatal(err)
	}
	if want := []string{"one", "b", "two", "c", "three"}; !slices.Equal(h.log.got, want) {
		t.Errorf("handled %q, want %q", h.log.got, want)
	}
}
