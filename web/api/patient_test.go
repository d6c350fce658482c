package api_test

import (
	"encoding/json"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/csvimport"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/store"
)

// TestPatientRead: what validation found at import — RUCA code and
// rurality, the normalised address and its flags, contact flags and a
// suggested email fix — is what staff read from GET /api/v1/patients/{id},
// and the read is audited.
func TestPatientRead(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		m, err := csvimport.LoadMapping("../../importer/testdata/rural-mapping.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := (&importer.Importer{DB: e.db}).ImportCSV(e.ctx, "../../importer/testdata/rural.csv", m); err != nil {
			t.Fatal(err)
		}
		var pid rapport.PatientID
		if err := e.db.InTx(e.ctx, func(tx *store.Tx) error {
			links, err := tx.FindSourceRecords(e.ctx, "rural-test", "Patient", []string{"r3"})
			pid = rapport.PatientID(links["r3"].EntityID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		a := e.do("GET", "/api/v1/patients/"+string(pid), e.staff, nil)
		if a.status != 200 {
			t.Fatalf("patient: %d %s", a.status, a.body)
		}
		var got struct {
			RUCA    int  `json:"ruca"`
			Rural   bool `json:"rural"`
			Address struct {
				Lines      []string `json:"lines"`
				PostalCode string   `json:"postal_code"`
			} `json:"address"`
			Contacts []struct {
				Value      string `json:"value"`
				Status     string `json:"status"`
				Suggestion string `json:"suggestion"`
				Flags      []struct{ Code, Reason string }
			} `json:"contacts"`
		}
		a.into(t, &got)
		if got.RUCA != 4 || !got.Rural || len(got.Address.Lines) != 1 || got.Address.Lines[0] != "PO BOX 9" || got.Address.PostalCode != "99928-0009" {
			t.Errorf("patient %s: want RUCA 4, rural, PO BOX 9, 99928-0009", a.body)
		}
		if len(got.Contacts) != 1 || got.Contacts[0].Value != "cy@gmial.com" || got.Contacts[0].Status != "unverified" ||
			got.Contacts[0].Suggestion != "cy@gmail.com" || len(got.Contacts[0].Flags) != 1 || got.Contacts[0].Flags[0].Code != "typo" ||
			got.Contacts[0].Flags[0].Reason != "domain gmial.com looks like a typo of gmail.com" {
			b, _ := json.Marshal(got.Contacts)
			t.Errorf("contacts %s: want the address kept, usable, with the suggestion and its evidence", b)
		}
		reads := 0
		for _, au := range e.audits(pid) {
			if au.Action == "read" && au.Actor.Name == "nurse-desk" && au.Resource == "Patient/"+string(pid) {
				reads++
			}
		}
		if reads != 1 {
			t.Errorf("%d patient reads audited, want 1", reads)
		}
		if a := e.do("GET", "/api/v1/patients/no-such-patient", e.staff, nil); a.status != 404 {
			t.Errorf("unknown patient: %d", a.status)
		}
		if a := e.do("GET", "/api/v1/patients/"+string(pid), "", nil); a.status != 401 {
			t.Errorf("no token: %d", a.status)
		}
	})
}
