package metrics

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/adherence"
	"github.com/rapporthq/rapport/internal/zones"
	"github.com/rapporthq/rapport/store"
)

// AdherenceFilter says what an adherence report measures.
type AdherenceFilter struct {
	Period adherence.Period
	// OrgTimeZone dates the fills of patients with no zone of their own.
	OrgTimeZone string
}

// chunkPatients is how many patients' results are summarised at once:
// memory holds one chunk of results, never the population's fills.
const chunkPatients = 5000

// adherenceRun is the state of one [ComputeAdherence].
type adherenceRun struct {
	f        AdherenceFilter
	calc     *adherence.Calculator
	decliner func(rapport.PatientID) bool
	self     map[rapport.PatientID]map[string][]adherence.SelfReport
	zones    map[string]*time.Location
	org      *time.Location
	names    map[string]string
	chunk    []adherence.PatientResult
	segments map[string][]string
	acc      map[summaryKey]*summarySums
	fills    []adherence.Fill
	excluded []exclusion // PQA classes the patient's drugs leave them out of
	results  []adherence.Result
	rep      *AdherenceReport
}

// exclusion is a PQA class a patient is left out of, and why.
type exclusion struct {
	class string
	why   adherence.Exclusion
}

// ComputeAdherence measures PDC, MPR and the self-reported rate per drug
// class over f.Period, with rural/urban and decliner breakdowns. It streams
// the fills one patient at a time ([store.DB.ScanDispensed]) and summarises
// the results in chunks, so memory does not grow with the fills. Fills are
// dated in the patient's zone (else the organisation's, else UTC).
func ComputeAdherence(ctx context.Context, db *store.DB, f AdherenceFilter) (*AdherenceReport, error) {
	calc, err := adherence.NewCalculator(adherence.Method{Period: f.Period})
	if err != nil {
		return nil, err
	}
	start, end := f.Period.Start.Time(), f.Period.End.AddDays(1).Time()
	r := &adherenceRun{f: f, calc: calc, zones: map[string]*time.Location{}, org: time.UTC, names: map[string]string{},
		segments: map[string][]string{}, acc: map[summaryKey]*summarySums{},
		rep: &AdherenceReport{From: f.Period.Start, To: f.Period.End, Definition: AdherenceDefinition, Classes: []ClassAdherence{}}}
	if l, err := zones.Load(f.OrgTimeZone); err == nil && f.OrgTimeZone != "" {
		r.org = l
	}
	if r.decliner, err = decliners(ctx, db, Filter{To: end}); err != nil {
		return nil, err
	}
	if err := r.readSelfReports(ctx, db, start, end); err != nil {
		return nil, err
	}
	// A day either side, so a fill on the period's first or last local
	// day is read whatever the patient's offset from UTC.
	scan := store.DispenseScan{From: start.AddDate(0, 0, -1), To: end.AddDate(0, 0, 1)}
	if err := db.ScanDispensed(ctx, scan, r.patient); err != nil {
		return nil, fmt.Errorf("metrics: adherence: %w", err)
	}
	if err := r.answeredOnly(ctx, db); err != nil {
		return nil, err
	}
	r.flush()
	r.report()
	return r.rep, nil
}

// patient measures one patient's fills.
func (r *adherenceRun) patient(ds []store.Dispensed) error {
	pid := ds[0].PatientID
	r.fills, r.excluded = r.fills[:0], r.excluded[:0]
	for _, d := range ds {
		date := adherence.DateOf(d.HandedOver.In(r.zone(d.TimeZone)))
		if !r.f.Period.Contains(date) {
			continue
		}
		if class, why := adherence.Excludes(d.DrugName); class != "" {
			r.excluded = append(r.excluded, exclusion{class, why})
		}
		class := adherence.ClassOf(d.DrugSystem, d.DrugCode, d.DrugName)
		fill := adherence.Fill{Drug: adherence.DrugKey(d.DrugSystem, d.DrugCode, d.DrugName), Class: class, Date: date, DaysSupply: d.DaysSupply}
		if fill.Validate() != nil {
			r.rep.SkippedFills++
			continue
		}
		if _, ok := r.names[class]; !ok && !adherence.IsPQAClass(class) {
			r.names[class] = d.DrugName
		}
		r.fills = append(r.fills, fill)
	}
	if len(r.fills) == 0 && r.self[pid] == nil {
		return nil
	}
	if len(r.fills) > 0 {
		r.rep.Patients++
		r.rep.Fills += len(r.fills)
	}
	var err error
	if r.results, err = r.calc.Measure(r.fills, nil, r.results[:0]); err != nil {
		return fmt.Errorf("metrics: adherence: %w", err)
	}
	for _, e := range r.excluded {
		adherence.Exclude(r.results, e.class, e.why)
	}
	r.results = adherence.AttachSelfReports(r.results, r.self[pid])
	delete(r.self, pid)
	r.add(pid, ds[0].Rural, slices.Clone(r.results))
	return nil
}

