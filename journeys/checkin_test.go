package journeys_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/journey"
)

// fhirPatient is a FHIR Patient with a mobile number, speaking lang.
func fhirPatient(id, given, lang, phone string) string {
	return fmt.Sprintf(`{"resourceType":"Patient","id":%q,"name":[{"given":[%q],"family":"Reyes"}],"birthDate":"1960-05-01",`+
		`"telecom":[{"system":"phone","value":%q,"use":"mobile"}],"address":[{"city":"Austin","state":"TX","postalCode":"78701"}],`+
		`"communication":[{"language":{"coding":[{"system":"urn:ietf:bcp:47","code":%q}]},"preferred":true}]}`, id, given, phone, lang)
}

// fhirEncounter is a FHIR Encounter of a patient.
func fhirEncounter(id, patient, status string, start, end time.Time, typ string) string {
	return fmt.Sprintf(`{"resourceType":"Encounter","id":%q,"status":%q,"class":{"code":"AMB"},"type":[{"text":%q}],"subject":{"reference":"Patient/%s"},`+
		`"period":{"start":%q,"end":%q}}`, id, status, typ, patient, start.Format(time.RFC3339), end.Format(time.RFC3339))
}

// importNDJSON writes bulk NDJSON files into a folder and imports it.
func (h *harness) importNDJSON(files map[string][]string) importer.Summary {
	h.t.Helper()
	dir := h.t.TempDir()
	for name, lines := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			h.t.Fatal(err)
		}
	}
	sum, err := (&importer.Importer{DB: h.db, Source: "ehr"}).ImportFHIR(h.ctx, dir)
	if err != nil {
		h.t.Fatal(err)
	}
	h.idle()
	return sum
}

func (h *harness) byGiven(given string) *rapport.Patient {
	h.t.Helper()
	ps, _, err := h.db.FindPatients(h.ctx, rapport.PatientFilter{Limit: 100})
	if err != nil {
		h.t.Fatal(err)
	}
	for _, p := range ps {
		if p.Given == given {
			return p
		}
	}
	h.t.Fatalf("no patient %s", given)
	return nil
}

