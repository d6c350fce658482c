package duplicates_test

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/duplicates"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

// TestMergeCountsPeopleSharingANumber: two records of one person hold the
// same phone and email, and a relative holds the phone too. Before the
// merge the phone has three holders and the email two; merged, the person
// is one holder (the phone is the family's, shared by two; the email is no
// longer shared), also after an import touches the numbers again; the
// unmerge gives the counts back. The journeys' shared_phone reads these.
func TestMergeCountsPeopleSharingANumber(t *testing.T) {
	t.Parallel()
	const phone, email = "+15125550140", "rosa.diaz@example.org"
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := open(t, d)
			a := f.holder("Rosa", phone, email)
			b := f.holder("Rosa", phone, email)
			relative := f.holder("Luis", phone, "")

			f.wantShared(a, phone, 3, email, 2, "before the merge")
			f.tx(func(tx *store.Tx) error { _, err := duplicates.Merge(f.ctx, tx, a, b, "nurse"); return err })
			f.wantShared(a, phone, 2, email, 0, "after the merge")
			f.wantShared(b, phone, 2, email, 0, "after the merge, on the merged record")
			f.wantShared(relative, phone, 2, "", 0, "after the merge, on the relative's record")

			// An import recounts the values it writes: a new holder of the
			// email, then the merged record's numbers written again.
			other := f.holder("Ana", "+15125550141", email)
			f.wantShared(a, phone, 2, email, 2, "after a new holder of the email")
			f.tx(func(tx *store.Tx) error { return tx.RefreshShared(f.ctx, rapport.ContactPhone, []string{phone}) })
			f.wantShared(a, phone, 2, email, 2, "after the phone is counted again")

			f.clock.Advance(time.Hour)
			f.tx(func(tx *store.Tx) error { _, err := duplicates.Unmerge(f.ctx, tx, b, "nurse"); return err })
			f.wantShared(a, phone, 3, email, 3, "after the unmerge")
			f.wantShared(other, "+15125550141", 0, email, 3, "after the unmerge, on the email's new holder")
		})
	}
}

// holder makes a record holding phone and, unless empty, email.
func (f *fixture) holder(given, phone, email string) rapport.PatientID {
	f.t.Helper()
	p := &rapport.Patient{Given: given, Family: "Diaz", BirthDate: "1960-01-02", Language: "en",
		Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: phone, Value: phone, Use: rapport.UseHome,
			Status: rapport.StatusValid, Source: rapport.SourceImport}}}
	if email != "" {
		p.Contacts = append(p.Contacts, rapport.ContactPoint{Kind: rapport.ContactEmail, Raw: email, Value: email,
			Status: rapport.StatusValid, Source: rapport.SourceImport})
	}
	f.tx(func(tx *store.Tx) error { return tx.CreatePatients(f.ctx, []*rapport.Patient{p}) })
	return p.ID
}

// wantShared checks the holders the record's phone and email count
// (SharedBy: 0 when not shared); an empty email is not checked.
func (f *fixture) wantShared(pid rapport.PatientID, phone string, phones int, email string, emails int, when string) {
	f.t.Helper()
	p, err := f.db.FindPatientByID(f.ctx, pid)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, c := range p.Contacts {
		switch {
		case c.Value == phone && c.SharedBy != phones:
			f.t.Errorf("%s: %s's phone has %d holders, want %d", when, p.Given, c.SharedBy, phones)
		case email != "" && c.Value == email && c.SharedBy != emails:
			f.t.Errorf("%s: %s's email has %d holders, want %d", when, p.Given, c.SharedBy, emails)
		}
	}
}
