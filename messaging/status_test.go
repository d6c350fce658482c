package messaging_test

import (
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/messaging"
)

// TestStatusReportBeforeSentIsRecorded delivers the provider's status
// callback while the send worker is still waiting for the provider's
// answer, so the callback commits first: the worker's later "sent" must
// not undo it.
func TestStatusReportBeforeSentIsRecorded(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		report messaging.StatusReport
		want   rapport.MessageStatus
		reason string
	}{
		{"delivered", messaging.StatusReport{Status: rapport.MessageDelivered}, rapport.MessageDelivered, ""},
		{"undelivered", messaging.StatusReport{Status: rapport.MessageUndelivered, Err: &channel.Error{Kind: channel.ErrPermanent, Code: "30008"}},
			rapport.MessageUndelivered, "30008"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			each(t, func(t *testing.T, h *harness) {
				h.sim.Behave = func(m channel.Message) (channel.Result, error) {
					r := c.report
					r.MessageID = rapport.MessageID(m.ID)
					if err := h.p.HandleStatus(h.ctx, r); err != nil {
						t.Errorf("status report: %v", err)
					}
					return channel.Result{ProviderID: "SM" + m.ID, Status: "sent"}, nil
				}
				p := h.patient("en", mobile("+15125550123"))
				m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Content: en("Your results are ready")})
				h.idle()
				got := h.message(m.ID)
				if got.Status != c.want || !strings.Contains(got.StatusReason, c.reason) {
					t.Errorf("status %s (%q), want %s (%q)", got.Status, got.StatusReason, c.want, c.reason)
				}
				if got.SentAt.IsZero() || got.ProviderID != "SM"+string(m.ID) {
					t.Errorf("the send was not recorded: sent at %v, provider id %q", got.SentAt, got.ProviderID)
				}
			})
		})
	}
}
