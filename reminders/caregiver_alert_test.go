package reminders_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/store"
)

// caregiver gives p a caregiver with a mobile number, in scope reminders;
// consent is granted when granted, else not recorded.
func (h *harness) caregiver(p *rapport.Patient, given, phone, lang string, granted bool) *rapport.Caregiver {
	h.t.Helper()
	c := &rapport.Caregiver{PatientID: p.ID, Given: given, Family: "Diaz", Language: lang, Scope: rapport.ScopeReminders,
		Relationship: rapport.Code{System: rapport.RoleCodeSystem, Code: "DAU"}, Consent: rapport.ConsentNotRecorded,
		Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: phone, Value: phone, Use: rapport.UseMobile, LineType: rapport.LineMobile,
			Status: rapport.StatusUnverified, Source: rapport.SourceStaff}}}
	if granted {
		c.Consent, c.ConsentAt, c.ConsentSource = rapport.ConsentGranted, h.w.Clock.Now(), rapport.SourceStaff
	}
	h.tx(func(tx *store.Tx) error { return tx.SaveCaregiver(h.w.Ctx, c) })
	return c
}

// alerts lists what the simulator sent to a number, in order.
func (h *harness) sentTo(number string) []string {
	var out []string
	for _, m := range h.w.Sim.Sent() {
		if m.To == number {
			out = append(out, m.Body)
		}
	}
	return out
}

