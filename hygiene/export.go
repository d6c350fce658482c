package hygiene

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// The files [Export] writes.
const (
	CorrectionsFile = "corrections.csv"
	PatientsFile    = "Patient.ndjson"
	FlagsFile       = "Flag.ndjson"
)

// correctionHeader is corrections.csv's header. source_identifiers lists
// the patient's identifiers as system|value, separated by ";".
var correctionHeader = []string{"patient_id", "source_identifiers", "contact_point", "kind", "status", "reason", "evidence_date", "suggestion"}

// ExportStats says what [Export] wrote.
type ExportStats struct {
	Patients    int                 `json:"patients"`
	Corrections int                 `json:"corrections"`
	Flags       int                 `json:"flags"`
	PatientIDs  []rapport.PatientID `json:"-"`
}

// learned is a contact point rapport knows more about than the source:
// not working (invalid, unreachable, stale, opted out), a landline kept as
// a mobile, or an email with a suggested fix.
func learned(c *rapport.ContactPoint) (suggestion string, ok bool) {
	switch {
	case c.Status == rapport.StatusInvalid, c.Status == rapport.StatusUnreachable, c.Status == rapport.StatusStale,
		c.Status == rapport.StatusOptedOut, c.Suggestion != "":
		return c.Suggestion, true
	case c.Kind == rapport.ContactPhone && c.Use == rapport.UseMobile && c.LineType == rapport.LineLandline:
		return "", true
	}
	return "", false
}

// Export writes what rapport learned for the CRM into dir: corrections.csv,
// and FHIR R4 NDJSON — Patient.ndjson (each corrected patient's telecom,
// with period.end on numbers that no longer work and rank on the others)
// and Flag.ndjson ("contact invalid", "possible duplicate of Patient/…").
// It streams the patients in batches. Returned stats list the patients
// whose data was read into the files, for the caller's audit.
func Export(ctx context.Context, db *store.DB, dir string, now time.Time) (*ExportStats, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("hygiene export: %w", err)
	}
	dups, err := db.FindPossibleDuplicates(ctx)
	if err != nil {
		return nil, fmt.Errorf("hygiene export: %w", err)
	}
	others := map[rapport.PatientID][]rapport.PatientID{}
	for _, d := range dups {
		others[d.A] = append(others[d.A], d.B)
		others[d.B] = append(others[d.B], d.A)
	}
	w, err := newExportWriter(dir)
	if err != nil {
		return nil, err
	}
	st := &ExportStats{}
	var after rapport.PatientID
	for {
		ps, err := db.PatientsAfter(ctx, after, 1000)
		if err != nil {
			w.close()
			return nil, fmt.Errorf("hygiene export: %w", err)
		}
		if len(ps) == 0 {
			break
		}
		for _, p := range ps {
			if err := w.patient(p, others[p.ID], now, st); err != nil {
				w.close()
				return nil, fmt.Errorf("hygiene export: patient %s: %w", p.ID, err)
			}
		}
		after = ps[len(ps)-1].ID
	}
	if err := w.close(); err != nil {
		return nil, fmt.Errorf("hygiene export: %w", err)
	}
	return st, nil
}

type exportWriter struct {
	files          []*os.File
	bufs           []*bufio.Writer
	csv            *csv.Writer
	patients, flag *json.Encoder
}

func newExportWriter(dir string) (*exportWriter, error) {
	w := &exportWriter{}
	for _, name := range []string{CorrectionsFile, PatientsFile, FlagsFile} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			w.close()
			return nil, fmt.Errorf("hygiene export: %w", err)
		}
		w.files, w.bufs = append(w.files, f), append(w.bufs, bufio.NewWriter(f))
	}
	w.csv = csv.NewWriter(w.bufs[0])
	w.patients, w.flag = json.NewEncoder(w.bufs[1]), json.NewEncoder(w.bufs[2])
	return w, w.csv.Write(correctionHeader)
}

func (w *exportWriter) close() error {
	var first error
	if w.csv != nil {
		w.csv.Flush()
		first = w.csv.Error()
	}
	for i, f := range w.files {
		if err := w.bufs[i].Flush(); err != nil && first == nil {
			first = err
		}
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// patient writes p's corrections, its Patient update and its flags, when
// rapport learned anything about p.
func (w *exportWriter) patient(p *rapport.Patient, dupOf []rapport.PatientID, now time.Time, st *ExportStats) error {
	ids := make([]string, len(p.Identifiers))
	for i, id := range p.Identifiers {
		ids[i] = id.System + "|" + id.Value
	}
	srcIDs := strings.Join(ids, ";")
	wrote := false
	for i := range p.Contacts {
		c := &p.Contacts[i]
		suggestion, ok := learned(c)
		if !ok {
			continue
		}
		wrote = true
		reason := c.StatusReason
		if c.LineType == rapport.LineLandline && c.Use == rapport.UseMobile && reason == "" {
			reason = "landline recorded as mobile"
		}
		for _, f := range c.Flags {
			if reason == "" && f.Code == rapport.FlagTypo {
				reason = f.Reason
			}
		}
		if err := w.csv.Write([]string{string(p.ID), srcIDs, c.Raw, string(c.Kind), string(c.Status), reason,
			c.StatusAt.UTC().Format(time.RFC3339), suggestion}); err != nil {
			return err
		}
		st.Corrections++
		if c.Status == rapport.StatusInvalid || c.Status == rapport.StatusUnreachable {
			if err := w.flag.Encode(contactFlag(p.ID, c)); err != nil {
				return err
			}
			st.Flags++
		}
	}
	for _, o := range dupOf {
		wrote = true
		if err := w.csv.Write([]string{string(p.ID), srcIDs, "", "patient", "possible_duplicate", "possible duplicate of patient " + string(o),
			now.UTC().Format(time.RFC3339), "review and merge with " + string(o)}); err != nil {
			return err
		}
		st.Corrections++
		if err := w.flag.Encode(duplicateFlag(p.ID, o, now)); err != nil {
			return err
		}
		st.Flags++
	}
	if !wrote {
		return nil
	}
	st.Patients++
	st.PatientIDs = append(st.PatientIDs, p.ID)
	return w.patients.Encode(patientUpdate(p))
}
