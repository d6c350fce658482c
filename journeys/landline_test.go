package journeys_test

import (
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/messaging"
)

// A landline recorded as a mobile: the offer's text fails with 30006, the
// offer goes on by call, and the key the patient presses on that call is
// the answer the journey waits for. The call asks for a key, not a reply.
func TestLandlineKeypadAnswerAfterFailedText(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		const number = "+15125550171"
		olga := h.patient("Olga", "en", mobile(number))
		h.sim.Behave = acceptOnly
		h.launch("outreach")
		text := h.lastSent(number)
		if text.Channel != rapport.ChannelSMS {
			t.Fatalf("offer by %s, want sms (the number is recorded as a mobile)", text.Channel)
		}
		err := h.p.HandleStatus(h.ctx, messaging.StatusReport{MessageID: rapport.MessageID(text.ID), Status: rapport.MessageUndelivered,
			Err: &channel.Error{Kind: channel.ErrBadAddress, Code: "30006", Msg: "landline or unreachable carrier"}})
		if err != nil {
			t.Fatal(err)
		}
		h.idle()
		call := h.lastSent(number)
		if call.Channel != rapport.ChannelVoice {
			t.Fatalf("after the failed text the offer went by %s, want a call", call.Channel)
		}
		if strings.Contains(call.Body, "Reply") || !strings.Contains(call.Body, "Press 1") {
			t.Errorf("the call says %q; want it to ask to press 1, not to reply", call.Body)
		}
		h.press(call, "1")
		h.wantOutcomes("Olga", olga, "outreach", outcome{Outcome: "interested"})
		h.advance(7 * day)
		if n := len(h.sent(number)); n != 2 {
			t.Errorf("%d messages to Olga after she pressed 1, want 2 (the text and the call)", n)
		}
		if items := h.inbox(olga); len(items) != 0 {
			t.Errorf("her keypad answer went to the staff inbox: %d items", len(items))
		}
	})
}

// acceptOnly has the provider accept every message as sent, as Twilio
// does; the verdict comes later, by status callback.
func acceptOnly(m channel.Message) (channel.Result, error) {
	return channel.Result{ProviderID: "SM" + m.ID, Status: string(rapport.MessageSent), Segments: 1}, nil
}
