package messaging_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/messaging"
)

// TestExactlyOnceAfterLostAnswers sends through the real send worker to a
// Twilio fake that accepts messages and then never answers (or hangs
// before accepting). A send without an answer is recorded unknown, looked
// up at the provider before any retry, and recorded sent with the SID
// Twilio gave it, or sent again only when Twilio never had it: every
// patient gets exactly one copy.
func TestExactlyOnceAfterLostAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		patients int
		fault    twiliotest.Fault
		rate     float64 // 0: only the first request is faulty
	}{
		{"accepted, answer lost", 1, twiliotest.Fault{Kind: twiliotest.FaultLostAnswer}, 0},
		{"hung before accepting", 1, twiliotest.Fault{Kind: twiliotest.FaultHang}, 0},
		{"a third of a batch accepted, answers lost", 30, twiliotest.Fault{Kind: twiliotest.FaultLostAnswer}, 0.3},
		{"a third of a batch hung", 30, twiliotest.Fault{Kind: twiliotest.FaultHang}, 0.3},
	}
	for _, tt := range tests {
		for _, d := range dbtest.Dialects {
			t.Run(tt.name+"/"+string(d), func(t *testing.T) {
				t.Parallel()
				h := setup(t, d)
				fake := twiliotest.NewServer(t, twiliotest.Options{NowFunc: h.clock.Now, Seed: 7})
				cfg := fake.Config()
				cfg.HTTPClient = twiliotest.NewClient(time.Minute) // the pipeline's own deadline decides
				client, err := twilio.New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				h.p.Senders[rapport.ChannelSMS] = &messaging.Sender{Sender: client, From: twiliotest.DefaultFrom}
				// Generous on a loaded machine: a slow answer taken for a lost
				// one is looked up, which this test accepts too.
				h.p.SendTimeout = time.Second
				if tt.rate > 0 {
					fake.FailRate(tt.rate, tt.fault)
				} else {
					fake.FailNext(1, tt.fault)
				}
				var ids []rapport.MessageID
				for i := range tt.patients {
					pt := h.patient("en", mobile(fmt.Sprintf("+1512555%04d", 1000+i)))
					ids = append(ids, h.send(messaging.Request{PatientID: pt.ID, Purpose: rapport.PurposeCare, Content: en("See you tomorrow at 9:30.")}).ID)
				}
				h.idle()
				if fake.Injected() == 0 {
					t.Fatal("no fault was injected: nothing was tested")
				}
				unknown := 0
				for _, id := range ids {
					if h.message(id).Status == rapport.MessageUnknown {
						unknown++
					}
				}
				if unknown == 0 {
					t.Fatal("no message was recorded unknown after a send without an answer")
				}
				fake.FailRate(0, tt.fault)
				for round := 0; round < 20 && !allSent(h, ids); round++ {
					h.advance(5 * time.Minute) // past the retry's backoff
				}

				perTo := map[string][]twiliotest.Request{}
				for _, r := range fake.Requests() {
					perTo[r.To] = append(perTo[r.To], r)
				}
				for _, id := range ids {
					m := h.message(id)
					got := perTo[m.To]
					if len(got) != 1 {
						t.Errorf("message %s: %d copies reached %s, want exactly 1", id, len(got), m.To)
						continue
					}
					if m.Status != rapport.MessageSent || m.ProviderID != got[0].SID {
						t.Errorf("message %s is %s with provider id %q, want sent with %q", id, m.Status, m.ProviderID, got[0].SID)
					}
					if n := len(h.events(m.PatientID, rapport.EventMessageSent)); n != 1 {
						t.Errorf("message %s: %d sent events in the ledger, want 1", id, n)
					}
				}
			})
		}
	}
}

func allSent(h *harness, ids []rapport.MessageID) bool {
	for _, id := range ids {
		if h.message(id).Status != rapport.MessageSent {
			return false
		}
	}
	return true
}

// gateSender holds each send until released, then reports whether the
// context it was given had been cancelled by then: a request cut mid-way,
// whose outcome the provider alone knows.
type gateSender struct {
	started chan struct{}
	release chan struct{}
}

func (g *gateSender) Send(ctx context.Context, m channel.Message) (channel.Result, error) {
	g.started <- struct{}{}
	select {
	case <-g.release:
	case <-time.After(time.Minute):
		return channel.Result{}, errors.New("never released")
	}
	if ctx.Err() != nil {
		return channel.Result{}, &channel.Error{Kind: channel.ErrUnknown, Msg: "request cut: " + ctx.Err().Error()}
	}
	return channel.Result{ProviderID: "P-" + m.ID, Status: "queued"}, nil
}

// TestSendOutlivesCancelledJob: a send job cancelled while a request is
// in flight (a shutdown, the job's timeout) does not cut the request; it
// ends on its own deadline, and what the provider answered is recorded.
func TestSendOutlivesCancelledJob(t *testing.T) {
	t.Parallel()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			_, db := processDB(t, d)
			g := &gateSender{started: make(chan struct{}, 1), release: make(chan struct{})}
			p := volumePipeline(t, db, rapport.ChannelSMS, &messaging.Sender{Sender: g, From: twiliotest.DefaultFrom})
			startQueue(t, p, false, 0)
			ids := queueMessages(t, p, seedPatients(t, db, 1, false), 1, messaging.Plain("en", "See you tomorrow."))
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				done <- messaging.NewSendWorker(p).Work(ctx, &river.Job[messaging.SendArgs]{JobRow: &rivertype.JobRow{}, Args: messaging.SendArgs{IDs: ids, Channel: rapport.ChannelSMS}})
			}()
			<-g.started
			cancel()
			close(g.release)
			if err := <-done; err != nil {
				t.Fatalf("work: %v", err)
			}
			m, err := db.FindMessage(context.Background(), ids[0])
			if err != nil {
				t.Fatal(err)
			}
			if m.Status != rapport.MessageSent || m.ProviderID != "P-"+string(ids[0]) {
				t.Errorf("message is %s (%s) with provider id %q, want sent with the provider's id", m.Status, m.StatusReason, m.ProviderID)
			}
		})
	}
}
