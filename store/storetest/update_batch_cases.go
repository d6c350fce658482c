package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// testUpdatePatientsAsOne: UpdatePatients leaves each patient, its
// identifiers, contact points and ledger as UpdatePatient does, for more
// patients than one statement carries and for every kind of change: a new
// phone (the old one stale), new identifiers (all, one more, one less,
// another type, repeated, reordered), re-judged contact points, and
// demographics including the nullable and boolean columns.
func testUpdatePatientsAsOne(t *testing.T, s suite) {
	const n = 300
	one, batch := make([]*rapport.Patient, n), make([]*rapport.Patient, n)
	for i := range n {
		one[i], batch[i] = samplePatient(), samplePatient()
	}
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, append(slices.Clone(one), batch...)) })
	s.clock.Advance(time.Hour)
	changed := func(i int, id rapport.PatientID) *rapport.Patient {
		p := samplePatient()
		p.ID = id
		crm := rapport.Identifier{System: "urn:crm", Value: fmt.Sprint("C-", i)}
		switch i % 7 {
		case 0:
			p.Contacts[0] = rapport.ContactPoint{Kind: rapport.ContactPhone, Raw: fmt.Sprintf("+1 361 201 %04d", i), Value: fmt.Sprintf("+1361201%04d", i),
				Use: rapport.UseMobile, Status: rapport.StatusUnverified, Source: rapport.SourceImport}
			p.Rural, p.InternetAccess, p.RUCA, p.Deceased = false, nil, 7, true
		case 1:
			p.Identifiers = []rapport.Identifier{{System: "http://hospital.example/mrn", Value: fmt.Sprint("MRN-", i)}}
			p.Family, p.InternetAccess = "Núñez-Ortiz", ptr(true)
		case 2:
			p.Contacts[1].Suggestion, p.Contacts[1].Flags = "", p.Contacts[1].Flags[1:]
			p.Given, p.RuralStated = "Ana", false
		case 3: // a CRM adds its own id
			p.Identifiers = append(p.Identifiers, crm)
		case 4: // one gone, one with another type
			p.Identifiers = p.Identifiers[:1]
			p.Identifiers[0].Type = "PI"
		case 5: // repeated: the first wins, whatever its type
			p.Identifiers = append([]rapport.Identifier{crm, {System: p.Identifiers[1].System, Value: p.Identifiers[1].Value}}, p.Identifiers...)
		case 6: // the same, in another order
			p.Identifiers[0], p.Identifiers[1] = p.Identifiers[1], p.Identifiers[0]
		}
		return p
	}
	s.tx(t, func(tx *store.Tx) error {
		for i, p := range one {
			if err := tx.UpdatePatient(s.ctx, changed(i, p.ID)); err != nil {
				return err
			}
		}
		return nil
	})
	s.tx(t, func(tx *store.Tx) error {
		ids := make([]rapport.PatientID, n)
		for i, p := range batch {
			ids[i] = p.ID
		}
		olds, err := tx.FindPatientsByID(s.ctx, ids)
		if err != nil {
			return err
		}
		us := make([]store.PatientUpdate, n)
		for _, o := range olds {
			us[slices.Index(ids, o.ID)].Old = o
		}
		for i := range us {
			us[i].New = changed(i, ids[i])
		}
		return tx.UpdatePatients(s.ctx, us)
	})
	for i := range n {
		a, b := s.stored(t, one[i].ID), s.stored(t, batch[i].ID)
		if a != b {
			t.Fatalf("patient %d (change %d):\none by one: %s\nin a batch: %s", i, i%7, a, b)
		}
	}
}

// stored is what the database holds of a patient and its ledger, less ids.
func (s suite) stored(t *testing.T, id rapport.PatientID) string {
	t.Helper()
	p, err := s.db.FindPatientByID(s.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := s.db.FindEvents(s.ctx, rapport.EventFilter{PatientID: id, Kind: rapport.EventContactStatus})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|%s|%s|%s|%s|%+v|%v|%v|%d|%v|%v|%s|%s;", p.Given, p.Family, p.BirthDate, p.Sex, p.Language, p.TimeZone, p.Address,
		p.Rural, p.RuralStated, p.RUCA, fmtPtr(p.InternetAccess), p.Deceased, p.PreferredChannel, p.UpdatedAt.UTC().Format(time.RFC3339))
	for _, x := range p.Identifiers {
		fmt.Fprintf(&b, " %s|%s|%s", x.System, x.Value, x.Type)
	}
	b.WriteString(";")
	for _, c := range p.Contacts {
		fmt.Fprintf(&b, " %s|%s|%s|%s|%s|%s|%d|%+v|%s|%d|%s", c.Kind, c.Raw, c.Value, c.Use, c.Status, c.StatusReason, c.Rank, c.Flags, c.Suggestion,
			c.SharedBy, c.StatusAt.UTC().Format(time.RFC3339))
	}
	for _, e := range evs {
		fmt.Fprintf(&b, "; %s %s %d", e.Kind, e.At.UTC().Format(time.RFC3339), len(e.Payload))
	}
	return b.String()
}

func fmtPtr(v *bool) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprint(*v)
}