// TestPostVisitCheckin imports patients and encounters from FHIR NDJSON;
// the event trigger enrolls those whose visit finished in the
// post-visit check-in, which asks three days after the visit. Better,
// worse (an urgent care-team item and guidance), the same in Spanish, and
// silence (a call, then a care-team task). Visits not finished or long
// past enroll nobody; importing the same data again, or an update of a
// visit, enrolls nobody twice.
func TestPostVisitCheckin(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		if err := h.e.StartTriggers(h.ctx); err != nil {
			t.Fatal(err)
		}
		if err := h.e.StartTriggers(h.ctx); err != nil { // a second process starting: still one trigger job
			t.Fatal(err)
		}
		visitEnd := start.Add(-2 * time.Hour)
		files := map[string][]string{
			"Patient.ndjson": {
				fhirPatient("p1", "Ana", "en", "+15128675301"),
				fhirPatient("p2", "Beto", "en", "+15128675302"),
				fhirPatient("p3", "Cora", "es", "+15128675303"),
				fhirPatient("p4", "Dario", "en", "+15128675304"),
				fhirPatient("p5", "Elena", "en", "+15128675305"),
				fhirPatient("p6", "Fidel", "en", "+15128675306"),
			},
			"Encounter.ndjson": {
				fhirEncounter("e1", "p1", "finished", visitEnd.Add(-time.Hour), visitEnd, "check-up"),
				fhirEncounter("e2", "p2", "finished", visitEnd.Add(-time.Hour), visitEnd, "check-up"),
				fhirEncounter("e3", "p3", "finished", visitEnd.Add(-time.Hour), visitEnd, "check-up"),
				fhirEncounter("e4", "p4", "finished", visitEnd.Add(-time.Hour), visitEnd, "check-up"),
				fhirEncounter("e5", "p5", "in-progress", visitEnd.Add(-time.Hour), visitEnd, "check-up"),
				fhirEncounter("e6", "p6", "finished", start.Add(-20*day), start.Add(-20*day+time.Hour), "check-up"),
			},
		}
		sum := h.importNDJSON(files)
		if c := sum.ByType["Encounter"]; c == nil || c.Created != 6 || sum.ByType["Patient"].Created != 6 {
			t.Fatalf("import: %+v", sum.ByType)
		}
		ana, beto, cora, dario, elena, fidel := h.byGiven("Ana"), h.byGiven("Beto"), h.byGiven("Cora"), h.byGiven("Dario"), h.byGiven("Elena"), h.byGiven("Fidel")

		h.advance(2 * day)
		if n := len(h.sim.Sent()); n != 0 {
			t.Fatalf("%d messages before the third day", n)
		}
		h.importNDJSON(files)                                                                                                 // the same data again
		files["Encounter.ndjson"][0] = fhirEncounter("e1", "p1", "finished", visitEnd.Add(-time.Hour), visitEnd, "follow-up") // an update
		h.importNDJSON(files)
		h.advance(1 * day)

		for _, p := range []*rapport.Patient{ana, beto, cora, dario} {
			ens := h.enrollments(p, "post-visit-checkin")
			if len(ens) != 1 {
				t.Fatalf("%s: %d check-in enrollments, want 1", p.Given, len(ens))
			}
			ms := h.sent(p.Contacts[0].Value)
			if len(ms) != 1 || ms[0].Channel != rapport.ChannelSMS {
				t.Fatalf("%s: messages %q, want the question by SMS", p.Given, bodies(ms))
			}
		}
		if got := h.lastSent("+15128675303").Body; got != "Hola Cora, le escribe Valley Clinic. ¿Cómo se siente después de su visita? Responda 1 mejor, 2 igual, 3 peor." {
			t.Errorf("Cora's question: %q", got)
		}
		for _, p := range []*rapport.Patient{elena, fidel} {
			if ens := h.enrollments(p, "post-visit-checkin"); len(ens) != 0 {
				t.Errorf("%s is enrolled: their visit is not finished or long past", p.Given)
			}
		}

		h.text("+15128675301", "1")
		h.text("+15128675302", "3")
		h.text("+15128675303", "2")
		h.advance(2 * day) // Dario's silence: a call
		if m := h.lastSent("+15128675304"); m.Channel != rapport.ChannelVoice {
			t.Errorf("Dario's retry by %s, want a call", m.Channel)
		}
		h.advance(2 * day) // and silence again: a task for staff

		h.wantPath("Ana", ana, "post-visit-checkin", "ask wait_ask better thanks_better end")
		h.wantOutcomes("Ana", ana, "post-visit-checkin", outcome{Outcome: "better"})
		h.wantPath("Beto", beto, "post-visit-checkin", "ask wait_ask worse alert_team guidance_worse end")
		h.wantOutcomes("Beto", beto, "post-visit-checkin", outcome{Outcome: "worse"})
		h.wantPath("Cora", cora, "post-visit-checkin", "ask wait_ask same guidance_same end")
		h.wantOutcomes("Cora", cora, "post-visit-checkin", outcome{Outcome: "same"})
		h.wantPath("Dario", dario, "post-visit-checkin", "ask wait_ask retry wait_retry reach_otherwise no_reply end")
		h.wantOutcomes("Dario", dario, "post-visit-checkin", outcome{Outcome: "no_reply"})

		if got := h.lastSent("+15128675302").Body; !strings.Contains(got, "A nurse will call you today") {
			t.Errorf("Beto's guidance: %q", got)
		}
		if got := h.lastSent("+15128675303").Body; !strings.Contains(got, "Recuperarse toma tiempo") {
			t.Errorf("Cora's guidance: %q", got)
		}
		if items := h.inbox(beto); len(items) != 1 || items[0].Priority != rapport.PriorityUrgent || items[0].Journey != "post-visit-checkin" {
			t.Errorf("Beto's inbox: %+v, want one urgent item", items)
		}
		if items := h.inbox(dario); len(items) != 1 || items[0].Priority != rapport.PriorityNormal || !strings.Contains(items[0].Summary, "other means") {
			t.Errorf("Dario's inbox: %+v, want a task to reach him by other means", items)
		}
		for _, p := range []*rapport.Patient{ana, cora} {
			if items := h.inbox(p); len(items) != 0 {
				t.Errorf("%s's inbox: %+v", p.Given, items)
			}
		}
		evs := h.events(ana.ID, rapport.EventJourneyEnrolled)
		// An update of the visit after the check-in ended fires the trigger
		// again for the same visit: nobody is asked twice.
		files["Encounter.ndjson"][0] = fhirEncounter("e1", "p1", "finished", visitEnd.Add(-time.Hour), visitEnd, "follow-up, coded")
		if sum := h.importNDJSON(files); sum.ByType["Encounter"].Updated != 1 {
			t.Fatalf("second update: %+v", sum.ByType["Encounter"])
		}
		h.advance(1 * day)
		if ens := h.enrollments(ana, "post-visit-checkin"); len(ens) != 1 || len(h.sent("+15128675301")) != 2 {
			t.Errorf("Ana after an update of her finished visit: %d enrollments, %d messages", len(ens), len(h.sent("+15128675301")))
		}

		// One trigger job all along, though StartTriggers ran twice.
		var live int
		if err := h.db.SQLDB().QueryRowContext(h.ctx, "SELECT count(*) FROM river_job WHERE kind = 'journey_triggers' AND state IN ('available', 'pending', 'running', 'scheduled', 'retryable')").Scan(&live); err != nil || live != 1 {
			t.Errorf("%d live trigger jobs (%v), want 1", live, err)
		}

		var enrolled struct{ Trigger string }
		if len(evs) != 1 || json.Unmarshal(evs[0].Payload, &enrolled) != nil || enrolled.Trigger != "encounter.finished" {
			t.Errorf("Ana's enrollment events: %d, the first triggered by %q", len(evs), enrolled.Trigger)
		}
	})
}

