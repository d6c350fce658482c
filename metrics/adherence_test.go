package metrics_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/adherence"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
)

const rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm"

var (
	lisinopril   = rapport.Code{System: rxnorm, Code: "314076", Display: "lisinopril 10 MG Oral Tablet"}
	atorvastatin = rapport.Code{System: rxnorm, Code: "617310", Display: "atorvastatin 20 MG Oral Tablet"}
	metformin    = rapport.Code{System: rxnorm, Code: "861007", Display: "metformin hydrochloride 500 MG Oral Tablet"}
	clopidogrel  = rapport.Code{System: rxnorm, Code: "309362", Display: "clopidogrel 75 MG Oral Tablet"}
	insulin      = rapport.Code{System: rxnorm, Code: "106892", Display: "insulin human, isophane 70 UNT/ML / Regular Insulin, Human 30 UNT/ML Injectable Suspension"}
)

// TestComputeAdherence measures a hand-built year: fills dated in each
// patient's zone, PQA classes and another drug, exclusions apart from 0%,
// check-in answers, and the rural and decliner breakdowns.
func TestComputeAdherence(t *testing.T) {
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)) }, func(t *testing.T, db *store.DB) {
		l := &ledger{t: t, ctx: t.Context(), db: db, ids: map[string]rapport.PatientID{}}
		l.patients(
			&rapport.Patient{Given: "Ann", Rural: true, TimeZone: "America/Chicago"},
			&rapport.Patient{Given: "Bob", TimeZone: "America/New_York"},
			&rapport.Patient{Given: "Cy", TimeZone: "America/Denver"},
			&rapport.Patient{Given: "Dee", Rural: true},
			&rapport.Patient{Given: "Eve"},
		)
		utc := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, time.UTC) }
		var ds []*rapport.MedicationDispense
		fill := func(who string, med rapport.Code, at time.Time, days int, status string) {
			ds = append(ds, &rapport.MedicationDispense{PatientID: l.ids[who], Status: status, Medication: med, DaysSupply: days, HandedOver: at})
		}
		fill("Ann", lisinopril, utc(7, 3, 15), 30, "completed")
		fill("Ann", lisinopril, utc(8, 2, 15), 30, "")
		fill("Ann", lisinopril, utc(9, 1, 15), 30, "stopped") // not handed over: not a fill
		// 03:00 UTC on January 1 is December 31 in New York: before the period.
		fill("Bob", atorvastatin, utc(1, 1, 3), 90, "completed")
		fill("Bob", atorvastatin, utc(3, 1, 15), 90, "completed")
		fill("Bob", atorvastatin, utc(5, 30, 15), 90, "completed")
		fill("Cy", metformin, utc(2, 1, 15), 30, "completed") // one fill date: excluded
		fill("Cy", clopidogrel, utc(10, 1, 15), 30, "completed")
		fill("Cy", clopidogrel, utc(11, 15, 15), 30, "completed")
		fill("Cy", clopidogrel, utc(12, 1, 15), 0, "completed") // no days supply: skipped
		// Eve takes insulin too: PQA leaves her out of the diabetes measure.
		fill("Eve", metformin, utc(2, 1, 15), 30, "completed")
		fill("Eve", metformin, utc(3, 1, 15), 30, "completed")
		fill("Eve", insulin, utc(3, 1, 15), 30, "completed")
		if err := db.InTx(l.ctx, func(tx *store.Tx) error { return tx.SaveMedicationDispenses(l.ctx, ds) }); err != nil {
			t.Fatal(err)
		}
		l.ev("Ann", utc(3, 3, 15), rapport.EventJourneyOutcome, "", "c1", map[string]any{"outcome": "declined"})
		answer := func(who string, at time.Time, med rapport.Code, dose, ans string) {
			l.ev(who, at, rapport.EventAdherenceReported, rapport.ChannelSMS, "", map[string]any{
				"drug_system": med.System, "drug_code": med.Code, "dose": dose, "answer": ans})
		}
		answer("Ann", utc(7, 10, 13), lisinopril, "2026-07-10T08:00", "taken")
		answer("Ann", utc(7, 11, 13), lisinopril, "2026-07-11T08:00", "not_yet")
		answer("Ann", utc(7, 11, 16), lisinopril, "2026-07-11T08:00", "taken")
		answer("Ann", utc(7, 12, 13), lisinopril, "2026-07-12T08:00", "skipped")
		answer("Dee", utc(6, 1, 13), atorvastatin, "2026-06-01T21:00", "taken")

		rep, err := metrics.ComputeAdherence(l.ctx, db, metrics.AdherenceFilter{Period: adherence.Year(2026)})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Patients != 4 || rep.Fills != 10 || rep.SkippedFills != 1 || rep.SelfReports != 5 {
			t.Errorf("patients %d, fills %d, skipped %d, self-reports %d; want 4, 10, 1, 5", rep.Patients, rep.Fills, rep.SkippedFills, rep.SelfReports)
		}
		var classes []string
		byClass := map[string]metrics.ClassAdherence{}
		for _, c := range rep.Classes {
			classes = append(classes, c.Class)
			byClass[c.Class] = c
		}
		if want := []string{"DR", "RASA", "STA", "other:106892", "other:309362"}; !equalStrings(classes, want) {
			t.Fatalf("classes %v, want %v (PQA first)", classes, want)
		}
		type want struct {
			patients, measured, excluded int
			pdc, adherent                float64
			answered, taken              int
		}
		check := func(name string, s adherence.Summary, w want) {
			t.Helper()
			if s.Patients != w.patients || s.Measured != w.measured || s.Excluded != w.excluded ||
				math.Abs(s.MeanPDC-w.pdc) > 1e-12 || math.Abs(s.AdherentShare-w.adherent) > 1e-12 ||
				s.SelfReport.Answered != w.answered || s.SelfReport.Taken != w.taken {
				t.Errorf("%s: got %+v, want %+v", name, s, w)
			}
		}
		// Ann: July 3 to December 31 is 182 days, 60 of them covered.
		check("RASA", byClass["RASA"].Overall, want{1, 1, 0, 60.0 / 182, 0, 3, 2})
		// Bob from March 1 (306 days), 180 covered; Dee answered but had no fill.
		check("STA", byClass["STA"].Overall, want{2, 1, 1, 180.0 / 306, 0, 1, 1})
		// Cy's one fill date and Eve's insulin.
		check("DR", byClass["DR"].Overall, want{2, 0, 2, 0, 0, 0, 0})
		// Cy's clopidogrel: October 1 to December 31 is 92 days, all 60 supplied covered.
		other := byClass["other:309362"]
		check("other", other.Overall, want{1, 1, 0, 60.0 / 92, 0, 0, 0})
		if other.PQA || other.Name != clopidogrel.Display || !byClass["RASA"].PQA {
			t.Errorf("other class %+v: want not PQA, named by its drug", other)
		}
		segs := map[string]adherence.Summary{}
		for _, s := range byClass["RASA"].Segments {
			segs[s.Segment] = s
		}
		if len(segs) != 2 || segs[metrics.SegmentRural].Measured != 1 || segs[metrics.SegmentDecliner].Measured != 1 {
			t.Errorf("RASA segments %+v: want Ann in rural and decliner only", byClass["RASA"].Segments)
		}
		segs = map[string]adherence.Summary{}
		for _, s := range byClass["STA"].Segments {
			segs[s.Segment] = s
		}
		if segs[metrics.SegmentUrban].Measured != 1 || segs[metrics.SegmentRural].Excluded != 1 || segs[metrics.SegmentNonDecliner].Patients != 2 {
			t.Errorf("STA segments %+v: want Bob urban measured, Dee rural excluded, both non-decliners", byClass["STA"].Segments)
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Fatal(err)
		}
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestAdherenceSelfReportsByOrgDay: check-in answers count on the day they
// were given in the organisation's zone, the zone whose "today" ends the
// default period — an evening answer in Chicago is 01:30 UTC tomorrow.
func TestAdherenceSelfReportsByOrgDay(t *testing.T) {
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)) }, func(t *testing.T, db *store.DB) {
		l := &ledger{t: t, ctx: t.Context(), db: db, ids: map[string]rapport.PatientID{}}
		l.patients(&rapport.Patient{Given: "Ann", TimeZone: "America/Chicago"})
		answer := func(at time.Time) {
			l.ev("Ann", at, rapport.EventAdherenceReported, rapport.ChannelSMS, "", map[string]any{
				"drug_system": lisinopril.System, "drug_code": lisinopril.Code, "dose": at.Format("2006-01-02T15:04"), "answer": "taken"})
		}
		answer(time.Date(2026, 12, 5, 5, 30, 0, 0, time.UTC)) // December 4, 23:30 in Chicago: the day before
		answer(time.Date(2026, 12, 6, 1, 30, 0, 0, time.UTC)) // December 5, 19:30 in Chicago: the day
		answer(time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC))  // December 5, 21:00 in Chicago: the day
		answer(time.Date(2026, 12, 6, 7, 0, 0, 0, time.UTC))  // December 6, 01:00 in Chicago: the day after
		day := adherence.DateOf(time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
		rep, err := metrics.ComputeAdherence(l.ctx, db, metrics.AdherenceFilter{Period: adherence.Period{Start: day, End: day}, OrgTimeZone: "America/Chicago"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.SelfReports != 2 {
			t.Errorf("%d self-reports on December 5 in Chicago, want 2 (at 19:30 and 21:00)", rep.SelfReports)
		}
	})
}
