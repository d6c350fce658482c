package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

func sampleCaregiver(pid rapport.PatientID) *rapport.Caregiver {
	return &rapport.Caregiver{PatientID: pid, Identifiers: []rapport.Identifier{{System: "http://hospital.example/related", Value: "R-1"}},
		Given: "Rosa", Family: "Núñez", Relationship: rapport.Code{System: rapport.RoleCodeSystem, Code: "DAU", Display: "daughter"},
		Contacts: []rapport.ContactPoint{
			{Kind: rapport.ContactPhone, Raw: "(512) 555-0142", Value: "+15125550142", Use: rapport.UseMobile, Rank: 1, LineType: rapport.LineMobile,
				Region: "US", Status: rapport.StatusValid, Source: rapport.SourceImport},
			{Kind: rapport.ContactEmail, Raw: "rosa@example.org", Value: "rosa@example.org", Status: rapport.StatusUnverified, Source: rapport.SourceImport,
				Flags: []rapport.ContactFlag{{Code: rapport.FlagRole, Reason: "test"}}},
		},
		Language: "es", Scope: rapport.ScopeConversation, Consent: rapport.ConsentGranted, ConsentAt: Start.Add(-24 * time.Hour), ConsentSource: rapport.SourceStaff,
		PeriodStart: Start.Add(-48 * time.Hour)}
}

// testCaregivers: a caregiver and its contact points round-trip; its
// contact points never show up as the patient's; saving again keeps
// created_at and what was learned of a contact point still listed, and
// drops the ones no longer listed.
func testCaregivers(t *testing.T, s suite) {
	p, other := samplePatient(), samplePatient()
	other.Identifiers = nil
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{p, other}) })
	c := sampleCaregiver(p.ID)
	s.tx(t, func(tx *store.Tx) error { return tx.SaveCaregiver(s.ctx, c) })
	if c.ID == "" || c.Contacts[0].ID == "" {
		t.Fatal("ids were not assigned")
	}
	want := *sampleCaregiver(p.ID)
	want.ID, want.CreatedAt, want.UpdatedAt = c.ID, Start, Start
	want.Contacts = []rapport.ContactPoint{want.Contacts[1], want.Contacts[0]} // by kind, rank, raw
	for i := range want.Contacts {
		want.Contacts[i].ID, want.Contacts[i].StatusAt, want.Contacts[i].AddedAt = c.Contacts[1-i].ID, Start, Start
	}
	got, err := s.db.FindCaregiversByPatient(s.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !reflect.DeepEqual(got[0], &want) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, &want)
	}
	if none, err := s.db.FindCaregiversByPatient(s.ctx, other.ID); err != nil || len(none) != 0 {
		t.Errorf("other patient's caregivers = %v, %v", none, err)
	}
	if _, err := s.db.FindCaregiverByID(s.ctx, "nope"); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Errorf("unknown caregiver: %v", err)
	}

	// The caregiver's number is nobody's patient number.
	if cps, err := s.db.FindContactPointsByValue(s.ctx, rapport.ContactPhone, "+15125550142"); err != nil || len(cps) != 0 {
		t.Errorf("caregiver's phone found as a patient's contact point: %v, %v", cps, err)
	}
	if ps, _, err := s.db.FindPatients(s.ctx, rapport.PatientFilter{Phone: "+15125550142"}); err != nil || len(ps) != 0 {
		t.Errorf("caregiver's phone finds patients: %v, %v", ps, err)
	}
	if pp, err := s.db.FindPatientByID(s.ctx, p.ID); err != nil || len(pp.Contacts) != len(p.Contacts) {
		t.Errorf("patient's contacts after adding a caregiver: %v, %v", pp, err)
	}

	// Saved again an hour later, as a re-import would: the phone is listed
	// again (freshly judged unverified), the email is dropped, a landline added.
	s.clock.Advance(time.Hour)
	again := sampleCaregiver(p.ID)
	again.ID, again.Given = c.ID, "Rosa Elena"
	again.Contacts[0].Status = rapport.StatusUnverified
	again.Contacts[1] = rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: "361 555 0188", Value: "+13615550188", Use: rapport.UseHome, Rank: 2,
		Status: rapport.StatusUnverified, Source: rapport.SourceImport}
	s.tx(t, func(tx *store.Tx) error { return tx.SaveCaregivers(s.ctx, []*rapport.Caregiver{again}) })
	g, err := s.db.FindCaregiverByID(s.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if g.Given != "Rosa Elena" || !g.CreatedAt.Equal(Start) || !g.UpdatedAt.Equal(Start.Add(time.Hour)) || len(g.Contacts) != 2 {
		t.Fatalf("after save again: %+v", g)
	}
	phone := g.Contacts[0]
	if phone.ID != c.Contacts[0].ID || phone.Status != rapport.StatusValid || !phone.AddedAt.Equal(Start) {
		t.Errorf("kept phone = %+v, want id %s, still valid, added at start", phone, c.Contacts[0].ID)
	}
	if g.Contacts[1].Raw != "361 555 0188" || !g.Contacts[1].AddedAt.Equal(Start.Add(time.Hour)) {
		t.Errorf("new contact = %+v", g.Contacts[1])
	}
	counts, err := s.db.Counts(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts["caregivers"] != 1 || counts["caregiver_contacts"] != 2 {
		t.Errorf("counts = %v", counts)
	}
}

// testCaregiverRevoke: a revocation is stored with who and when, written
// to the ledger, and refused a second time.
func testCaregiverRevoke(t *testing.T, s suite) {
	p := samplePatient()
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{p}) })
	c := sampleCaregiver(p.ID)
	s.tx(t, func(tx *store.Tx) error { return tx.SaveCaregiver(s.ctx, c) })
	s.clock.Advance(time.Minute)
	s.tx(t, func(tx *store.Tx) error {
		r, err := tx.RevokeCaregiver(s.ctx, c.ID, rapport.SourcePatient, "texted STOP HELPER")
		if err == nil && (!r.RevokedAt.Equal(Start.Add(time.Minute)) || r.MayReceive(rapport.ProxyDoseReminder, Start.Add(time.Hour))) {
			t.Errorf("revoked caregiver = %+v", r)
		}
		return err
	})
	g, err := s.db.FindCaregiverByID(s.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !g.RevokedAt.Equal(Start.Add(time.Minute)) || g.RevokedBy != rapport.SourcePatient || g.RevokeReason != "texted STOP HELPER" || len(g.Contacts) != 2 {
		t.Errorf("stored revocation = %+v", g)
	}
	evs, err := s.db.FindEvents(s.ctx, rapport.EventFilter{PatientID: p.ID, Kind: rapport.EventCaregiverRevoked})
	if err != nil || len(evs) != 1 {
		t.Fatalf("revocation events = %v, %v", evs, err)
	}
	err = s.db.InTx(s.ctx, func(tx *store.Tx) error {
		_, err := tx.RevokeCaregiver(s.ctx, c.ID, rapport.SourceStaff, "")
		return err
	})
	if rapport.ErrorCode(err) != rapport.ECONFLICT {
		t.Errorf("second revoke: %v, want ECONFLICT", err)
	}
	err = s.db.InTx(s.ctx, func(tx *store.Tx) error {
		_, err := tx.RevokeCaregiver(s.ctx, "nope", rapport.SourceStaff, "")
		return err
	})
	if rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Errorf("revoke unknown: %v, want ENOTFOUND", err)
	}
}
