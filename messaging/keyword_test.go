package messaging_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging"
)

// consentsOn returns a patient's consent decisions on one channel.
func (h *harness) consentsOn(pid rapport.PatientID, ch rapport.Channel) []rapport.Consent {
	h.t.Helper()
	cs, err := h.db.FindConsents(h.ctx, pid)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []rapport.Consent
	for _, c := range cs {
		if c.Channel == ch {
			out = append(out, c)
		}
	}
	return out
}

// checkDecision checks that both purposes on ch are decided d by the
// patient, with the keyword and the inbound message as evidence.
func checkDecision(t *testing.T, cs []rapport.Consent, d rapport.ConsentDecision, word, inboundID string) {
	t.Helper()
	for _, purpose := range []rapport.Purpose{rapport.PurposeCare, rapport.PurposeOutreach} {
		var last *rapport.Consent
		for i := range cs {
			if cs[i].Purpose == purpose {
				last = &cs[i]
			}
		}
		if last == nil || last.Decision != d || last.Source != rapport.SourcePatient ||
			!strings.Contains(last.Evidence, word) || !strings.Contains(last.Evidence, inboundID) {
			t.Errorf("%s consent = %+v; want %s by the patient with %s and inbound %s as evidence", purpose, last, d, word, inboundID)
		}
	}
}

func TestStopOptsOutOfTheChannel(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		cases := []struct {
			body, word string
			confirm    string // a phrase of the confirmation, in the keyword's language
		}{
			{"STOP", "STOP", "you are unsubscribed"},
			{"stop", "STOP", "you are unsubscribed"},
			{"  Stop.  ", "STOP", "you are unsubscribed"},
			{"Un subscribe!", "UNSUBSCRIBE", "you are unsubscribed"},
			{"opt out", "OPTOUT", "you are unsubscribed"},
			{"quit", "QUIT", "you are unsubscribed"},
			{"ALTO", "ALTO", "se ha dado de baja"},
			{"¡alto!", "ALTO", "se ha dado de baja"},
			{"Parar", "PARAR", "se ha dado de baja"},
			{"  p a r a r ", "PARAR", "se ha dado de baja"},
		}
		for i, c := range cases {
			num := fmt.Sprintf("+1512555030%d", i)
			p := h.patient("en", mobile(num))
			in := h.reply(rapport.ChannelSMS, num, c.body)
			if in.PatientID != p.ID || in.Intent != "opt_out" || in.Status != rapport.InboundProcessed {
				t.Errorf("%q: inbound %+v", c.body, in)
			}
			if n := h.received(in.ID); n != 1 {
				t.Errorf("%q: message.received events = %d", c.body, n)
			}
			checkDecision(t, h.consentsOn(p.ID, rapport.ChannelSMS), rapport.OptOut, c.word, in.ID)
			if cs := h.consentsOn(p.ID, rapport.ChannelEmail); len(cs) != 0 {
				t.Errorf("%q: an SMS STOP changed email consent: %+v", c.body, cs)
			}
			sent := h.sentTo(num)
			if len(sent) != 1 || sent[0].Channel != rapport.ChannelSMS || !strings.Contains(sent[0].Body, c.confirm) || !strings.Contains(sent[0].Body, "Valley Clinic") {
				t.Errorf("%q: sent %+v, want one confirmation containing %q", c.body, sent, c.confirm)
			}
			if items := h.inboxFor(in.ID); len(items) != 0 {
				t.Errorf("%q: a keyword went to the inbox: %+v", c.body, items)
			}
		}
	})
}

