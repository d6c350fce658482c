package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

func ptr[T any](v T) *T { return &v }

func samplePatient() *rapport.Patient {
	return &rapport.Patient{
		Identifiers: []rapport.Identifier{
			{System: "http://hospital.example/mrn", Value: "MRN-1", Type: "MR"},
			{System: "http://hl7.org/fhir/sid/us-ssn", Value: "999-12-3456", Type: "SS"},
		},
		Given: "Ana María", Family: "Núñez", BirthDate: "1958-02-28", Sex: rapport.SexFemale, Language: "es",
		TimeZone: "America/Chicago", Rural: true, RuralStated: true, RUCA: 2, InternetAccess: ptr(false),
		Address: rapport.Address{Lines: []string{"Rural Route 2", "Box 17"}, City: "Alice", State: "TX", PostalCode: "78332", Country: "US",
			Flags: []rapport.ContactFlag{{Code: rapport.FlagPostalMismatch, Reason: "ZIP 78332 is in TX, not NM"}}},
		Contacts: []rapport.ContactPoint{
			{Kind: rapport.ContactPhone, Raw: "(361) 555-0134", Value: "", Use: rapport.UseMobile, Status: rapport.StatusInvalid,
				StatusReason: "area code 555 is not assigned", Source: rapport.SourceImport, Rank: 1,
				Flags: []rapport.ContactFlag{{Code: rapport.FlagFictional, Reason: "555-0100 to 555-0199 are reserved for fiction"}}},
			{Kind: rapport.ContactEmail, Raw: "info@exmaple.org", Value: "info@exmaple.org", Status: rapport.StatusUnverified, Source: rapport.SourceImport,
				Suggestion: "info@example.org", Flags: []rapport.ContactFlag{{Code: rapport.FlagTypo, Reason: "a typo"}, {Code: rapport.FlagRole, Reason: "a role"}}},
		},
	}
}

func testMigrateTwice(t *testing.T, s suite) {
	if err := s.db.Migrate(s.ctx); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
}

func testPatientRoundTrip(t *testing.T, s suite) {
	p := samplePatient()
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{p}) })
	if p.ID == "" || p.Contacts[0].ID == "" {
		t.Fatal("ids were not assigned")
	}
	got, err := s.db.FindPatientByID(s.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := *p
	want.CreatedAt, want.UpdatedAt = Start, Start
	for i := range want.Contacts {
		want.Contacts[i].PatientID, want.Contacts[i].StatusAt = p.ID, Start
	}
	// Stored order: identifiers by system and value; contacts by kind, rank, raw.
	want.Identifiers = []rapport.Identifier{want.Identifiers[1], want.Identifiers[0]}
	want.Contacts = []rapport.ContactPoint{want.Contacts[1], want.Contacts[0]}
	if !reflect.DeepEqual(got, &want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, &want)
	}
	// Within a kind, by rank, then raw value.
	phone := func(rank int, raw string) rapport.ContactPoint {
		return rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: raw, Rank: rank, Status: rapport.StatusUnverified, Source: rapport.SourceImport}
	}
	ranked := &rapport.Patient{Given: "Rita", Contacts: []rapport.ContactPoint{phone(2, "361 555 0101"), phone(1, "512 555 0199"), phone(1, "512 555 0100")}}
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{ranked}) })
	if got, err := s.db.FindPatientByID(s.ctx, ranked.ID); err != nil || len(got.Contacts) != 3 ||
		got.Contacts[0].Raw != "512 555 0100" || got.Contacts[1].Raw != "512 555 0199" || got.Contacts[2].Raw != "361 555 0101" {
		t.Errorf("contacts of one kind: %+v, %v; want rank 1 (by raw value), then rank 2", got, err)
	}
	if _, err := s.db.FindPatientByID(s.ctx, "nope"); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Errorf("missing patient: err = %v, want ENOTFOUND", err)
	}
	// Unknown internet access stays unknown.
	q := &rapport.Patient{Given: "Bo", Family: "Li"}
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{q}) })
	got, err = s.db.FindPatientByID(s.ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.InternetAccess != nil || got.Rural {
		t.Errorf("unknown flags: internet %v rural %v", got.InternetAccess, got.Rural)
	}
}

func testFindPatients(t *testing.T, s suite) {
	a, b := samplePatient(), samplePatient()
	b.Identifiers = []rapport.Identifier{{System: "http://hospital.example/mrn", Value: "MRN-2"}}
	b.Contacts = []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: "+1 512 555 0100", Value: "+15125550100", Status: rapport.StatusValid, Source: rapport.SourceImport}}
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{a, b}) })

	cases := []struct {
		name string
		f    rapport.PatientFilter
		want []rapport.PatientID
	}{
		{"all", rapport.PatientFilter{}, []rapport.PatientID{a.ID, b.ID}},
		{"identifier with system", rapport.PatientFilter{Identifier: &rapport.Identifier{System: "http://hospital.example/mrn", Value: "MRN-2"}}, []rapport.PatientID{b.ID}},
		{"identifier value only", rapport.PatientFilter{Identifier: &rapport.Identifier{Value: "MRN-1"}}, []rapport.PatientID{a.ID}},
		{"identifier wrong system", rapport.PatientFilter{Identifier: &rapport.Identifier{System: "x", Value: "MRN-1"}}, nil},
		{"phone", rapport.PatientFilter{Phone: "+15125550100"}, []rapport.PatientID{b.ID}},
		{"limit", rapport.PatientFilter{Limit: 1}, []rapport.PatientID{a.ID}},
		{"offset", rapport.PatientFilter{Limit: 1, Offset: 1}, []rapport.PatientID{b.ID}},
	}
	for _, c := range cases {
		ps, total, err := s.db.FindPatients(s.ctx, c.f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var ids []rapport.PatientID
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
		if !reflect.DeepEqual(ids, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, ids, c.want)
		}
		if c.f.Limit == 0 && total != len(c.want) {
			t.Errorf("%s: total %d, want %d", c.name, total, len(c.want))
		}
	}
	byID, err := func() (m map[rapport.Identifier][]rapport.PatientID, err error) {
		err = s.db.InTx(s.ctx, func(tx *store.Tx) error {
			m, err = tx.FindPatientsByIdentifier(s.ctx, []rapport.Identifier{{System: "http://hospital.example/mrn", Value: "MRN-1"}, {System: "x", Value: "y"}})
			return err
		})
		return m, err
	}()
	if err != nil {
		t.Fatal(err)
	}
	if got := byID[rapport.Identifier{System: "http://hospital.example/mrn", Value: "MRN-1"}]; !reflect.DeepEqual(got, []rapport.PatientID{a.ID}) {
		t.Errorf("by identifier: %v", byID)
	}
}