// TestCaregiverAlerts: a check-in answered "not yet" or "skipped" texts the
// caregiver who may be told, once per dose, in the caregiver's language,
// naming the drug and the dose's time but not the patient's answer; a
// caregiver without the patient's consent, or revoked, hears nothing; the
// caregiver's STOP stops the alerts without opting the patient out, and
// their START ("Sí") brings them back.
func TestCaregiverAlerts(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.checkinAfter = 2 * time.Hour
		p := h.patient("+15125550160")
		r := h.regimen(p, true, false, "08:00")
		h.tx(func(tx *store.Tx) error { return reminders.SetCaregiverAlerts(h.w.Ctx, tx, r, true) })
		hija := h.caregiver(p, "Lucía", "+15125550161", "es", true)
		h.caregiver(p, "Tomás", "+15125550162", "en", false)
		revoked := h.caregiver(p, "Ana", "+15125550163", "en", true)
		son := h.caregiver(p, "Luis", "+15125550165", "en", true)
		h.tx(func(tx *store.Tx) error { // the whole conversation: missed doses too
			son.Scope = rapport.ScopeConversation
			return tx.SaveCaregiver(h.w.Ctx, son)
		})
		h.tx(func(tx *store.Tx) error {
			_, err := tx.RevokeCaregiver(h.w.Ctx, revoked.ID, rapport.SourcePatient, "")
			return err
		})
		day := func(d int, answers ...string) {
			t.Helper()
			h.at(d, 7, 59)
			h.plan()
			h.at(d, 10, 5)
			for _, a := range answers {
				h.reply(p, a)
			}
			h.at(d, 10, 30)
		}
		day(0, "1")
		if got := h.sentTo("+15125550161"); len(got) != 0 {
			t.Fatalf("after a taken dose the caregiver got %q, want nothing", got)
		}
		day(1, "2", "3") // not yet, then skipped: one dose, one alert
		got := h.sentTo("+15125550161")
		if len(got) != 1 {
			t.Fatalf("caregiver got %q, want one alert", got)
		}
		want := testworld.OrgName + ": Rosa no ha tomado la dosis de lisinopril de las 08:00 de hoy."
		if !strings.HasPrefix(got[0], want) || strings.Contains(got[0], "3") {
			t.Errorf("alert %q, want it to begin %q and quote no answer", got[0], want)
		}
		english := h.sentTo("+15125550165")
		wantEN := testworld.OrgName + ": Rosa has not taken the lisinopril dose of 8:00 AM today. A word from you may help. Reply STOP to end these messages."
		if len(english) != 1 || english[0] != wantEN {
			t.Errorf("English alert %q, want %q", english, wantEN)
		}
		for _, n := range []string{"+15125550162", "+15125550163"} {
			if got := h.sentTo(n); len(got) != 0 {
				t.Errorf("caregiver %s without consent or revoked got %q", n, got)
			}
		}
		alerts := h.events(p, reminders.EventCaregiversAlerted)
		if len(alerts) != 1 || !strings.Contains(string(alerts[0].Payload), "2026-03-11@08:00") {
			t.Errorf("ledger alerts %v, want one for the dose of 2026-03-11", alerts)
		}
		msgs := h.reminders(p, reminders.AlertStep)
		if len(msgs) == 2 && msgs[0].CaregiverID == son.ID {
			msgs[0], msgs[1] = msgs[1], msgs[0]
		}
		if len(msgs) != 2 || msgs[0].CaregiverID != hija.ID || msgs[0].Proxy != rapport.ProxyMissedDose || msgs[0].SentAt.IsZero() {
			t.Fatalf("alert messages %q, want two, one sent to the daughter", bodies(msgs))
		}
		// The alert's events are the caregiver's, not the patient's outreach.
		for _, ev := range h.events(p, rapport.EventMessageSent) {
			if strings.Contains(string(ev.Payload), string(msgs[0].ID)) {
				t.Errorf("alert logged as the patient's message.sent: %s", ev.Payload)
			}
		}
		if evs := h.events(p, "caregiver."+rapport.EventMessageSent); len(evs) != 2 {
			t.Errorf("caregiver.message.sent events: %d, want 2", len(evs))
		}

		// The daughter says STOP: she is confirmed once and hears no more;
		// the patient is not opted out.
		if _, err := simulator.Reply(h.w.Ctx, h.w.Pipeline, rapport.ChannelSMS, "+15125550161", testworld.OurNumber, "ALTO"); err != nil {
			t.Fatal(err)
		}
		h.idle()
		h.at(1, 11, 0)
		if got := h.sentTo("+15125550161"); len(got) != 2 || !strings.Contains(got[1], "se ha dado de baja") {
			t.Fatalf("after STOP the caregiver got %q, want one confirmation", got)
		}
		day(2, "3")
		if got := h.sentTo("+15125550161"); len(got) != 2 {
			t.Errorf("after STOP the caregiver got %q, want nothing more", got)
		}
		var consents []rapport.Consent
		h.tx(func(tx *store.Tx) (err error) { consents, err = tx.FindConsents(h.w.Ctx, p.ID); return err })
		if len(consents) != 0 || len(h.reminders(p, reminders.CheckinStep)) < 3 {
			t.Errorf("the caregiver's STOP reached the patient: consents %+v", consents)
		}
		var cg *rapport.Caregiver
		h.tx(func(tx *store.Tx) (err error) { cg, err = tx.FindCaregiverByID(h.w.Ctx, hija.ID); return err })
		if cg.OptedOutAt.IsZero() {
			t.Error("caregiver not opted out after STOP")
		}
		// The son is still told of the third day's dose.
		if got := h.sentTo("+15125550165"); len(got) != 2 {
			t.Errorf("the son got %q, want two alerts", got)
		}
		var p2 struct{ Dose string }
		if evs := h.events(p, reminders.EventCaregiversAlerted); len(evs) != 2 || json.Unmarshal(evs[1].Payload, &p2) != nil || p2.Dose != "2026-03-12@08:00" {
			t.Errorf("alerts: %d ledger events, want 2, the second for 2026-03-12", len(evs))
		}

		// "Sí" after her STOP: she is subscribed again, told so in Spanish,
		// and alerted of the next missed dose; the patient's consents are
		// untouched and the ledger says who opted in.
		if _, err := simulator.Reply(h.w.Ctx, h.w.Pipeline, rapport.ChannelSMS, "+15125550161", testworld.OurNumber, "Sí"); err != nil {
			t.Fatal(err)
		}
		h.idle()
		h.at(2, 11, 0)
		if got := h.sentTo("+15125550161"); len(got) != 3 || !strings.Contains(got[2], "se ha suscrito de nuevo") {
			t.Fatalf("after START the caregiver got %q, want a confirmation in Spanish", got)
		}
		if evs := h.events(p, rapport.EventCaregiverOptedIn); len(evs) != 1 || !strings.Contains(string(evs[0].Payload), hija.ID) {
			t.Errorf("opt-in events %v, want one naming the daughter", evs)
		}
		day(3, "3")
		if got := h.sentTo("+15125550161"); len(got) != 4 || !strings.Contains(got[3], "no ha tomado") {
			t.Errorf("after START the caregiver got %q, want the next alert", got)
		}
		h.tx(func(tx *store.Tx) (err error) { consents, err = tx.FindConsents(h.w.Ctx, p.ID); return err })
		if len(consents) != 0 {
			t.Errorf("the caregiver's START reached the patient: consents %+v", consents)
		}
	})
}