// TestStopThenSilence follows one patient through STOP, a second STOP,
// outreach, START, and outreach again.
func TestStopThenSilence(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		const num = "+15125550401"
		p := h.patient("es", mobile(num))
		// A reminder already queued for later, before the STOP.
		early := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Content: en("Your appointment is tomorrow"),
			NotBefore: start.Add(2 * time.Hour)})

		stop := h.reply(rapport.ChannelSMS, num, "Alto")
		if n := len(h.sentTo(num)); n != 1 {
			t.Fatalf("after STOP: %d messages, want the one confirmation", n)
		}
		ms, err := h.db.FindPatientMessages(h.ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var confirmation *rapport.Message
		for _, m := range ms {
			if m.Compliance {
				confirmation = m
			}
		}
		if confirmation == nil || confirmation.Language != "es" || confirmation.Channel != rapport.ChannelSMS {
			t.Errorf("confirmation message = %+v", confirmation)
		}

		again := h.reply(rapport.ChannelSMS, num, "STOP")
		if n := len(h.sentTo(num)); n != 1 {
			t.Errorf("a second STOP sent something: %+v", h.sentTo(num))
		}
		if again.Intent != "opt_out" || again.Status != rapport.InboundProcessed {
			t.Errorf("second STOP: %+v", again)
		}
		if n := h.received(again.ID); n != 1 {
			t.Errorf("second STOP: message.received events = %d", n)
		}
		if cs := h.consentsOn(p.ID, rapport.ChannelSMS); len(cs) != 2 {
			t.Errorf("a second STOP recorded consents again: %+v", cs)
		}

		sms := []rapport.Channel{rapport.ChannelSMS}
		later := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeOutreach, Channels: sms, Content: en("Flu shots are here")})
		if later.Status != rapport.MessageSuppressed || !strings.Contains(later.StatusReason, "opted out of sms") {
			t.Errorf("outreach after STOP: %+v", later)
		}
		h.advance(3 * time.Hour)
		if got := h.message(early.ID); got.Status != rapport.MessageSuppressed {
			t.Errorf("a message queued before the STOP: %+v", got)
		}
		if n := len(h.sentTo(num)); n != 1 {
			t.Fatalf("after STOP the number got %+v", h.sentTo(num))
		}

		// START opts back in, with one confirmation.
		h.advance(24 * time.Hour)
		startIn := h.reply(rapport.ChannelSMS, num, "start")
		checkDecision(t, h.consentsOn(p.ID, rapport.ChannelSMS), rapport.OptIn, "START", startIn.ID)
		sent := h.sentTo(num)
		if len(sent) != 2 || !strings.Contains(sent[1].Body, "subscribed again") {
			t.Errorf("after START: %+v", sent)
		}
		back := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeOutreach, Channels: sms, Content: en("Flu shots are here")})
		h.idle()
		if got := h.message(back.ID); got.Status != rapport.MessageDelivered || got.Channel != rapport.ChannelSMS {
			t.Errorf("outreach after START: %+v", got)
		}
		if stop.ID == startIn.ID {
			t.Error("inbound ids repeat")
		}
	})
}

// TestStopWithAnotherChannel: an SMS STOP opts out of SMS for every purpose
// and of automated outreach calls; outreach then goes by email, care calls
// still go, and SMS never gets anything but the confirmation.
func TestStopWithAnotherChannel(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		const num = "+15125550402"
		p := h.patient("en", mobile(num), email("rosa@example.org"))
		h.reply(rapport.ChannelSMS, num, "STOP")
		m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeOutreach, Content: en("Flu shots are here")})
		h.idle()
		if got := h.message(m.ID); got.Channel != rapport.ChannelEmail || got.Status != rapport.MessageDelivered {
			t.Errorf("outreach after an SMS STOP: %+v, want email", got)
		}
		if n := len(h.sentTo(num)); n != 1 {
			t.Errorf("the phone got %d messages, want only the confirmation", n)
		}

		// A care message may still call: STOP by text ends outreach robocalls, not care.
		m = h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Channels: []rapport.Channel{rapport.ChannelSMS, rapport.ChannelVoice},
			Content: en("Your results are ready")})
		h.idle()
		if got := h.message(m.ID); got.Channel != rapport.ChannelVoice || got.Status != rapport.MessageDelivered {
			t.Errorf("care after an SMS STOP: %+v, want a call", got)
		}
		var texts int
		for _, s := range h.sentTo(num) {
			if s.Channel == rapport.ChannelSMS {
				texts++
			}
		}
		if texts != 1 {
			t.Errorf("SMS got %d messages, want only the confirmation", texts)
		}
	})
}

func TestYesReoptsInOnlyWhenOptedOut(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		const out, in = "+15125550403", "+15125550404"
		a := h.patient("en", mobile(out))
		b := h.patient("es", mobile(in))

		h.reply(rapport.ChannelSMS, out, "STOP")
		yes := h.reply(rapport.ChannelSMS, out, "Yes")
		checkDecision(t, h.consentsOn(a.ID, rapport.ChannelSMS), rapport.OptIn, "YES", yes.ID)
		if yes.Intent != "opt_in" {
			t.Errorf("YES while opted out: intent %q", yes.Intent)
		}
		if sent := h.sentTo(out); len(sent) != 2 || !strings.Contains(sent[1].Body, "subscribed again") {
			t.Errorf("YES while opted out: sent %+v", sent)
		}

		h.reply(rapport.ChannelSMS, in, "ALTO")
		si := h.reply(rapport.ChannelSMS, in, "Sí")
		checkDecision(t, h.consentsOn(b.ID, rapport.ChannelSMS), rapport.OptIn, "SÍ", si.ID)
		if sent := h.sentTo(in); len(sent) != 2 || !strings.Contains(sent[1].Body, "suscrito de nuevo") {
			t.Errorf("SÍ while opted out: sent %+v", sent)
		}

		// Now neither is opted out: YES is an ordinary answer.
		for _, c := range []struct {
			num  string
			pid  rapport.PatientID
			body string
		}{{out, a.ID, "YES"}, {in, b.ID, "sí"}} {
			before := len(h.consentsOn(c.pid, rapport.ChannelSMS))
			r := h.reply(rapport.ChannelSMS, c.num, c.body)
			if r.Intent != "yes" || r.Status != rapport.InboundProcessed {
				t.Errorf("%q while opted in: %+v", c.body, r)
			}
			if n := len(h.consentsOn(c.pid, rapport.ChannelSMS)); n != before {
				t.Errorf("%q while opted in recorded consent", c.body)
			}
			if n := len(h.sentTo(c.num)); n != 2 {
				t.Errorf("%q while opted in was answered: %+v", c.body, h.sentTo(c.num))
			}
			if items := h.inboxFor(r.ID); len(items) != 1 || items[0].Kind != rapport.InboxReply {
				t.Errorf("%q while opted in: inbox %+v", c.body, items)
			}
		}
	})
}

