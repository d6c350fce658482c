package hygiene

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/rapporthq/rapport/store"
)

// Report is what one run found and did. It is stored as JSON per run.
type Report struct {
	RunID      string    `json:"run_id"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	// PreviousRunID is the run that "changed since" compares with; empty
	// on the first run.
	PreviousRunID string `json:"previous_run_id,omitempty"`

	// Contacts counts contact points by kind, status and reason at the end
	// of the run.
	Contacts   []store.ContactCount `json:"contacts"`
	Validation Validation           `json:"validation"`
	// MarkedStale is how many contact points the staleness rule marked.
	MarkedStale int        `json:"marked_stale"`
	Changes     Changes    `json:"changes"`
	Duplicates  Duplicates `json:"duplicates"`
	Reach       Reach      `json:"reach"`
}

// Validation is what re-validating every contact point did.
type Validation struct {
	Checked int `json:"checked"`
	// Rewritten contact points had a different normalised value, line type
	// or region; Invalidated ones became invalid (or changed reason).
	Rewritten   int `json:"rewritten"`
	Invalidated int `json:"invalidated"`
}

// Changes is what changed since the previous run.
type Changes struct {
	// StatusDelta is, per status, this run's count minus the previous
	// run's (all of this run's count on the first run).
	StatusDelta map[string]int `json:"status_delta"`
	// Transitions counts status changes recorded in the ledger since the
	// previous run, by "from->to".
	Transitions map[string]int `json:"transitions"`
	// ContactsChanged is how many distinct contact points changed status.
	ContactsChanged int `json:"contacts_changed"`
}

// Duplicates is what duplicate detection did and how the queue stands.
type Duplicates struct {
	// Full is true when the run fitted a new model over all patients.
	Full     bool `json:"full"`
	Patients int  `json:"patients"`
	// Changed patients (new or edited since the previous run) were compared
	// against all; on a full run every patient counts.
	Changed int `json:"changed"`
	// Pairs is how many pairs reached the reporting threshold; Found how
	// many of them were new to the queue.
	Pairs int `json:"pairs"`
	Found int `json:"found"`
	DuplicateCounts
}

// Reach counts patients with at least one usable channel (a phone or email
// that may be tried), overall and by segment: rural or urban,
// language:XX, age:BAND.
type Reach struct {
	Patients  int            `json:"patients"`
	Reachable int            `json:"reachable"`
	Segments  []SegmentReach `json:"segments"`
}

// SegmentReach is the reach of one segment.
type SegmentReach struct {
	Segment   string `json:"segment"`
	Patients  int    `json:"patients"`
	Reachable int    `json:"reachable"`
}

// statusTotals sums contact counts per status.
func statusTotals(cs []store.ContactCount) map[string]int {
	out := map[string]int{}
	for _, c := range cs {
		out[string(c.Status)] += c.N
	}
	return out
}

// delta is now minus before for every status either knows.
func delta(now, before map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range now {
		out[k] = v - before[k]
	}
	for k, v := range before {
		if _, ok := now[k]; !ok {
			out[k] = -v
		}
	}
	return out
}

func pct(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// WriteText writes the report for a person to read.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("hygiene run %s, %s to %s\n", r.RunID, r.StartedAt.Format(time.RFC3339), r.FinishedAt.Format(time.RFC3339))
	ew.printf("\ncontact points (kind status reason: count)\n")
	for _, c := range r.Contacts {
		reason := ""
		if c.Reason != "" {
			reason = " (" + c.Reason + ")"
		}
		ew.printf("  %-6s %-11s %d%s\n", c.Kind, c.Status, c.N, reason)
	}
	ew.printf("\nvalidation: %d checked, %d rewritten, %d newly invalid; %d marked stale\n",
		r.Validation.Checked, r.Validation.Rewritten, r.Validation.Invalidated, r.MarkedStale)
	since := "the start"
	if r.PreviousRunID != "" {
		since = "run " + r.PreviousRunID
	}
	ew.printf("\nchanged since %s: %d contact points changed status\n", since, r.Changes.ContactsChanged)
	for _, k := range sortedKeys(r.Changes.StatusDelta) {
		ew.printf("  %-11s %+d\n", k, r.Changes.StatusDelta[k])
	}
	for _, k := range sortedKeys(r.Changes.Transitions) {
		ew.printf("  %s: %d\n", k, r.Changes.Transitions[k])
	}
	d := r.Duplicates
	kind := "incremental"
	if d.Full {
		kind = "full"
	}
	ew.printf("\nduplicates (%s, %d of %d patients compared): %d pairs, %d new; queue: %d waiting for review, %d merged, %d rejected\n",
		kind, d.Changed, d.Patients, d.Pairs, d.Found, d.Pending, d.Merged, d.Rejected)
	ew.printf("\nreachable (at least one usable channel): %d of %d patients (%.1f%%)\n",
		r.Reach.Reachable, r.Reach.Patients, pct(r.Reach.Reachable, r.Reach.Patients))
	for _, s := range r.Reach.Segments {
		ew.printf("  %-14s %d of %d (%.1f%%)\n", s.Segment, s.Reachable, s.Patients, pct(s.Reachable, s.Patients))
	}
	return ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
