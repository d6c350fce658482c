package fhirapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/readings"
	"github.com/rapporthq/rapport/selfreport"
	"github.com/rapporthq/rapport/store"
)

// TestSearchObservations: a patient's texted readings come back as valid
// FHIR Observations, newest first — a blood pressure as one 85354-9 panel
// with systolic then diastolic components and its pulse beside it — the
// search is audited, an unknown patient has none, and an unknown search
// parameter is refused.
func TestSearchObservations(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db *store.DB) {
		e := setup(t, db, options{})
		ctx := context.Background()
		p := &rapport.Patient{Given: "Rosa", Family: "Diaz", TimeZone: "America/Chicago"}
		at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.CreatePatients(ctx, []*rapport.Patient{p}); err != nil {
				return err
			}
			for i, r := range []selfreport.Reading{
				{Kind: selfreport.Glucose, Value: 95, Unit: selfreport.UnitMgDL},
				{Kind: selfreport.BloodPressure, Systolic: 150, Diastolic: 95, Pulse: 70, Unit: selfreport.UnitMmHg},
			} {
				if _, err := readings.Record(ctx, tx, readings.Report{PatientID: p.ID, Reading: r, At: at.Add(time.Duration(i) * time.Hour), Source: "sms"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		a := e.do("GET", "/Observation?patient=Patient/"+string(p.ID), e.staff, nil).want(t, http.StatusOK, "Bundle")
		var b struct {
			Total int
			Entry []struct {
				Resource struct {
					ID                string
					Code              struct{ Coding []struct{ Code string } }
					Subject           struct{ Reference string }
					EffectiveDateTime string
					ValueQuantity     *struct {
						Value float64
						Code  string
					}
					Component []struct {
						Code          struct{ Coding []struct{ Code string } }
						ValueQuantity struct{ Value float64 }
					}
				}
			}
		}
		if err := json.Unmarshal(a.body, &b); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, en := range b.Entry {
			r := en.Resource
			s := r.Code.Coding[0].Code
			if r.ValueQuantity != nil {
				s += " " + jsonNum(r.ValueQuantity.Value) + " " + r.ValueQuantity.Code
			}
			for _, c := range r.Component {
				s += " " + c.Code.Coding[0].Code + "=" + jsonNum(c.ValueQuantity.Value)
			}
			if r.Subject.Reference != "Patient/"+string(p.ID) {
				t.Errorf("%s: subject %q", s, r.Subject.Reference)
			}
			got = append(got, s)
		}
		// The pulse and the panel share a time: either order is newest first.
		want := map[string]bool{"8867-4 70 /min": true, "85354-9 8480-6=150 8462-4=95": true, "2339-0 95 mg/dL": true}
		if b.Total != 3 || len(got) != 3 || !want[got[0]] || !want[got[1]] || got[2] != "2339-0 95 mg/dL" || got[0] == got[1] {
			t.Errorf("observations %v (total %d), want the panel and the pulse, then the glucose", got, b.Total)
		}
		audits, err := db.FindAudit(ctx, rapport.AuditFilter{PatientID: p.ID, Limit: 10})
		if err != nil || len(audits) != 1 || audits[0].Action != "search" || !strings.HasPrefix(audits[0].Resource, "Observation?patient=") {
			t.Errorf("audit: %+v (%v), want one search", audits, err)
		}

		a = e.do("GET", "/Observation?patient=nobody", e.staff, nil).want(t, http.StatusOK, "Bundle")
		if strings.Contains(string(a.body), `"entry"`) {
			t.Errorf("unknown patient: %s, want no entries", a.body)
		}
		for _, q := range []string{"", "?code=8480-6&patient=" + string(p.ID), "?patient=a&patient=b", "?patient=not%20an%20id"} {
			e.do("GET", "/Observation"+q, e.staff, nil).want(t, http.StatusBadRequest, "OperationOutcome")
		}
		e.do("GET", "/Observation?patient="+string(p.ID), "", nil).want(t, http.StatusUnauthorized, "OperationOutcome")
	})
}

func jsonNum(v float64) string { b, _ := json.Marshal(v); return string(b) }