// TestCaregiverAlertsNeedCheckins: the alerts follow check-in answers.
func TestCaregiverAlertsNeedCheckins(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		p := h.patient("+15125550164")
		r := h.regimen(p, true, false, "08:00")
		h.w.DB.InTx(h.w.Ctx, func(tx *store.Tx) error {
			if err := reminders.SetCaregiverAlerts(h.w.Ctx, tx, r, true); rapport.ErrorCode(err) != rapport.EINVALID {
				t.Errorf("alerts without check-ins: %v, want EINVALID", err)
			}
			return nil
		})
	})
}

// TestCaregiverAlertChannels: the alert reaches each caregiver on their own
// contact points — a call to one whose only number is a landline (without
// the STOP sentence, which a keypad cannot send), an email with a subject
// to one with only an address — saying no more than the text does.
func TestCaregiverAlertChannels(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.checkinAfter = 2 * time.Hour
		p := h.patient("+15125550170")
		r := h.regimen(p, true, false, "08:00")
		h.tx(func(tx *store.Tx) error { return reminders.SetCaregiverAlerts(h.w.Ctx, tx, r, true) })
		phone := h.caregiver(p, "Ana", "+15125550171", "en", true)
		mail := h.caregiver(p, "Lucía", "+15125550172", "es", true)
		h.tx(func(tx *store.Tx) error {
			phone.Contacts[0].Use, phone.Contacts[0].LineType = rapport.UseHome, rapport.LineLandline
			mail.Contacts = []rapport.ContactPoint{{Kind: rapport.ContactEmail, Raw: "lucia@example.org", Value: "lucia@example.org",
				Status: rapport.StatusUnverified, Source: rapport.SourceStaff}}
			return tx.SaveCaregivers(h.w.Ctx, []*rapport.Caregiver{phone, mail})
		})
		h.at(0, 7, 59)
		h.plan()
		h.at(0, 10, 5)
		h.reply(p, "3")
		h.at(0, 10, 30)
		byTo := map[string]channelMessage{}
		for _, m := range h.w.Sim.Sent() {
			byTo[m.To] = channelMessage{m.Channel, m.Subject, m.Body}
		}
		call, email := byTo["+15125550171"], byTo["lucia@example.org"]
		wantCall := testworld.OrgName + ": Rosa has not taken the lisinopril dose of 8:00 AM today. A word from you may help."
		if call.ch != rapport.ChannelVoice || call.body != wantCall {
			t.Errorf("landline caregiver: %s %q, want a call saying %q", call.ch, call.body, wantCall)
		}
		wantMail := testworld.OrgName + ": Rosa no ha tomado la dosis de lisinopril de las 08:00 de hoy."
		if email.ch != rapport.ChannelEmail || email.subject != testworld.OrgName+": una dosis de lisinopril sin tomar" ||
			!strings.HasPrefix(email.body, wantMail) || strings.Contains(email.body, "3") {
			t.Errorf("email caregiver: %s %q %q, want an email beginning %q", email.ch, email.subject, email.body, wantMail)
		}
		if evs := h.events(p, reminders.EventCaregiversAlerted); len(evs) != 1 || strings.Count(string(evs[0].Payload), ",") < 2 {
			t.Errorf("ledger alerts %v, want one naming both messages", evs)
		}
	})
}

type channelMessage struct {
	ch            rapport.Channel
	subject, body string
}
