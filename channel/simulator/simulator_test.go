package simulator

import (
	"context"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
)

// TestForget checks that a simulator told to forget still answers as
// Behave says but keeps no history, and that by default it keeps one.
func TestForget(t *testing.T) {
	for _, forget := range []bool{false, true} {
		s := New()
		s.Forget = forget
		behaved := 0
		s.Behave = func(m channel.Message) (channel.Result, error) {
			behaved++
			return channel.Result{ProviderID: "P-" + m.ID, Status: string(rapport.MessageDelivered)}, nil
		}
		for range 2 {
			res, err := s.Send(context.Background(), channel.Message{ID: "m1", Channel: rapport.ChannelSMS, To: "+15125550123", Body: "hi"})
			if err != nil || res.ProviderID != "P-m1" {
				t.Fatalf("forget=%v: send = %+v, %v", forget, res, err)
			}
		}
		wantSent, wantDup := 2, 1
		if forget {
			wantSent, wantDup = 0, 0
		}
		if behaved != 2 || len(s.Sent()) != wantSent || s.Duplicates() != wantDup {
			t.Errorf("forget=%v: behaved %d, sent %d, duplicates %d; want 2, %d, %d", forget, behaved, len(s.Sent()), s.Duplicates(), wantSent, wantDup)
		}
	}
}
