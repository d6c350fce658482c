package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
)

// record is one resource on its way into the store, whatever file it came from.
type record struct {
	where   string // "file line 5 (Patient/abc)", for errors
	typ     string // FHIR resource type
	id      string // the source's resource id
	data    any    // *rapport.Patient, *rapport.Encounter, …
	subject rapport.Ref
	// verify judges a patient's contact points; nil uses the importer's rule.
	// It runs after the content hash is taken: its judgements carry times.
	verify func(p *rapport.Patient, now time.Time)
	// hash is the content hash, taken before anything judged or added.
	hash string
	// invalid says why the record fails the domain's validation.
	invalid error
	// consentDated: the caregiver's consent was dated by the import, the
	// source having stated it without a date.
	consentDated bool
	// listsCaregivers: the record is a patient whose caregivers the file
	// lists in full (a CSV row with caregiver columns), none included.
	listsCaregivers bool
	// sum counts the record's outcome: its file's summary.
	sum *Summary
}

// contentHash fingerprints what the source said about a record, before
// rapport adds ids, times or judgements, so a re-import of the same data is
// recognised as unchanged.
func contentHash(r *record) string {
	b, err := json.Marshal(struct {
		Data    any         `json:"d"`
		Subject rapport.Ref `json:"s"`
	}{r.data, r.subject})
	if err != nil {
		panic(fmt.Sprintf("importer: hash %s: %v", r.typ, err)) // plain domain structs always marshal
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// RejectedRecord is one line of the reject report: a record left out of an
// import run with --continue-on-error, and why.
type RejectedRecord struct {
	File     string `json:"file"`
	Where    string `json:"where"`
	Resource string `json:"resource,omitempty"`
	Reason   string `json:"reason"`
}
