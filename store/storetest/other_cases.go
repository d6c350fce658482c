package storetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// testManyEvents appends more events at once than PostgreSQL is sent by
// multi-row INSERT (it gets them by COPY): each comes back as it went in,
// in the order given.
func testManyEvents(t *testing.T, s suite) {
	var evs []rapport.Event
	for i := range 40 {
		e := rapport.Event{Kind: "message.queued", Channel: rapport.ChannelEmail, Journey: "outreach", Campaign: "c1"}
		switch i % 3 {
		case 0:
			e.PatientID = rapport.PatientID(fmt.Sprintf("p%02d", i))
			e.Payload = json.RawMessage(fmt.Sprintf(`{"n":%d}`, i))
		case 1:
			e.Kind, e.Campaign, e.At = "system.note", "", Start.Add(time.Duration(i)*time.Minute)
		}
		evs = append(evs, e)
	}
	s.tx(t, func(tx *store.Tx) error { return tx.AppendEvents(s.ctx, evs...) })
	got, err := s.db.FindEvents(s.ctx, rapport.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(evs) {
		t.Fatalf("%d events back, want %d", len(got), len(evs))
	}
	for i, g := range got {
		w := evs[i]
		at := w.At
		if at.IsZero() {
			at = Start
		}
		payload := "{}"
		if w.Payload != nil {
			payload = string(w.Payload)
		}
		if i > 0 && g.Seq <= got[i-1].Seq {
			t.Errorf("event %d: seq %d after %d", i, g.Seq, got[i-1].Seq)
		}
		if g.PatientID != w.PatientID || g.Kind != w.Kind || g.Channel != w.Channel || g.Journey != w.Journey ||
			g.Campaign != w.Campaign || !g.At.Equal(at) || compactJSON(t, g.Payload) != payload {
			t.Errorf("event %d = %+v (payload %s), want %+v", i, g, g.Payload, w)
		}
	}
}

func compactJSON(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatalf("payload %q: %v", raw, err)
	}
	return b.String()
}

func testLedgerAppendOnly(t *testing.T, s suite) {
	s.tx(t, func(tx *store.Tx) error {
		return tx.AppendEvents(s.ctx,
			rapport.Event{PatientID: "p1", Kind: "message.sent", Channel: rapport.ChannelSMS, Campaign: "c1", Payload: json.RawMessage(`{"segments":2}`)},
			rapport.Event{Kind: "system.note"})
	})
	evs, err := s.db.FindEvents(s.ctx, rapport.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Seq >= evs[1].Seq || evs[0].Campaign != "c1" || !evs[0].At.Equal(Start) || evs[1].PatientID != "" {
		t.Fatalf("events = %+v", evs)
	}
	var payload map[string]int
	if err := json.Unmarshal(evs[0].Payload, &payload); err != nil || payload["segments"] != 2 {
		t.Errorf("payload = %s (%v)", evs[0].Payload, err)
	}
	for _, q := range []string{"UPDATE ledger SET kind = 'tampered'", "DELETE FROM ledger"} {
		if _, err := s.db.SQLDB().ExecContext(s.ctx, q); err == nil {
			t.Errorf("%s: succeeded on an append-only ledger", q)
		}
	}
	evs, _ = s.db.FindEvents(s.ctx, rapport.EventFilter{Campaign: "c1"})
	if len(evs) != 1 || evs[0].Kind != "message.sent" {
		t.Errorf("after tampering attempts: %+v", evs)
	}
}

func testConsent(t *testing.T, s suite) {
	p := samplePatient()
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{p}) })
	s.tx(t, func(tx *store.Tx) error {
		return tx.RecordConsent(s.ctx, &rapport.Consent{PatientID: p.ID, Channel: rapport.ChannelSMS, Purpose: rapport.PurposeOutreach, Decision: rapport.OptOut, Source: rapport.SourcePatient, Evidence: "STOP"})
	})
	s.clock.Advance(time.Minute)
	s.tx(t, func(tx *store.Tx) error {
		return tx.RecordConsent(s.ctx, &rapport.Consent{PatientID: p.ID, Channel: rapport.ChannelSMS, Purpose: rapport.PurposeCare, Decision: rapport.OptIn, Source: rapport.SourcePatient})
	})
	cs, err := s.db.FindConsents(s.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Evidence != "STOP" || !cs[1].RecordedAt.Equal(Start.Add(time.Minute)) {
		t.Fatalf("consents = %+v", cs)
	}
	if rapport.Allowed(cs, rapport.ChannelSMS, rapport.PurposeOutreach) || !rapport.Allowed(cs, rapport.ChannelSMS, rapport.PurposeCare) {
		t.Errorf("allowed: wrong decision from %+v", cs)
	}
	err = s.db.InTx(s.ctx, func(tx *store.Tx) error {
		return tx.RecordConsent(s.ctx, &rapport.Consent{PatientID: p.ID, Channel: "fax", Purpose: rapport.PurposeCare, Decision: rapport.OptIn})
	})
	if rapport.ErrorCode(err) != rapport.EINVALID {
		t.Errorf("bad channel: err = %v", err)
	}
	evs, _ := s.db.FindEvents(s.ctx, rapport.EventFilter{PatientID: p.ID, Kind: rapport.EventConsentRecorded})
	if len(evs) != 2 {
		t.Errorf("consent events = %d, want 2", len(evs))
	}
}

