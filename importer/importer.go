package importer

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/store"
)

// Importer imports files into one database.
type Importer struct {
	DB *store.DB
	// Source names the system the data comes from ("ehr", "acme-crm"). Source
	// resource ids are only unique within a source. Default "default".
	Source string
	// DefaultRegion is the ISO 3166 region for phone numbers without a
	// country code. Default "US".
	DefaultRegion string
	// ContinueOnError imports the good records of a file with bad ones,
	// writing each rejected record and its reason to Rejects.
	ContinueOnError bool
	Rejects         io.Writer
	// Progress, if set, is told how many bytes of input have been read.
	Progress func(n int64)
	// BatchSize is how many records are written together (default 1000).
	BatchSize int
	// NewIDFunc, when set, gives new records their rapport ids in place of
	// store.NewID: the demo's are seeded, so that its hold-outs (a hash of
	// campaign and patient ids) are the same at every run.
	NewIDFunc func() string
	// Actor, when set, is who imports: every patient the import creates or
	// updates gets an audit entry in the same transaction (a FHIR Bundle
	// POSTed or uploaded through the API, or `rapport import`, as "cli").
	// The demo leaves it nil: its patients are synthetic.
	Actor *rapport.Actor
	// FullExport says a file holds all the source's RelatedPersons of the
	// patients it holds: a caregiver it leaves out has ended. Otherwise
	// (a nightly delta, a live feed's Bundle, a caregivers file of changed
	// rows) only a DELETE ends one, and a CSV row with caregiver columns,
	// which names all of its patient's. A file with no RelatedPerson at all
	// says nothing of caregivers, even as a full export.
	FullExport bool
}

func (im *Importer) newID() string {
	if im.NewIDFunc != nil {
		return im.NewIDFunc()
	}
	return store.NewID()
}

func (im *Importer) source() string {
	if im.Source == "" {
		return "default"
	}
	return im.Source
}

func (im *Importer) region() string {
	if im.DefaultRegion == "" {
		return "US"
	}
	return im.DefaultRegion
}

func (im *Importer) batchSize() int {
	if im.BatchSize <= 0 {
		return 1000
	}
	return im.BatchSize
}

// Counts are the outcomes of one resource type.
type Counts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Rejected  int `json:"rejected"`
}

// Summary tells what an import did.
type Summary struct {
	Files int `json:"files"`
	// ByType counts outcomes per imported resource type.
	ByType map[string]*Counts `json:"by_type"`
	// Unsupported counts resources of types rapport does not import, by type.
	Unsupported map[string]int `json:"unsupported,omitempty"`
	// PossibleDuplicates counts patients kept apart that share an identifier.
	PossibleDuplicates int `json:"possible_duplicates"`
	// WaitingRefs counts references to practitioners, locations or
	// prescriptions not (yet) imported.
	WaitingRefs int `json:"waiting_refs"`
	// Regimens counts the regimens the imported prescriptions proposed,
	// changed or stopped; they are not imported resources, so not in Total.
	Regimens reminders.ImportCounts `json:"regimens"`
	// CaregiversEnded counts the caregivers the source no longer lists
	// for their patient, or deleted: their role ended (revoked by import).
	CaregiversEnded int `json:"caregivers_ended,omitempty"`
}

func newSummary() Summary {
	return Summary{ByType: map[string]*Counts{}, Unsupported: map[string]int{}}
}

func (s *Summary) counts(typ string) *Counts {
	c := s.ByType[typ]
	if c == nil {
		c = &Counts{}
		s.ByType[typ] = c
	}
	return c
}

// Total adds up the counts of every imported type; resources of types
// rapport does not import are in Unsupported, not here.
func (s Summary) Total() (created, updated, unchanged, rejected int) {
	for _, c := range s.ByType {
		created += c.Created
		updated += c.Updated
		unchanged += c.Unchanged
		rejected += c.Rejected
	}
	return
}

func (s *Summary) add(o Summary) {
	s.Files += o.Files
	for typ, c := range o.ByType {
		t := s.counts(typ)
		t.Created += c.Created
		t.Updated += c.Updated
		t.Unchanged += c.Unchanged
		t.Rejected += c.Rejected
	}
	for typ, n := range o.Unsupported {
		s.Unsupported[typ] += n
	}
	s.PossibleDuplicates += o.PossibleDuplicates
	s.CaregiversEnded += o.CaregiversEnded
	s.Regimens.Add(o.Regimens)
	s.WaitingRefs = o.WaitingRefs // the latest pass knows what still waits
}

// String is the summary as the command line prints it.
func (s Summary) String() string {
	created, updated, unchanged, rejected := s.Total()
	var b strings.Builder
	files := "files"
	if s.Files == 1 {
		files = "file"
	}
	// The rows use the same four words as this total, so they add up to it.
	fmt.Fprintf(&b, "%d %s: %d created, %d updated, %d unchanged, %d rejected\n", s.Files, files, created, updated, unchanged, rejected)
	types := make([]string, 0, len(s.ByType))
	for t := range s.ByType {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		c, name := s.ByType[t], t
		if name == "" {
			name = "(unreadable)" // a line that is not a resource
		}
		fmt.Fprintf(&b, "  %-20s %8d created %8d updated %8d unchanged %6d rejected\n", name, c.Created, c.Updated, c.Unchanged, c.Rejected)
	}
	if len(s.Unsupported) > 0 {
		var parts []string
		for t, n := range s.Unsupported {
			parts = append(parts, fmt.Sprintf("%s %d", t, n))
		}
		sort.Strings(parts)
		fmt.Fprintf(&b, "  not imported (types rapport does not use): %s\n", strings.Join(parts, ", "))
	}
	if r := s.Regimens; r != (reminders.ImportCounts{}) {
		fmt.Fprintf(&b, "  %-20s %8d created %8d updated %8d unchanged %6d stopped (proposed for staff to start)\n", "Regimen", r.Created, r.Updated, r.Unchanged, r.Stopped)
		if r.NoZone+r.Unschedulable > 0 {
			fmt.Fprintf(&b, "  prescriptions without a regimen: %d of patients with no time zone, %d with a dosage that cannot be scheduled\n", r.NoZone, r.Unschedulable)
		}
	}
	if s.PossibleDuplicates > 0 {
		fmt.Fprintf(&b, "  possible duplicates reported: %d\n", s.PossibleDuplicates)
	}
	if s.CaregiversEnded > 0 {
		fmt.Fprintf(&b, "  caregivers the source no longer lists or deleted, ended: %d\n", s.CaregiversEnded)
	}
	if s.WaitingRefs > 0 {
		fmt.Fprintf(&b, "  references waiting for resources not imported yet: %d\n", s.WaitingRefs)
	}
	return b.String()
}