// welcomeJourney is triggered by a patient's import, for Spanish speakers only.
const welcomeJourney = `id: welcome
version: 1
trigger:
  event: {kind: patient.imported, where: 'language == "es"'}
segment: has_mobile
steps:
  - id: hello
    send:
      purpose: care
      content:
        fallback: en
        by_lang:
          en: {body: "Welcome to {org}, {first_name}."}
          es: {body: "Bienvenido a {org}, {first_name}."}
`

// TestPatientImportedTrigger checks an event trigger's where and the
// journey's segment: of three imported patients only the Spanish speaker
// with a mobile number is welcomed, once, though imported twice.
func TestPatientImportedTrigger(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		def, err := journey.Parse("welcome.yaml", []byte(welcomeJourney))
		if err != nil {
			t.Fatal(err)
		}
		if err := h.e.Register(h.ctx, def); err != nil {
			t.Fatal(err)
		}
		if err := h.e.StartTriggers(h.ctx); err != nil {
			t.Fatal(err)
		}
		noPhone := strings.Replace(fhirPatient("p3", "Cora", "es", "+15128675603"), `"telecom":[{"system":"phone","value":"+15128675603","use":"mobile"}],`, "", 1)
		files := map[string][]string{"Patient.ndjson": {
			fhirPatient("p1", "Ana", "es", "+15128675601"),
			fhirPatient("p2", "Beto", "en", "+15128675602"),
			noPhone,
		}}
		h.importNDJSON(files)
		h.advance(10 * time.Minute)
		h.importNDJSON(files)
		h.advance(10 * time.Minute)
		if ms := h.sent("+15128675601"); len(ms) != 1 || ms[0].Body != "Bienvenido a Valley Clinic, Ana." {
			t.Errorf("Ana: %q, want one welcome in Spanish", bodies(ms))
		}
		if ms := h.sent("+15128675602"); len(ms) != 0 {
			t.Errorf("Beto speaks English but got %q", bodies(ms))
		}
		if ens := h.enrollments(h.byGiven("Cora"), "welcome"); len(ens) != 0 {
			t.Errorf("Cora has no mobile but is enrolled")
		}
	})
}
