package messaging_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// ourNumber is the harness's SMS and voice sender.
const ourNumber = testworld.OurNumber

// reply makes the patient at from write body on ch, through Pipeline.Receive
// as a webhook does, waits until it is processed and returns it as stored.
func (h *harness) reply(ch rapport.Channel, from, body string) *rapport.Inbound {
	h.t.Helper()
	in, err := simulator.Reply(h.ctx, h.p, ch, from, ourNumber, body)
	if err != nil {
		h.t.Fatalf("reply %q: %v", body, err)
	}
	h.idle()
	return h.inbound(in.ID)
}

func (h *harness) inbound(id string) *rapport.Inbound {
	h.t.Helper()
	var in *rapport.Inbound
	h.tx(func(tx *store.Tx) (err error) { in, err = tx.FindInbound(h.ctx, id); return err })
	return in
}

// sentTo is what the simulator took for one address, in order.
func (h *harness) sentTo(addr string) []channel.Message {
	var out []channel.Message
	for _, m := range h.sim.Sent() {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

// inboxFor returns the inbox items about one inbound message.
func (h *harness) inboxFor(inboundID string) []*rapport.InboxItem {
	h.t.Helper()
	items, err := h.db.FindInboxItems(h.ctx, rapport.InboxFilter{Limit: 1000})
	if err != nil {
		h.t.Fatal(err)
	}
	var out []*rapport.InboxItem
	for _, it := range items {
		if it.InboundID == inboundID {
			out = append(out, it)
		}
	}
	return out
}

// received counts the message.received ledger events of one inbound message.
func (h *harness) received(inboundID string) int {
	h.t.Helper()
	evs, err := h.db.FindEvents(h.ctx, rapport.EventFilter{Kind: rapport.EventMessageReceived, Limit: 10000})
	if err != nil {
		h.t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		var p struct {
			Inbound string `json:"inbound"`
		}
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			h.t.Fatalf("message.received payload %s: %v", e.Payload, err)
		}
		if p.Inbound == inboundID {
			n++
		}
	}
	return n
}

func TestInboundUnknownNumberIsKept(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		h.patient("en", mobile("+15125550123")) // someone else
		in := h.reply(rapport.ChannelSMS, "+15125550999", "Who is this?")
		if in.Status != rapport.InboundUnmatched || in.PatientID != "" || in.Body != "Who is this?" {
			t.Errorf("inbound from an unknown number: %+v", in)
		}
		items := h.inboxFor(in.ID)
		if len(items) != 1 || items[0].Kind != rapport.InboxUnmatched || items[0].PatientID != "" {
			t.Errorf("inbox items = %+v, want one unmatched item", items)
		}
		if n := h.received(in.ID); n != 1 {
			t.Errorf("message.received events = %d, want 1", n)
		}
		if sent := h.sim.Sent(); len(sent) != 0 {
			t.Errorf("answered an unknown number: %+v", sent)
		}
	})
}

func TestInboundSharedNumber(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		const family = "+15125550150"
		a := h.patient("en", mobile(family))
		b := h.patient("en", mobile(family))

		// Nothing sent to the number yet: no conversation tells them apart.
		in := h.reply(rapport.ChannelSMS, family, "hello?")
		if in.Status != rapport.InboundUnmatched || in.PatientID != "" {
			t.Errorf("shared number, nothing waiting: %+v", in)
		}
		if items := h.inboxFor(in.ID); len(items) != 1 || items[0].Kind != rapport.InboxUnmatched {
			t.Errorf("shared number, nothing waiting: inbox %+v", items)
		}

		for _, c := range []struct {
			name string
			to   *rapport.Patient
		}{{"to b", b}, {"then to a", a}, {"then to b again", b}} {
			m := h.send(messaging.Request{PatientID: c.to.ID, Purpose: rapport.PurposeCare, Content: en("How are you feeling?")})
			h.idle()
			h.advance(time.Minute) // later messages have later sent_at
			in := h.reply(rapport.ChannelSMS, family, "yes")
			if in.PatientID != c.to.ID || in.InReplyTo != m.ID || in.Status != rapport.InboundProcessed || in.Intent != "yes" {
				t.Errorf("%s: reply = %+v, want patient %s in reply to %s", c.name, in, c.to.ID, m.ID)
			}
			if n := h.received(in.ID); n != 1 {
				t.Errorf("%s: message.received events = %d", c.name, n)
			}
		}
	})
}