func testSourceRecords(t *testing.T, s suite) {
	recs := []store.SourceRecord{
		{Source: "ehr", ResourceType: "Patient", ResourceID: "a", EntityID: "p1", ContentHash: "h1"},
		{Source: "ehr", ResourceType: "Patient", ResourceID: "b", EntityID: "p2", ContentHash: "h2"},
	}
	s.tx(t, func(tx *store.Tx) error { return tx.PutSourceRecords(s.ctx, recs) })
	recs[0].ContentHash = "h1-changed"
	s.tx(t, func(tx *store.Tx) error { return tx.PutSourceRecords(s.ctx, recs[:1]) })
	s.tx(t, func(tx *store.Tx) error {
		got, err := tx.FindSourceRecords(s.ctx, "ehr", "Patient", []string{"a", "b", "c"})
		if err != nil {
			return err
		}
		if len(got) != 2 || got["a"].ContentHash != "h1-changed" || got["b"].EntityID != "p2" {
			t.Errorf("source records = %+v", got)
		}
		other, err := tx.FindSourceRecords(s.ctx, "crm", "Patient", []string{"a"})
		if err != nil || len(other) != 0 {
			t.Errorf("other source sees %v (%v)", other, err)
		}
		return nil
	})
}

func testPendingRefs(t *testing.T, s suite) {
	p := samplePatient()
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{p}) })
	npi := &rapport.Identifier{System: "http://hl7.org/fhir/sid/us-npi", Value: "9999"}
	enc := &rapport.Encounter{PatientID: p.ID, Status: "finished", Start: Start, End: Start.Add(time.Hour),
		Practitioner: rapport.Ref{Identifier: npi}, Location: rapport.Ref{Source: "ehr", ResourceID: "loc-1"}}
	s.tx(t, func(tx *store.Tx) error {
		if _, ok, err := tx.ResolveRef(s.ctx, "Practitioner", enc.Practitioner); ok || err != nil {
			t.Errorf("unknown practitioner resolved: %v %v", ok, err)
		}
		return tx.SaveEncounter(s.ctx, enc)
	})
	s.tx(t, func(tx *store.Tx) error {
		if err := tx.SavePractitioner(s.ctx, &rapport.Practitioner{Family: "Osler", Identifiers: []rapport.Identifier{*npi}}); err != nil {
			return err
		}
		resolved, waiting, err := tx.ResolvePendingRefs(s.ctx)
		if resolved != 1 || waiting != 1 {
			t.Errorf("first pass: resolved %d waiting %d, want 1 and 1", resolved, waiting)
		}
		return err
	})
	s.tx(t, func(tx *store.Tx) error {
		loc := &rapport.Location{Name: "Clinic"}
		if err := tx.SaveLocation(s.ctx, loc); err != nil {
			return err
		}
		if err := tx.PutSourceRecords(s.ctx, []store.SourceRecord{{Source: "ehr", ResourceType: "Location", ResourceID: "loc-1", EntityID: loc.ID, ContentHash: "x"}}); err != nil {
			return err
		}
		resolved, waiting, err := tx.ResolvePendingRefs(s.ctx)
		if resolved != 1 || waiting != 0 {
			t.Errorf("second pass: resolved %d waiting %d, want 1 and 0", resolved, waiting)
		}
		return err
	})
	// Two practitioners sharing an identifier: ambiguous, never guessed.
	s.tx(t, func(tx *store.Tx) error {
		dup := rapport.Identifier{System: "x", Value: "shared"}
		for range 2 {
			if err := tx.SavePractitioner(s.ctx, &rapport.Practitioner{Identifiers: []rapport.Identifier{dup}}); err != nil {
				return err
			}
		}
		if _, ok, err := tx.ResolveRef(s.ctx, "Practitioner", rapport.Ref{Identifier: &dup}); ok || err != nil {
			t.Errorf("ambiguous reference resolved: %v %v", ok, err)
		}
		return nil
	})
}

