package messaging_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/store"
)

// caregiverOf saves a caregiver of p with the given contact points.
func (h *harness) caregiverOf(p *rapport.Patient, lang string, scope rapport.CaregiverScope, consent rapport.CaregiverConsent, cps ...rapport.ContactPoint) *rapport.Caregiver {
	h.t.Helper()
	for i := range cps {
		cps[i].Raw, cps[i].Status, cps[i].Source = cps[i].Value, rapport.StatusValid, rapport.SourceStaff
	}
	c := &rapport.Caregiver{PatientID: p.ID, Given: "Lucía", Relationship: rapport.Code{Code: "DAU"}, Language: lang, Scope: scope,
		Consent: consent, Contacts: cps}
	if consent != rapport.ConsentNotRecorded {
		c.ConsentAt, c.ConsentSource = start, rapport.SourceStaff
	}
	h.tx(func(tx *store.Tx) error { return tx.SaveCaregiver(h.ctx, c) })
	return c
}

var alertText = messaging.Content{Fallback: "en", ByLang: map[string]messaging.Text{
	"en": {Body: "{org}: hello {first_name}, a dose was missed."}, "es": {Body: "{org}: hola {first_name}, falta una dosis."}}}

// TestProxyPlan: a message to a caregiver takes the caregiver's number and
// language and the caregiver's consent; the patient's opt-out is not the
// caregiver's; quiet hours are the caregiver's number's.
func TestProxyPlan(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		p := h.patient("en", mobile("+15125550100"))
		h.tx(func(tx *store.Tx) error { // the patient stopped texts: the caregiver did not
			return tx.RecordConsent(h.ctx, &rapport.Consent{PatientID: p.ID, Channel: rapport.ChannelSMS, Purpose: rapport.PurposeCare,
				Decision: rapport.OptOut, Source: rapport.SourcePatient, Evidence: "test"})
		})
		h.tx(func(tx *store.Tx) error {
			return tx.RecordAddressConsents(h.ctx, []rapport.AddressConsent{{Address: rapport.AddressKey(rapport.ChannelSMS, "+15125550104"),
				Channel: rapport.ChannelSMS, Purpose: rapport.PurposeCare, Decision: rapport.OptOut, Source: rapport.SourcePatient, Evidence: "test"}})
		})
		granted, none := rapport.ConsentGranted, rapport.ConsentNotRecorded
		tests := []struct {
			name   string
			cg     *rapport.Caregiver
			kind   rapport.ProxyMessage
			to     string
			body   string
			at     time.Time
			reason string // suppressed when set
		}{
			{"consented, Spanish", h.caregiverOf(p, "es", rapport.ScopeReminders, granted, mobile("+15125550101")), rapport.ProxyMissedDose,
				"+15125550101", "hola Lucía", start, ""},
			// 15:00 UTC is 07:00 in Los Angeles: the caregiver's morning.
			{"quiet hours on the caregiver's clock", h.caregiverOf(p, "en", rapport.ScopeReminders, granted, mobile("+12135550102")), rapport.ProxyMissedDose,
				"+12135550102", "hello Lucía", start.Add(time.Hour), ""},
			{"consent not recorded", h.caregiverOf(p, "en", rapport.ScopeReminders, none, mobile("+15125550103")), rapport.ProxyMissedDose,
				"", "", start, "caregiver may not receive"},
			{"outside the scope", h.caregiverOf(p, "en", rapport.ScopeReminders, granted, mobile("+15125550105")), rapport.ProxyConversation,
				"", "", start, "caregiver may not receive"},
			{"the caregiver's number opted out", h.caregiverOf(p, "en", rapport.ScopeReminders, granted, mobile("+15125550104")), rapport.ProxyMissedDose,
				"", "", start, "address opted out"},
			{"never the patient's number", h.caregiverOf(p, "en", rapport.ScopeReminders, granted, email("lucia@example.org")), rapport.ProxyMissedDose,
				"", "", start, "no usable contact point"},
		}
		for _, tc := range tests {
			m := h.send(messaging.Request{PatientID: p.ID, Caregiver: tc.cg, Proxy: tc.kind, Purpose: rapport.PurposeCare,
				Channels: []rapport.Channel{rapport.ChannelSMS}, Content: alertText})
			if m.CaregiverID != tc.cg.ID || m.PatientID != p.ID {
				t.Errorf("%s: caregiver %q patient %q", tc.name, m.CaregiverID, m.PatientID)
			}
			if tc.reason != "" {
				if m.Status != rapport.MessageSuppressed || !strings.Contains(m.StatusReason, tc.reason) || m.To != "" {
					t.Errorf("%s: %s (%s) to %q, want suppressed: %s", tc.name, m.Status, m.StatusReason, m.To, tc.reason)
				}
				continue
			}
			if m.Status != rapport.MessageQueued || m.To != tc.to || !strings.Contains(m.Body, tc.body) || !m.NotBefore.Equal(tc.at) {
				t.Errorf("%s: %s (%s) to %q at %v: %q; want queued to %s at %v saying %q", tc.name, m.Status, m.StatusReason, m.To, m.NotBefore, m.Body, tc.to, tc.at, tc.body)
			}
		}
	})
}

// TestProxyCapsAndRevocation: a caregiver's message neither counts in the
// patient's caps nor is held by them; a caregiver revoked after the
// message was queued gets nothing.
func TestProxyCapsAndRevocation(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.p.Policy.Caps = map[rapport.Purpose]rules.Caps{rapport.PurposeCare: {PerDay: 1}}
		p := h.patient("en", mobile("+15125550110"))
		near := h.caregiverOf(p, "en", rapport.ScopeReminders, rapport.ConsentGranted, mobile("+15125550111"))
		far := h.caregiverOf(p, "en", rapport.ScopeReminders, rapport.ConsentGranted, mobile("+12135550112"))
		proxy := func(cg *rapport.Caregiver) *rapport.Message {
			return h.send(messaging.Request{PatientID: p.ID, Caregiver: cg, Proxy: rapport.ProxyMissedDose, Purpose: rapport.PurposeCare,
				Channels: []rapport.Channel{rapport.ChannelSMS}, Content: alertText})
		}
		if m := proxy(near); m.Status != rapport.MessageQueued || !m.NotBefore.Equal(start) {
			t.Fatalf("first caregiver message: %s at %v", m.Status, m.NotBefore)
		}
		own := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Content: en("your own message")})
		if !own.NotBefore.Equal(start) {
			t.Errorf("patient's message held to %v by the caregiver's: caps count it", own.NotBefore)
		}
		if m := proxy(near); !m.NotBefore.Equal(start) {
			t.Errorf("caregiver's second message held to %v by the patient's caps", m.NotBefore)
		}
		late := proxy(far) // 07:00 in Los Angeles: waits for 08:00
		h.tx(func(tx *store.Tx) error {
			_, err := tx.RevokeCaregiver(h.ctx, far.ID, rapport.SourcePatient, "")
			return err
		})
		h.advance(2 * time.Hour)
		if m := h.message(late.ID); m.Status != rapport.MessageSuppressed || !strings.Contains(m.StatusReason, "before sending") {
			t.Errorf("message to a caregiver revoked meanwhile: %s (%s), want suppressed before sending", m.Status, m.StatusReason)
		}
		for _, s := range h.sim.Sent() {
			if s.To == "+12135550112" {
				t.Errorf("revoked caregiver got %q", s.Body)
			}
		}
	})
}
