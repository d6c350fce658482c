package csvimport

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/verify"
)

// Record is one data row of a CSV export.
type Record struct {
	// Name is the CSV file's name, as given to [Read].
	Name string
	// Line is the line the row starts on (1 is the header).
	Line int
	// SourceID is the row's id_column cell, trimmed ("" in a caregivers
	// file without one).
	SourceID string
	// Of is, in a caregivers file (see [PatientKey]), the patient whose
	// caregivers the row holds; zero otherwise.
	Of rapport.Ref
	// Patient is the row as a patient; nil when Err is set, and in a
	// caregivers file. Its contact points have Kind, Raw, Use, Rank and
	// Source set, but no Value or Status: see [Mapping.Verify].
	Patient *rapport.Patient
	// Caregivers are the people the row's caregiver columns name (see
	// [CaregiverMapping]); their contact points, like the patient's, are
	// not judged yet. Nil when Err is set.
	Caregivers []Caregiver
	// Err lists what is wrong with the row, one [*FieldError] per bad cell
	// (joined with errors.Join), or says that the row is no CSV.
	Err error
}

// Read streams the CSV export r, whose first row must be a header, and calls
// fn once per data row, in order. name is the file's name for messages.
//
// Before the first row it checks that every column the mapping names is in
// the header, and fails with an error naming the file, the column and where
// the mapping names it. After that, problems of one row (a bad date, an
// unknown value, an empty id, a wrong number of fields, a stray quote) do not
// stop the reading: they come as [Record.Err], and the caller decides whether
// to abort or go on. Empty cells mean unknown and are never errors, except
// in the id column.
//
// Read accepts a UTF-8 byte order mark, CRLF line ends and quoted fields
// holding delimiters, quotes and line breaks; lines are counted in the file,
// so a row after a multi-line field has its true line. It keeps only one row
// in memory. It returns nil at the end of the input, the error fn returns
// (unwrapped) if fn fails, or an error reading r.
//
// Read does not judge contact points (it has no clock): callers call
// [Mapping.Verify] on each record's patient.
func Read(r io.Reader, name string, m *Mapping, fn func(Record) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comma = m.c.comma
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: empty file: a header row is required", name)
	}
	if err != nil {
		return fmt.Errorf("%s: header: %w", name, csvError(err))
	}
	idx, err := m.resolve(name, header)
	if err != nil {
		return err
	}
	rd := &rowReader{m: m, name: name, idx: idx, width: len(header), now: time.Now(), zones: map[string]bool{}}
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var rec Record
		if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
			rec = Record{Name: name, Line: pe.StartLine, Err: fmt.Errorf("%s line %d: %w", name, pe.Line, csvError(err))}
		} else if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		} else {
			rec = rd.row(row, cr)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// csvError drops encoding/csv's own position prefix: ours names the file.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if pe.Err == csv.ErrFieldCount {
			return pe.Err
		}
		return fmt.Errorf("column %d: %w", pe.Column, pe.Err)
	}
	return err
}

// resolve finds each column the mapping names in the header: by exact name
// first, then ignoring case and surrounding spaces. It returns the index of
// each of m.c.all's fields.
func (m *Mapping) resolve(name string, header []string) ([]int, error) {
	exact := make(map[string]int, len(header))
	folded := make(map[string]int, len(header))
	for i, h := range header {
		if _, dup := exact[h]; dup {
			exact[h] = -1 // ambiguous
		} else {
			exact[h] = i
		}
		k := strings.ToLower(strings.TrimSpace(h))
		if _, dup := folded[k]; dup {
			folded[k] = -1
		} else {
			folded[k] = i
		}
	}
	idx := make([]int, len(m.c.all))
	var errs []error
	for j, f := range m.c.all {
		i, ok := exact[f.column]
		if !ok {
			i, ok = folded[strings.ToLower(strings.TrimSpace(f.column))]
		}
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%s: the header has no column %q (mapping %s, %s); it has: %s", name, f.column, m.Name, f.path, listColumns(header)))
		case i < 0:
			errs = append(errs, fmt.Errorf("%s: the header has column %q more than once (mapping %s, %s)", name, f.column, m.Name, f.path))
		}
		idx[j] = i
	}
	return idx, errors.Join(errs...)
}

func listColumns(header []string) string {
	const max = 30
	quoted := make([]string, 0, min(len(header), max))
	for i, h := range header {
		if i == max {
			quoted = append(quoted, fmt.Sprintf("… (%d more)", len(header)-max))
			break
		}
		quoted = append(quoted, fmt.Sprintf("%q", h))
	}
	return strings.Join(quoted, ", ")
}

// Verify judges p, a patient from a [Record], with [verify.Patient] at
// now: its contact points, its address and its rurality. Phone numbers
// without a country code are read in the region of the patient's address
// when its country names one, else in the mapping's default_region.
func (m *Mapping) Verify(p *rapport.Patient, now time.Time) {
	verify.Patient(p, m.DefaultRegion, now)
}