func TestHelpAnswersWithTheOrgsContact(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		cases := []struct{ body, phrase string }{
			{"HELP", "for help call +15125550100"},
			{"info?", "for help call +15125550100"},
			{"Ayuda", "para ayuda llame al +15125550100"},
		}
		for i, c := range cases {
			num := fmt.Sprintf("+1512555050%d", i)
			p := h.patient("en", mobile(num))
			in := h.reply(rapport.ChannelSMS, num, c.body)
			sent := h.sentTo(num)
			if len(sent) != 1 || !strings.Contains(sent[0].Body, c.phrase) || !strings.Contains(sent[0].Body, "Valley Clinic") {
				t.Errorf("%q: sent %+v, want the help text with %q", c.body, sent, c.phrase)
			}
			if in.Intent != "help" || in.PatientID != p.ID {
				t.Errorf("%q: %+v", c.body, in)
			}
			if cs := h.consentsOn(p.ID, rapport.ChannelSMS); len(cs) != 0 {
				t.Errorf("%q changed consent: %+v", c.body, cs)
			}
		}
		// HELP is answered even after STOP: carriers require it.
		const num = "+15125550509"
		h.patient("en", mobile(num))
		h.reply(rapport.ChannelSMS, num, "STOP")
		h.reply(rapport.ChannelSMS, num, "HELP")
		if sent := h.sentTo(num); len(sent) != 2 || !strings.Contains(sent[1].Body, "+15125550100") {
			t.Errorf("HELP after STOP: %+v", sent)
		}
	})
}

// TestKeywordInsideASentenceIsAReply: only the whole message is a keyword.
func TestKeywordInsideASentenceIsAReply(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		const num = "+15125550601"
		p := h.patient("en", mobile(num))
		in := h.reply(rapport.ChannelSMS, num, "please stop calling my mother, she passed away")
		if cs := h.consentsOn(p.ID, rapport.ChannelSMS); len(cs) != 0 {
			t.Errorf("consent changed: %+v", cs)
		}
		if items := h.inboxFor(in.ID); len(items) != 1 || in.Intent != "free_text" {
			t.Errorf("sentence with STOP in it: %+v, inbox %+v", in, items)
		}
	})
}

// TestStopFromASharedNumber: STOP is the number's owner speaking. From a
// number several patients share (a family phone) it opts every one of them
// out of the channel, with one confirmation, whether or not a conversation
// ties the message to one of them; none of them is texted at that number
// afterwards.
func TestStopFromASharedNumber(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		for _, c := range []struct {
			name    string
			waiting bool // a message was sent to the number first
		}{{"nothing waiting", false}, {"a conversation waiting", true}} {
			num := "+1512555070" + map[bool]string{false: "1", true: "2"}[c.waiting]
			a := h.patient("en", mobile(num))
			b := h.patient("en", mobile(num))
			before := 0
			if c.waiting {
				h.send(messaging.Request{PatientID: b.ID, Purpose: rapport.PurposeCare, Content: en("How are you feeling?")})
				h.idle()
				before = 1
			}
			in := h.reply(rapport.ChannelSMS, num, "STOP")
			if in.Intent != "opt_out" {
				t.Errorf("%s: inbound %+v", c.name, in)
			}
			if n := h.received(in.ID); n != 1 {
				t.Errorf("%s: message.received events = %d", c.name, n)
			}
			for _, p := range []*rapport.Patient{a, b} {
				checkDecision(t, h.consentsOn(p.ID, rapport.ChannelSMS), rapport.OptOut, "STOP", in.ID)
			}
			sent := h.sentTo(num)
			if len(sent) != before+1 || !strings.Contains(sent[len(sent)-1].Body, "unsubscribed") {
				t.Errorf("%s: sent %+v, want one confirmation", c.name, sent)
			}
			again := h.reply(rapport.ChannelSMS, num, "stop")
			if n := len(h.sentTo(num)); n != before+1 || again.Intent != "opt_out" {
				t.Errorf("%s: a second STOP: %+v, %d sent", c.name, again, n)
			}
			for _, p := range []*rapport.Patient{a, b} {
				m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Channels: []rapport.Channel{rapport.ChannelSMS}, Content: en("Hi")})
				if m.Status != rapport.MessageSuppressed {
					t.Errorf("%s: SMS after STOP: %+v", c.name, m)
				}
			}
		}
	})
}
