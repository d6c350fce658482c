package messaging_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
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