func testManyPatients(t *testing.T, s suite) {
	const n = 2500 // 2500 × 14 columns is past one statement's parameter limit
	ps := make([]*rapport.Patient, n)
	for i := range ps {
		ps[i] = &rapport.Patient{Given: "P", Family: fmt.Sprint(i), Identifiers: []rapport.Identifier{{System: "s", Value: fmt.Sprint(i)}}}
	}
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, ps) })
	counts, err := s.db.Counts(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts["patients"] != n || counts["patient_identifiers"] != n {
		t.Errorf("counts = %v, want %d patients and identifiers", counts, n)
	}
}

func testUpdateMergesContacts(t *testing.T, s suite) {
	p := samplePatient()
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{p}) })
	s.clock.Advance(time.Hour)

	// The source now lists a new phone instead of the old one, and a new family name.
	upd := samplePatient()
	upd.ID, upd.Family = p.ID, "Núñez-Ortiz"
	upd.Contacts = []rapport.ContactPoint{
		upd.Contacts[1],
		{Kind: rapport.ContactPhone, Raw: "+1 361 201 0199", Value: "+13612010199", Use: rapport.UseMobile, Status: rapport.StatusUnverified, Source: rapport.SourceImport},
	}
	// A newer judgement of the same email: no suggestion any more, one flag.
	upd.Contacts[0].Suggestion, upd.Contacts[0].Flags = "", upd.Contacts[0].Flags[1:]
	s.tx(t, func(tx *store.Tx) error { return tx.UpdatePatient(s.ctx, upd) })

	got, err := s.db.FindPatientByID(s.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Family != "Núñez-Ortiz" || !got.UpdatedAt.Equal(Start.Add(time.Hour)) || !got.CreatedAt.Equal(Start) {
		t.Errorf("demographics: %+v", got)
	}
	status := map[string]rapport.ContactStatus{}
	for _, c := range got.Contacts {
		status[c.Raw] = c.Status
	}
	want := map[string]rapport.ContactStatus{"(361) 555-0134": rapport.StatusStale, "info@exmaple.org": rapport.StatusUnverified, "+1 361 201 0199": rapport.StatusUnverified}
	if !reflect.DeepEqual(status, want) {
		t.Errorf("contact statuses = %v, want %v", status, want)
	}
	for _, c := range got.Contacts {
		if c.Raw == "info@exmaple.org" && (c.Suggestion != "" || !reflect.DeepEqual(c.Flags, upd.Contacts[0].Flags)) {
			t.Errorf("re-judged email stored as %+v, want the new flags %+v and no suggestion", c, upd.Contacts[0].Flags)
		}
	}
	evs, err := s.db.FindEvents(s.ctx, rapport.EventFilter{PatientID: p.ID, Kind: rapport.EventContactStatus})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || !evs[0].At.Equal(Start.Add(time.Hour)) {
		t.Errorf("status change events = %+v", evs)
	}
	if err := s.db.InTx(s.ctx, func(tx *store.Tx) error { return tx.UpdatePatient(s.ctx, &rapport.Patient{ID: "missing"}) }); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Errorf("update of a missing patient: %v", err)
	}
}

// testPartialPatientReads: the narrow reads a campaign makes return what the
// full read does, less what they leave out.
func testPartialPatientReads(t *testing.T, s suite) {
	p := samplePatient()
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{p}) })
	full, err := s.db.FindPatientByID(s.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	s.tx(t, func(tx *store.Tx) error {
		ps, err := tx.FindPatientsWithContacts(s.ctx, []rapport.PatientID{p.ID, "nope"})
		if err != nil {
			return err
		}
		want := *full
		want.Identifiers = nil
		if len(ps) != 1 || !reflect.DeepEqual(ps[0], &want) {
			t.Errorf("with contacts:\n got %+v\nwant %+v", ps, &want)
		}
		zones, err := tx.PatientZones(s.ctx, []rapport.PatientID{p.ID, "nope"})
		if err != nil {
			return err
		}
		if want := map[rapport.PatientID]store.PatientZone{p.ID: {TimeZone: "America/Chicago", PostalCode: "78332"}}; !reflect.DeepEqual(zones, want) {
			t.Errorf("zones = %v, want %v", zones, want)
		}
		return nil
	})
}
