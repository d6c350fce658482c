package simulator

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
)

type recorder struct {
	mu  sync.Mutex
	got []*rapport.Inbound
}

func (r *recorder) Receive(_ context.Context, in *rapport.Inbound) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, in)
	return true, nil
}

func TestPatientsAnswer(t *testing.T) {
	rec := &recorder{}
	var delays []time.Duration
	p := &Patients{Receiver: rec, Delay: 3 * time.Second, Seed: 1, After: func(d time.Duration, f func()) { delays = append(delays, d); f() }}
	s := &Simulator{Behave: p.Behave, seen: map[string]int{}}
	const n = 300
	for i := range n {
		m := channel.Message{ID: fmt.Sprintf("m%d", i), Channel: rapport.ChannelSMS, To: fmt.Sprintf("+1512555%04d", i), From: "+15125550199",
			Language: "en", Body: "Interested? Reply 1 for yes, 2 for no."}
		if i%3 == 0 {
			m.Channel, m.Choices = rapport.ChannelVoice, map[string]string{"1": "yes", "2": "no"}
		}
		res, err := s.Send(context.Background(), m)
		if err != nil || res.Status != string(rapport.MessageDelivered) || !strings.HasPrefix(res.ProviderID, rapport.SimulatedPrefix) {
			t.Fatalf("send %d: %+v, %v; want delivered with a SIM id", i, res, err)
		}
	}
	// Some answer, some stay silent: a simulation where everyone (or no
	// one) answers would show a newcomer nothing of what rapport does.
	if got := len(rec.got); got < n/3 || got > n*9/10 {
		t.Fatalf("%d of %d messages answered; want between a third and nine tenths", got, n)
	}
	if int(p.Answered()) != len(rec.got) {
		t.Errorf("Answered() = %d, want %d", p.Answered(), len(rec.got))
	}
	for _, d := range delays {
		if d != 3*time.Second {
			t.Fatalf("answer scheduled after %v, want the configured 3s", d)
		}
	}
	kinds := map[string]int{}
	for _, in := range rec.got {
		if !strings.HasPrefix(in.From, "+1512555") || in.To != "+15125550199" {
			t.Fatalf("answer from %s to %s; want from the patient to rapport's number", in.From, in.To)
		}
		switch {
		case in.Channel == rapport.ChannelVoice:
			if in.InReplyTo == "" || (in.Body != "1" && in.Body != "2") {
				t.Fatalf("keypad answer %+v: want a key the call offered, tied to its call", in)
			}
			kinds["keypad"]++
		case in.Body == "1" || in.Body == "2":
			kinds["option"]++
		default:
			kinds["words"]++
		}
	}
	for _, k := range []string{"keypad", "option", "words"} {
		if kinds[k] == 0 {
			t.Errorf("no %s answer among %d: %v", k, len(rec.got), kinds)
		}
	}
}

func TestPatientsAnswerIsStable(t *testing.T) {
	p := &Patients{Seed: 7}
	m := channel.Message{ID: "01J", Channel: rapport.ChannelSMS, Language: "es", Body: "¿Le interesa? Responda 1 sí, 2 no."}
	first := p.Answer(m)
	for range 5 {
		again := p.Answer(m)
		if (first == nil) != (again == nil) || (first != nil && first.Body != again.Body) {
			t.Fatalf("the same message got %+v then %+v; want the same answer", first, again)
		}
	}
}
