package api_test

import (
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web/api"
)

// A server that cannot send says so: a 503 naming what to configure, not a
// 200 "suppressed" that looks like the patient's fault, and nothing is
// recorded against the patient.
func TestSendMessageWithoutChannel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		channels []rapport.Channel // the senders the server has
		pinned   rapport.Channel
		says     string
	}{
		{"no channel at all", nil, "", "no channel is configured on this server"},
		{"no channel, one pinned", nil, rapport.ChannelSMS, "--channels simulator"},
		{"pinned channel missing", []rapport.Channel{rapport.ChannelEmail}, rapport.ChannelSMS, "channel: sms is not configured on this server; configured: email"},
		{"the patient's only channel missing", []rapport.Channel{rapport.ChannelEmail}, "", "no sms channel is configured on this server, and it is the only way to reach this patient"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, _ := newEnv(t, store.SQLite, false)
			p := onlyChannels(e.p, tt.channels...)
			e.serve(api.Deps{DB: e.db, Pipeline: p, Tokens: e.db, Clock: e.clock})
			rosa := e.patient("en")
			body := map[string]any{"patient_id": rosa.ID, "body": "Your visit is tomorrow.", "purpose": "care"}
			if tt.pinned != "" {
				body["channel"] = tt.pinned
			}
			a := e.do("POST", "/api/v1/messages", e.staff, body)
			if a.status != 503 || !strings.Contains(a.errorMessage(t), tt.says) {
				t.Fatalf("answer %d %s; want 503 saying %q", a.status, a.body, tt.says)
			}
			if ms, err := e.db.FindPatientMessages(e.ctx, rosa.ID); err != nil || len(ms) != 0 {
				t.Fatalf("messages of the patient: %d, %v; want none recorded", len(ms), err)
			}
		})
	}
}

// onlyChannels returns a copy of p that sends on the given channels alone.
func onlyChannels(p *messaging.Pipeline, chs ...rapport.Channel) *messaging.Pipeline {
	q := *p
	q.Senders = map[rapport.Channel]*messaging.Sender{}
	for _, ch := range chs {
		q.Senders[ch] = p.Senders[ch]
	}
	return &q
}