func testPossibleDuplicates(t *testing.T, s suite) {
	a, b := samplePatient(), samplePatient()
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{a, b}) })
	for range 2 {
		s.tx(t, func(tx *store.Tx) error { return tx.AddPossibleDuplicate(s.ctx, b.ID, a.ID, "shared identifier SS") })
	}
	ds, err := s.db.FindPossibleDuplicates(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Reason != "shared identifier SS" {
		t.Errorf("duplicates = %+v", ds)
	}
	evs, _ := s.db.FindEvents(s.ctx, rapport.EventFilter{Kind: rapport.EventPossibleDuplicate})
	if len(evs) != 2 {
		t.Errorf("duplicate events = %d, want 2 (one per patient, recorded once)", len(evs))
	}
}

var errAbort = errors.New("abort")

func testRollback(t *testing.T, s suite) {
	err := s.db.InTx(s.ctx, func(tx *store.Tx) error {
		if err := tx.CreatePatients(s.ctx, []*rapport.Patient{samplePatient()}); err != nil {
			return err
		}
		if err := tx.AppendEvents(s.ctx, rapport.Event{Kind: "x"}); err != nil {
			return err
		}
		return errAbort
	})
	if !errors.Is(err, errAbort) {
		t.Fatalf("err = %v", err)
	}
	counts, err := s.db.Counts(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for table, n := range counts {
		if n != 0 {
			t.Errorf("%s has %d rows after rollback", table, n)
		}
	}
}

// testAllOrNothing: in an all-or-nothing transaction a failing statement
// (a patient inserted twice) fails, the caller's rollback succeeds, and
// nothing written before the failure is kept.
func testAllOrNothing(t *testing.T, s suite) {
	p := samplePatient()
	tx, err := s.db.Begin(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx.AllOrNothing()
	if err := tx.CreatePatients(s.ctx, []*rapport.Patient{p}); err != nil {
		t.Fatal(err)
	}
	again := samplePatient()
	again.ID = p.ID
	if err := tx.CreatePatients(s.ctx, []*rapport.Patient{again}); err == nil {
		t.Fatal("inserting a patient twice: no error")
	}
	if err := tx.Rollback(s.ctx); err != nil {
		t.Errorf("rollback after the failure: %v", err)
	}
	counts, err := s.db.Counts(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for table, n := range counts {
		if n != 0 {
			t.Errorf("%s has %d rows after the failed transaction", table, n)
		}
	}
	// The connection is usable again.
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{samplePatient()}) })
}

