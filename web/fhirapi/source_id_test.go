package fhirapi_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/csvimport"
	"github.com/rapporthq/rapport/store"
)

// TestSearchBySourceID: a record imported from a CRM's CSV export is found
// by the CRM's own id, under the source's system or with no system, as the
// README tells a newcomer who knows a patient by the source system's id.
func TestSearchBySourceID(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db *store.DB) {
		e := setup(t, db, options{})
		m, err := csvimport.ParseMapping("map.yaml", []byte("source: acme-crm\nid_column: contact_id\npatient: {given: first, family: last}\n"))
		if err != nil {
			t.Fatal(err)
		}
		var ps []*rapport.Patient
		err = csvimport.Read(strings.NewReader("contact_id,first,last\nC-1001,Rosa,Diaz\n"), "crm.csv", m, func(r csvimport.Record) error {
			m.Verify(r.Patient, time.Now())
			ps = append(ps, r.Patient)
			return r.Err
		})
		if err != nil || len(ps) != 1 {
			t.Fatalf("read: %d patients, %v", len(ps), err)
		}
		if err := db.InTx(context.Background(), func(tx *store.Tx) error { return tx.CreatePatients(context.Background(), ps) }); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{url.QueryEscape("urn:rapport:source:acme-crm|C-1001"), "C-1001"} {
			s, _ := e.search(e.staff, "identifier="+q)
			if s.Total != 1 || len(s.Entry) != 1 || s.Entry[0].Resource.ID != string(ps[0].ID) {
				t.Errorf("identifier=%s: %d found, want patient %s", q, s.Total, ps[0].ID)
			}
		}
		if s, _ := e.search(e.staff, "identifier="+url.QueryEscape("urn:rapport:source:other|C-1001")); s.Total != 0 {
			t.Errorf("another source's C-1001: %d found, want 0", s.Total)
		}
	})
}