// add queues a patient's results with their segments, summarising a full chunk.
func (r *adherenceRun) add(pid rapport.PatientID, rural bool, results []adherence.Result) {
	segs := []string{SegmentUrban, SegmentNonDecliner}
	if rural {
		segs[0] = SegmentRural
	}
	if r.decliner(pid) {
		segs[1] = SegmentDecliner
	}
	r.chunk = append(r.chunk, adherence.PatientResult{PatientID: string(pid), Results: results})
	r.segments[string(pid)] = segs
	if len(r.chunk) >= chunkPatients {
		r.flush()
	}
}

// answeredOnly adds the patients who answered check-ins but had no fill
// in the period: their answers count, their PDC is excluded (no fills).
func (r *adherenceRun) answeredOnly(ctx context.Context, db *store.DB) error {
	ids := make([]rapport.PatientID, 0, len(r.self))
	for pid := range r.self {
		ids = append(ids, pid)
	}
	slices.Sort(ids)
	facts, err := db.FindPatientFacts(ctx, ids)
	if err != nil {
		return fmt.Errorf("metrics: adherence: %w", err)
	}
	for _, pid := range ids {
		r.add(pid, facts[pid].Rural, adherence.AttachSelfReports(nil, r.self[pid]))
	}
	return nil
}

// readSelfReports reads the period's check-in answers by patient and
// class: those answered on the period's days in the organisation's zone,
// the zone whose "today" ends the default period. (Read by UTC days, an
// evening answer in America/Chicago fell on tomorrow and out of today's
// report.)
func (r *adherenceRun) readSelfReports(ctx context.Context, db *store.DB, start, end time.Time) error {
	r.self = map[rapport.PatientID]map[string][]adherence.SelfReport{}
	scan := store.EventScan{From: start.AddDate(0, 0, -1), To: end.AddDate(0, 0, 1), Kinds: []rapport.EventKind{rapport.EventAdherenceReported}}
	err := db.ScanEvents(ctx, scan, func(e rapport.Event) error {
		if d := adherence.DateOf(e.At.In(r.org)); d < r.f.Period.Start || d > r.f.Period.End {
			return nil
		}
		var p rapport.AdherenceReported
		if e.PatientID == "" || json.Unmarshal(e.Payload, &p) != nil {
			return nil // not an answer we can place; the ledger is not ours to reject
		}
		r.rep.SelfReports++
		class := adherence.ClassOf(p.DrugSystem, p.DrugCode, p.DrugName)
		byClass := r.self[e.PatientID]
		if byClass == nil {
			byClass = map[string][]adherence.SelfReport{}
			r.self[e.PatientID] = byClass
		}
		byClass[class] = append(byClass[class], adherence.SelfReport{At: e.At, Answer: adherence.Answer(p.Answer), Dose: p.Dose})
		if _, ok := r.names[class]; !ok && !adherence.IsPQAClass(class) {
			r.names[class] = cmp.Or(p.DrugName, p.DrugCode)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("metrics: adherence: self-reports: %w", err)
	}
	return nil
}

// zone is the location a patient's fills are dated in.
func (r *adherenceRun) zone(name string) *time.Location {
	if name == "" {
		return r.org
	}
	l, ok := r.zones[name]
	if !ok {
		var err error
		if l, err = zones.Load(name); err != nil {
			l = r.org
		}
		r.zones[name] = l
	}
	return l
}

// report orders the summaries into classes: PQA first, then other drugs.
func (r *adherenceRun) report() {
	byClass := map[string]*ClassAdherence{}
	var order []string
	for k, s := range r.acc {
		c := byClass[k.class]
		if c == nil {
			c = &ClassAdherence{Class: k.class, PQA: adherence.IsPQAClass(k.class), Name: pqaNames[k.class], Segments: []adherence.Summary{}}
			if !c.PQA {
				c.Name = cmp.Or(r.names[k.class], strings.TrimPrefix(k.class, "other:"))
			}
			byClass[k.class] = c
			order = append(order, k.class)
		}
		if k.segment == "" {
			c.Overall = s.summary()
		} else {
			c.Segments = append(c.Segments, s.summary())
		}
	}
	slices.SortFunc(order, func(a, b string) int {
		return cmp.Or(cmp.Compare(b2i(!adherence.IsPQAClass(a)), b2i(!adherence.IsPQAClass(b))), cmp.Compare(a, b))
	})
	for _, class := range order {
		c := byClass[class]
		slices.SortFunc(c.Segments, func(a, b adherence.Summary) int { return cmp.Compare(segmentRank(a.Segment), segmentRank(b.Segment)) })
		r.rep.Classes = append(r.rep.Classes, *c)
	}
}

func segmentRank(s string) int {
	return slices.Index([]string{SegmentRural, SegmentUrban, SegmentDecliner, SegmentNonDecliner}, s)
}