func TestInboundIntents(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		const freeText = "  My bill came twice this month — please call me after 5. Gracias  "
		const question = "  I have a question about my bill — can you call me after 5? Gracias  "
		cases := []struct {
			body   string
			intent string
			choice int
		}{
			{"sí, claro", "yes", 0},
			{"Yes please!", "yes", 0},
			{"no gracias", "no", 0},
			{"2", "choice", 2},
			{"opción 3", "choice", 3},
			{freeText, "free_text", 0},
			{question, "question", 0},
		}
		for i, c := range cases {
			num := "+1512555020" + string(rune('0'+i))
			p := h.patient("es", mobile(num))
			in := h.reply(rapport.ChannelSMS, num, c.body)
			if in.PatientID != p.ID || in.Status != rapport.InboundProcessed || in.Intent != c.intent || in.Choice != c.choice {
				t.Errorf("%q: patient %s status %s intent %q choice %d; want %s processed %q %d",
					c.body, in.PatientID, in.Status, in.Intent, in.Choice, p.ID, c.intent, c.choice)
			}
			if in.Body != c.body {
				t.Errorf("%q: body stored as %q, want it verbatim", c.body, in.Body)
			}
			items := h.inboxFor(in.ID)
			if len(items) != 1 || items[0].Kind != rapport.InboxReply || items[0].PatientID != p.ID {
				t.Errorf("%q: inbox %+v, want one reply item for the patient", c.body, items)
			}
			if n := h.received(in.ID); n != 1 {
				t.Errorf("%q: message.received events = %d", c.body, n)
			}
			if got := h.sentTo(num); len(got) != 0 {
				t.Errorf("%q: an ordinary reply was answered automatically: %+v", c.body, got)
			}
		}
	})
}

func TestInboundVoiceKeypad(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		const home = "+15125550160"
		p := h.patient("en", landline(home))
		m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Content: en("Did you take your medicine? Press 1 for yes, 2 for no."),
			Choices: map[string]string{"1": "yes", "2": "no"}})
		h.idle()
		if m.Channel != rapport.ChannelVoice || h.message(m.ID).Status != rapport.MessageDelivered {
			t.Fatalf("call: %+v", h.message(m.ID))
		}
		for _, c := range []struct {
			keys   string
			intent string
			choice int
		}{{"1", "yes", 1}, {"2", "no", 2}, {"7", "free_text", 0}, {messaging.VoiceOptOutKey, "opt_out", 0}} { // the opt-out key last
			in := &rapport.Inbound{Channel: rapport.ChannelVoice, From: home, To: ourNumber, Body: c.keys, InReplyTo: m.ID}
			if _, err := h.p.Receive(h.ctx, in); err != nil {
				t.Fatal(err)
			}
			h.idle()
			got := h.inbound(in.ID)
			if got.PatientID != p.ID || got.InReplyTo != m.ID || got.Intent != c.intent || got.Choice != c.choice || got.Status != rapport.InboundProcessed {
				t.Errorf("keys %q: %+v; want intent %q choice %d", c.keys, got, c.intent, c.choice)
			}
			if n := h.received(in.ID); n != 1 {
				t.Errorf("keys %q: message.received events = %d", c.keys, n)
			}
		}
	})
}

func TestInboundDeliveredTwiceIsStoredOnce(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		const num = "+15125550170"
		p := h.patient("en", mobile(num))
		var ids []string
		for i := range 3 {
			in := &rapport.Inbound{Channel: rapport.ChannelSMS, From: num, To: ourNumber, Body: "Running late, sorry", ProviderID: "SM0123456789abcdef"}
			isNew, err := h.p.Receive(h.ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if isNew != (i == 0) {
				t.Errorf("delivery %d: new = %v", i+1, isNew)
			}
			ids = append(ids, in.ID)
			h.idle()
		}
		if ids[0] != ids[1] || ids[1] != ids[2] {
			t.Errorf("deliveries got ids %v, want one", ids)
		}
		stored, err := h.db.FindPatientInbound(h.ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored) != 1 || stored[0].Status != rapport.InboundProcessed {
			t.Errorf("stored = %+v, want one processed message", stored)
		}
		if items := h.inboxFor(ids[0]); len(items) != 1 {
			t.Errorf("inbox items = %d, want 1", len(items))
		}
		if n := h.received(ids[0]); n != 1 {
			t.Errorf("message.received events = %d, want 1", n)
		}
		// The same provider id on another channel is another message.
		other := &rapport.Inbound{Channel: rapport.ChannelEmail, From: "x@example.org", To: "care@valley.example", Body: "hi", ProviderID: "SM0123456789abcdef"}
		if isNew, err := h.p.Receive(h.ctx, other); err != nil || !isNew {
			t.Errorf("same provider id on email: new %v err %v", isNew, err)
		}
		h.idle()
	})
}

// TestInboundEmailReplyMatchesByAddress: an email reply is tied to its
// patient by the normalised address (the domain's case does not matter).
func TestInboundEmailReply(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		p := h.patient("en", email("rosa@example.org"))
		m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Content: messaging.Content{Fallback: "en",
			ByLang: map[string]messaging.Text{"en": {Subject: "Check-in", Body: "How are you feeling?"}}}})
		h.idle()
		in := h.reply(rapport.ChannelEmail, "rosa@Example.ORG", "Much better, thank you.")
		if in.PatientID != p.ID || in.InReplyTo != m.ID || in.Intent != "free_text" {
			t.Errorf("email reply: %+v", in)
		}
		if !strings.Contains(in.Body, "Much better") {
			t.Errorf("body %q", in.Body)
		}
	})
}
