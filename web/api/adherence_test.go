package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/adherence"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web/api"
)

// adherenceFunc is the server's adherence report over e's database, today
// being the clock's day in UTC.
func adherenceFunc(e *env) api.AdherenceFunc {
	return func(ctx context.Context, from, to string) (*metrics.AdherenceReport, error) {
		p, err := metrics.AdherencePeriod(from, to, adherence.DateOf(e.clock.Now()))
		if err != nil {
			return nil, err
		}
		return metrics.ComputeAdherence(ctx, e.db, metrics.AdherenceFilter{Period: p})
	}
}

// TestMetricsAdherence: staff read adherence for a period or the default
// one (the last 365 days); no token is 401, another role 403, a bad date
// or an unknown parameter 400 naming it. Every answer conforms to the
// OpenAPI document (e.do checks).
func TestMetricsAdherence(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e, _ := newEnv(t, d, false)
			e.serve(api.Deps{DB: e.db, Pipeline: e.p, Tokens: e.db, Clock: e.clock, Adherence: adherenceFunc(e)})
			p := &rapport.Patient{Given: "Ann", TimeZone: "America/Chicago"}
			statin := rapport.Code{System: "http://www.nlm.nih.gov/research/umls/rxnorm", Code: "617310", Display: "atorvastatin 20 MG Oral Tablet"}
			err := e.db.InTx(e.ctx, func(tx *store.Tx) error {
				if err := tx.CreatePatients(e.ctx, []*rapport.Patient{p}); err != nil {
					return err
				}
				var ds []*rapport.MedicationDispense
				for _, at := range []time.Time{start.AddDate(0, -2, 0), start.AddDate(0, -1, 0)} {
					ds = append(ds, &rapport.MedicationDispense{PatientID: p.ID, Status: "completed", Medication: statin, DaysSupply: 30, HandedOver: at})
				}
				return tx.SaveMedicationDispenses(e.ctx, ds)
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				path, token string
				status      int
				from, err   string
			}{
				{"/api/v1/metrics/adherence", e.staff, 200, "2025-03-04", ""},
				{"/api/v1/metrics/adherence", e.admin, 200, "2025-03-04", ""},
				{"/api/v1/metrics/adherence?from=2026-01-01&to=2026-03-03", e.staff, 200, "2026-01-01", ""},
				{"/api/v1/metrics/adherence", "", 401, "", ""},
				{"/api/v1/metrics/adherence", e.integration, 403, "", ""},
				{"/api/v1/metrics/adherence?from=2026-01-01T00:00:00Z", e.staff, 400, "", "from: want a date"},
				{"/api/v1/metrics/adherence?from=2026-03-04&to=2026-03-03", e.staff, 400, "", "is after to"},
				{"/api/v1/metrics/adherence?since=2026-01-01", e.staff, 400, "", "since is not a known parameter"},
			} {
				a := e.do("GET", c.path, c.token, nil)
				if a.status != c.status {
					t.Errorf("GET %s: %d, want %d: %s", c.path, a.status, c.status, a.body)
					continue
				}
				if c.err != "" && !strings.Contains(a.errorMessage(t), c.err) {
					t.Errorf("GET %s: %s, want %q", c.path, a.body, c.err)
				}
				if c.status != 200 {
					continue
				}
				var r metrics.AdherenceReport
				a.into(t, &r)
				// January 3 to March 3 is 60 days; February 2, between the
				// first supply and the refill, is not covered.
				if r.From.String() != c.from || len(r.Classes) != 1 || r.Classes[0].Class != adherence.ClassStatins ||
					r.Classes[0].Overall.Measured != 1 || r.Classes[0].Overall.MeanPDC != 59.0/60 {
					t.Errorf("GET %s: %s", c.path, a.body)
				}
			}
		})
	}
}