func testClinicalReplace(t *testing.T, s suite) {
	p := samplePatient()
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{p}) })
	req := &rapport.MedicationRequest{PatientID: p.ID, Status: "active", Medication: rapport.Code{System: "rxnorm", Code: "314076", Display: "lisinopril 10 MG"},
		Dosage: rapport.Dosage{Frequency: 1, Period: 1, PeriodUnit: "d", TimesOfDay: []string{"08:00"}}, DaysSupply: 30}
	cond := &rapport.Condition{PatientID: p.ID, Code: rapport.Code{System: "snomed", Code: "59621000", Display: "Essential hypertension"}, Onset: Start}
	s.tx(t, func(tx *store.Tx) error {
		if err := tx.SaveMedicationRequest(s.ctx, req); err != nil {
			return err
		}
		if err := tx.SaveCondition(s.ctx, cond); err != nil {
			return err
		}
		d := &rapport.MedicationDispense{PatientID: p.ID, RequestID: req.ID, Status: "completed", Medication: req.Medication, DaysSupply: 30, HandedOver: Start}
		if err := tx.SaveMedicationDispense(s.ctx, d); err != nil {
			return err
		}
		return tx.SaveAppointment(s.ctx, &rapport.Appointment{PatientID: p.ID, Status: "booked", Start: Start.Add(48 * time.Hour)})
	})
	cond.ClinicalStatus = "resolved"
	s.tx(t, func(tx *store.Tx) error { return tx.SaveCondition(s.ctx, cond) })
	counts, err := s.db.Counts(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts["conditions"] != 1 || counts["medication_requests"] != 1 || counts["medication_dispenses"] != 1 || counts["appointments"] != 1 {
		t.Errorf("counts after replace = %v", counts)
	}
}

// testUpdateEnrollments: enrollments written together (groups of 64, 4
// and 2 here) read back as each was changed.
func testUpdateEnrollments(t *testing.T, s suite) {
	p := samplePatient()
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{p}) })
	var ens []*rapport.Enrollment
	for i := range 70 {
		ens = append(ens, &rapport.Enrollment{Journey: fmt.Sprintf("j%02d", i), Version: 1, PatientID: p.ID, Step: "offer",
			Status: rapport.EnrollmentActive, WakeAt: Start, Vars: map[string]string{}})
	}
	s.tx(t, func(tx *store.Tx) error { return tx.CreateEnrollments(s.ctx, ens) })
	s.clock.Advance(time.Minute)
	for i, en := range ens {
		en.Step, en.Status, en.WaitingFor = fmt.Sprintf("wait%d", i), rapport.EnrollmentWaiting, rapport.MessageID(fmt.Sprintf("m%d", i))
		en.WakeAt = Start.Add(time.Duration(i)*time.Hour + 1500*time.Microsecond) // rounded up to the ms
		en.Vars = map[string]string{"i": fmt.Sprint(i)}
		en.Outcome = fmt.Sprintf("o%d", i)
	}
	s.tx(t, func(tx *store.Tx) error { return tx.UpdateEnrollments(s.ctx, ens) })
	ids := make([]string, len(ens))
	for i, en := range ens {
		ids[i] = en.ID
	}
	var got []*rapport.Enrollment
	s.tx(t, func(tx *store.Tx) (err error) {
		got, err = tx.FindEnrollmentsByID(s.ctx, ids)
		return err
	})
	byID := map[string]*rapport.Enrollment{}
	for _, en := range got {
		byID[en.ID] = en
	}
	for i, want := range ens {
		g := byID[want.ID]
		if g == nil {
			t.Fatalf("enrollment %d missing", i)
		}
		if g.Step != want.Step || g.Status != want.Status || g.WaitingFor != want.WaitingFor || g.Outcome != want.Outcome ||
			!g.WakeAt.Equal(Start.Add(time.Duration(i)*time.Hour+2*time.Millisecond)) || g.Vars["i"] != fmt.Sprint(i) || !g.UpdatedAt.Equal(s.clock.Now()) {
			t.Errorf("enrollment %d = %+v, want %+v (wake at %v)", i, g, want, Start.Add(time.Duration(i)*time.Hour+2*time.Millisecond))
		}
	}
}
