package messaging_test

import (
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// stopText is a proxy message with a keyword sentence, which a call leaves out.
var stopText = messaging.Content{Fallback: "en", ByLang: map[string]messaging.Text{
	"en": {Subject: "{org}: a missed dose", Body: "{org}: hello {first_name}, a dose was missed. Reply STOP to end these messages."}}}

// TestProxyChannels: a message to a caregiver goes by the caregiver's own
// contact points in the order asked — a call to a landline, an email to
// an address — and a text that fails as a landline (21614) marks the
// caregiver's number a landline and goes on as a call to the same
// caregiver, never to the patient.
func TestProxyChannels(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.sim.Behave = func(m channel.Message) (channel.Result, error) {
			if m.Channel == rapport.ChannelSMS && m.To == "+15125550133" {
				return channel.Result{}, &channel.Error{Kind: channel.ErrBadAddress, Code: "21614", Msg: "not a mobile number"}
			}
			return channel.Result{ProviderID: "X" + m.ID, Status: "sent"}, nil
		}
		p := h.patient("en", mobile("+15125550130"), email("rosa@example.org"))
		granted := rapport.ConsentGranted
		home := rapport.ContactPoint{Kind: rapport.ContactPhone, Value: "+15125550133", Use: rapport.UseHome} // line type unknown
		tests := []struct {
			name    string
			cg      *rapport.Caregiver
			ch      rapport.Channel
			to      string
			subject string
		}{
			{"landline: a call", h.caregiverOf(p, "en", rapport.ScopeReminders, granted, landline("+15125550131")), rapport.ChannelVoice, "+15125550131", ""},
			{"email only: an email", h.caregiverOf(p, "en", rapport.ScopeReminders, granted, email("lucia@example.org")), rapport.ChannelEmail,
				"lucia@example.org", "Valley Clinic: a missed dose"},
			{"text first", h.caregiverOf(p, "en", rapport.ScopeReminders, granted, email("tomas@example.org"), mobile("+15125550132")),
				rapport.ChannelSMS, "+15125550132", ""},
			{"unknown line: a text first", h.caregiverOf(p, "en", rapport.ScopeReminders, granted, home), rapport.ChannelSMS, "+15125550133", ""},
		}
		var failed *rapport.Message
		for _, tc := range tests {
			m := h.send(messaging.Request{PatientID: p.ID, Caregiver: tc.cg, Proxy: rapport.ProxyMissedDose, Purpose: rapport.PurposeCare,
				Channels: []rapport.Channel{rapport.ChannelSMS, rapport.ChannelVoice, rapport.ChannelEmail}, Content: stopText})
			if m.Status != rapport.MessageQueued || m.Channel != tc.ch || m.To != tc.to || (tc.ch == rapport.ChannelEmail && m.Subject != tc.subject) {
				t.Errorf("%s: %s (%s) by %s to %q subject %q; want %s to %s subject %q", tc.name, m.Status, m.StatusReason, m.Channel, m.To, m.Subject,
					tc.ch, tc.to, tc.subject)
			}
			if tc.ch == rapport.ChannelVoice && strings.Contains(m.Body, "STOP") {
				t.Errorf("%s: a call says %q, a keyword no keypad sends", tc.name, m.Body)
			}
			if tc.to == "+15125550133" {
				failed = m
			}
		}
		h.idle()
		if got := h.message(failed.ID); got.Status != rapport.MessageFailed {
			t.Fatalf("text to the home number: %s (%s), want failed", got.Status, got.StatusReason)
		}
		var calls []channel.Message
		for _, s := range h.sim.Sent() {
			if s.Channel == rapport.ChannelVoice && s.To == "+15125550133" {
				calls = append(calls, s)
			}
			if s.To == "+15125550130" || s.To == "rosa@example.org" {
				t.Errorf("the patient got a caregiver's message: %+v", s)
			}
		}
		if len(calls) != 1 || strings.Contains(calls[0].Body, "STOP") || !strings.Contains(calls[0].Body, "hello Lucía, a dose was missed.") {
			t.Fatalf("calls to the home number after 21614: %+v, want one saying the text without STOP", calls)
		}
		var cg *rapport.Caregiver
		h.tx(func(tx *store.Tx) (err error) { cg, err = tx.FindCaregiverByID(h.ctx, tests[3].cg.ID); return err })
		if lt := cg.Contacts[0].LineType; lt != rapport.LineLandline || !strings.Contains(cg.Contacts[0].StatusReason, "21614") {
			t.Errorf("home number after 21614: line type %q (%q), want landline with the evidence", lt, cg.Contacts[0].StatusReason)
		}
		msgs, err := h.db.FindPatientMessages(h.ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.To == "+15125550133" && m.Channel == rapport.ChannelVoice && (m.CaregiverID != cg.ID || m.Proxy != rapport.ProxyMissedDose) {
				t.Errorf("the call is for caregiver %q kind %q, want %s %s", m.CaregiverID, m.Proxy, cg.ID, rapport.ProxyMissedDose)
			}
		}
	})
}
