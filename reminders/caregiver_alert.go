package reminders

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/dosing"
	"github.com/rapporthq/rapport/internal/zones"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// EventCaregiversAlerted records that a missed dose went to the patient's
// caregivers: payload {"regimen", "dose", "messages"}. It is written once
// per regimen and dose, whoever was reached.
const EventCaregiversAlerted rapport.EventKind = "adherence.caregivers_alerted"

// AlertStep is the step of a missed-dose alert to a caregiver.
const AlertStep = "caregiver-missed-dose"

// alertContent is the alert: the patient's first name, the drug and the
// dose's time (all within a reminders scope), never the patient's reply or
// skip reason, which are the conversation's. One GSM-7 segment in either
// language for short names (no accents of ours push it to UCS-2).
// A call speaks it without the STOP sentence (it offers its own key); an
// email has a subject that names no more than the text.
var alertContent = messaging.Content{Fallback: "en", ByLang: map[string]messaging.Text{
	"en": {Subject: "{org}: a missed dose of {drug}",
		Body: "{org}: {patient} has not taken the {drug} dose of {time} {day}. A word from you may help. Reply STOP to end these messages."},
	"es": {Subject: "{org}: una dosis de {drug} sin tomar",
		Body: "{org}: {patient} no ha tomado la dosis de {drug} de las {time} de {day}. Unas palabras suyas pueden ayudar. Responda ALTO para terminar estos mensajes."},
}}

// alertChannels is the order a caregiver is reached in, on their own
// contact points: a text to a mobile, else a call (a landline), else an
// email; a text that fails as a landline goes on as a call.
var alertChannels = []rapport.Channel{rapport.ChannelSMS, rapport.ChannelVoice, rapport.ChannelEmail}

// dayWords name the dose's day as the caregiver reads it.
var dayWords = map[string][2]string{"en": {"today", "yesterday"}, "es": {"hoy", "ayer"}}

// alertCaregivers tells the patient's caregivers that dose (a key of r)
// was not taken, when r asks for it: one message to each caregiver who may
// receive a missed-dose alert, by the first of [alertChannels] their contact
// points allow (consent granted, not revoked or opted out,
// in scope), in the caregiver's language. A dose is alerted at most once,
// however many answers say so; a dose older than yesterday in the
// regimen's zone is not alerted at all (the news is stale). The regimen is
// locked by the caller (FindRegimen), so two answers cannot both alert.
func (h Replies) alertCaregivers(ctx context.Context, tx *store.Tx, r *store.Regimen, dose string) error {
	if !r.AlertCaregivers || r.Status != store.RegimenActive {
		return nil
	}
	d, err := doseOf(dose)
	if err != nil {
		return err
	}
	now := tx.Now()
	day, ok := dayIndex(r, d, now)
	if !ok {
		return nil
	}
	if done, err := alerted(ctx, tx, r, dose, now); done || err != nil {
		return err
	}
	cgs, err := tx.FindCaregiversByPatient(ctx, r.PatientID)
	if err != nil {
		return fmt.Errorf("caregivers of regimen %s: %w", r.ID, err)
	}
	pt, err := tx.FindPatientByID(ctx, r.PatientID)
	if err != nil {
		return fmt.Errorf("patient of regimen %s: %w", r.ID, err)
	}
	var reqs []messaging.Request
	for _, cg := range cgs {
		if !cg.MayReceive(rapport.ProxyMissedDose, now) {
			continue // no message at all: not even a suppressed one names the patient to them
		}
		reqs = append(reqs, alertRequest(r, pt, cg, d, day))
	}
	if len(reqs) == 0 {
		return nil
	}
	ms, err := h.Pipeline.SendMany(ctx, tx, reqs)
	if err != nil {
		return fmt.Errorf("alert caregivers of regimen %s: %w", r.ID, err)
	}
	ids := make([]rapport.MessageID, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return tx.AppendEvents(ctx, regimenEvent(r, EventCaregiversAlerted, map[string]any{"dose": dose, "messages": ids}))
}

// alertRequest is the alert of dose d to one caregiver; day is 0 for
// today, 1 for yesterday.
func alertRequest(r *store.Regimen, pt *rapport.Patient, cg *rapport.Caregiver, d dosing.Dose, day int) messaging.Request {
	lang := cg.Language
	if _, ok := dayWords[lang]; !ok {
		lang = "en"
	}
	return messaging.Request{PatientID: r.PatientID, Caregiver: cg, Proxy: rapport.ProxyMissedDose, Purpose: rapport.PurposeCare,
		Channels: alertChannels, Content: alertContent, Step: AlertStep, Patient: pt,
		Vars: map[string]string{"patient": pt.Given, "drug": drugName(r), "time": spoken(d.Time, lang), "day": dayWords[lang][day],
			"regimen": r.ID, "dose": d.Key}}
}

// dayIndex says whether dose d was today (0) or yesterday (1) at now in
// the regimen's zone; false for any other day.
func dayIndex(r *store.Regimen, d dosing.Dose, now time.Time) (int, bool) {
	loc, err := zones.Load(r.Zone)
	if err != nil {
		loc = time.UTC
	}
	switch dosing.DateOf(now.In(loc)).DaysSince(d.Date) {
	case 0:
		return 0, true
	case 1:
		return 1, true
	}
	return 0, false
}

// alerted reports whether the caregivers were alerted of the dose already.
func alerted(ctx context.Context, tx *store.Tx, r *store.Regimen, dose string, now time.Time) (bool, error) {
	// A dose is alerted only today or yesterday: three days back covers it in any zone.
	evs, err := tx.PatientEvents(ctx, r.PatientID, now.Add(-72*time.Hour), EventCaregiversAlerted)
	if err != nil {
		return false, err
	}
	for _, ev := range evs {
		var p struct{ Regimen, Dose string }
		if json.Unmarshal(ev.Payload, &p) == nil && p.Regimen == r.ID && p.Dose == dose {
			return true, nil
		}
	}
	return false, nil
}

// SetCaregiverAlerts turns the missed-dose alerts to r's caregivers on or
// off and stores it. The alerts follow check-in answers, so turning them
// on needs check-ins (EINVALID otherwise).
func SetCaregiverAlerts(ctx context.Context, tx *store.Tx, r *store.Regimen, on bool) error {
	if on && r.CheckinAfter <= 0 {
		return rapport.Errorf(rapport.EINVALID, "alert_caregivers: needs check-ins (checkin_after_minutes with reminders_requested)")
	}
	r.AlertCaregivers = on
	return tx.UpdateRegimens(ctx, []*store.Regimen{r})
}
