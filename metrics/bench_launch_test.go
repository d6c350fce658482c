package metrics_test

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/benchstat"
	"github.com/rapporthq/rapport/store"
)

// BenchmarkLaunch1M launches the outreach journey over a segment of
// RAPPORT_BENCH_PATIENTS patients with hypertension (skipped when unset;
// the target is 1000000) on SQLite, or on PostgreSQL with
// RAPPORT_BENCH_DB=postgres (and RAPPORT_TEST_POSTGRES). It times
// CreateCampaign and the launch jobs until every enrollment and its first
// wake job is written, and reports the peak RSS of the launch (VmHWM, reset
// after the patients are written). Wake jobs are scheduled on the next
// minute of the manual clock, so none runs: only the launch is measured.
func BenchmarkLaunch1M(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("RAPPORT_BENCH_PATIENTS"))
	if n <= 0 {
		b.Skip("set RAPPORT_BENCH_PATIENTS (1000000 for the target)")
	}
	d := store.SQLite
	if os.Getenv("RAPPORT_BENCH_DB") == "postgres" {
		d = store.Postgres
	}
	for range b.N {
		b.StopTimer()
		h := newHarness(b, d, rapport.NewManualClock(t0.Add(30*time.Second)), 50*time.Millisecond, 0)
		setupStart := time.Now()
		bulkHypertensives(b, h, n)
		b.Logf("%d patients written in %s", n, time.Since(setupStart).Round(time.Millisecond))
		runtime.GC()
		debug.FreeOSMemory()
		if err := benchstat.ResetPeakRSS(); err != nil {
			b.Logf("cannot reset peak RSS: %v", err)
		}
		b.StartTimer()
		start := time.Now()
		c := &rapport.Campaign{Journey: "outreach", HoldoutPercent: 10}
		h.tx(func(tx *store.Tx) error { return h.e.CreateCampaign(h.ctx, tx, c) })
		h.idle()
		elapsed := time.Since(start)
		b.StopTimer()
		got, err := h.db.FindCampaign(h.ctx, c.ID)
		if err != nil {
			b.Fatal(err)
		}
		if got.Status != rapport.CampaignLaunched || got.Enrolled+got.HeldOut != n {
			b.Fatalf("campaign %s: enrolled %d + held out %d, want %d", got.Status, got.Enrolled, got.HeldOut, n)
		}
		peak := benchstat.PeakRSS()
		b.ReportMetric(elapsed.Seconds(), "launch-s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
		b.ReportMetric(float64(n)/elapsed.Seconds(), "patients/s")
		b.Logf("%s: %d patients, %d enrolled, %d held out in %s, peak RSS %d MB", d, n, got.Enrolled, got.HeldOut, elapsed.Round(time.Millisecond), peak>>20)
	}
}

// bulkHypertensives writes n patients, each with a mobile number and
// hypertension, in large transactions.
func bulkHypertensives(b *testing.B, h *harness, n int) {
	const batch = 5000
	for start := 0; start < n; start += batch {
		ps := make([]*rapport.Patient, 0, batch)
		for i := start; i < min(start+batch, n); i++ {
			phone := fmt.Sprintf("+1512%07d", i)
			ps = append(ps, &rapport.Patient{Given: "Pat", Family: strconv.Itoa(i), BirthDate: "1960-01-01", Language: "en", TimeZone: "America/Chicago",
				Rural: i%3 == 0, Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Value: phone, Raw: phone, Use: rapport.UseMobile,
					LineType: rapport.LineMobile, Status: rapport.StatusValid, Source: rapport.SourceImport}}})
		}
		h.tx(func(tx *store.Tx) error {
			if err := tx.CreatePatients(h.ctx, ps); err != nil {
				return err
			}
			return insertConditions(h, tx, ps)
		})
	}
}

// insertConditions adds hypertension to each patient with multi-row INSERTs
// (SaveCondition writes one row per statement, too slow to set up a million).
func insertConditions(h *harness, tx *store.Tx, ps []*rapport.Patient) error {
	const rows = 400
	for start := 0; start < len(ps); start += rows {
		part := ps[start:min(start+rows, len(ps))]
		var sb strings.Builder
		sb.WriteString("INSERT INTO conditions (id, patient_id, code_system, code, clinical_status) VALUES ")
		args := make([]any, 0, 2*len(part))
		for i, p := range part {
			if i > 0 {
				sb.WriteString(",")
			}
			if tx.SQLTx() != nil {
				sb.WriteString("(?, ?, 'http://hl7.org/fhir/sid/icd-10-cm', 'I10', 'active')")
			} else {
				fmt.Fprintf(&sb, "($%d, $%d, 'http://hl7.org/fhir/sid/icd-10-cm', 'I10', 'active')", 2*i+1, 2*i+2)
			}
			args = append(args, "c-"+string(p.ID), string(p.ID))
		}
		var err error
		if tx.SQLTx() != nil {
			_, err = tx.SQLTx().ExecContext(h.ctx, sb.String(), args...)
		} else {
			_, err = tx.PgxTx().Exec(h.ctx, sb.String(), args...)
		}
		if err != nil {
			return fmt.Errorf("insert conditions: %w", err)
		}
	}
	return nil
}
