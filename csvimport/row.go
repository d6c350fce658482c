package csvimport

import (
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/zones"
)

// FieldError is a problem with one cell of one row.
type FieldError struct {
	Name   string // the CSV file
	Line   int    // where the cell starts
	Column string // the header's name for the column
	Field  string // what the cell fills: "birth_date", "sex", "mobile phone", …
	Value  string // the cell, trimmed
	Msg    string // what is wrong, without the value
}

// Error reads like `crm.csv line 17, column dob (birth_date): "13/45/1980"
// does not match format %m/%d/%Y`. It quotes the cell, which may be patient
// data: show it to the person running the import, never write it to a log
// (use [FieldError.Redacted] there).
func (e *FieldError) Error() string {
	return fmt.Sprintf("%s line %d, column %s (%s): %q %s", e.Name, e.Line, e.Column, e.Field, e.Value, e.Msg)
}

// Redacted is the message without the cell's value.
func (e *FieldError) Redacted() string {
	return fmt.Sprintf("%s line %d, column %s (%s): value %s", e.Name, e.Line, e.Column, e.Field, e.Msg)
}

// maxZones bounds the per-read cache of time zone names.
const maxZones = 512

// rowReader turns rows into records.
type rowReader struct {
	m     *Mapping
	name  string
	idx   []int // header index of each m.c.all field
	width int
	now   time.Time
	zones map[string]bool
	// per row
	cr   *csv.Reader
	errs []error
}

func (rd *rowReader) row(row []string, cr *csv.Reader) Record {
	rd.cr, rd.errs = cr, rd.errs[:0]
	line, _ := cr.FieldPos(0)
	rec := Record{Name: rd.name, Line: line}
	if len(row) != rd.width {
		rec.Err = fmt.Errorf("%s line %d: the row has %d fields, the header has %d", rd.name, line, len(row), rd.width)
		return rec
	}
	c := &rd.m.c
	if c.of != nil {
		return rd.caregiversOf(row, rec)
	}
	j := 0 // index into c.all, in the order compile appended
	next := func() (*field, string, int) {
		f, col := c.all[j], rd.idx[j]
		j++
		return f, strings.TrimSpace(row[col]), col
	}
	p := &rapport.Patient{}

	f, id, col := next()
	rec.SourceID = id
	if id == "" {
		rd.fail(f, col, id, "is empty: every row needs its record id")
	} else {
		p.Identifiers = append(p.Identifiers, rapport.Identifier{System: c.system, Value: id})
	}
	for _, idf := range c.identifiers {
		_, v, _ := next()
		if v != "" {
			p.Identifiers = append(p.Identifiers, rapport.Identifier{System: idf.system, Value: v, Type: idf.typ})
		}
	}
	if c.given != nil {
		_, p.Given, _ = next()
	}
	if c.family != nil {
		_, p.Family, _ = next()
	}
	if c.birth != nil {
		f, v, col := next()
		if v != "" {
			if d, ok := c.birthLayout.parse(v, rd.now); ok {
				p.BirthDate = d
			} else {
				rd.fail(f, col, v, "does not match format "+c.birthLayout.format)
			}
		}
	}
	if c.sex != nil {
		p.Sex = rapport.Sex(rd.lookup(next, defaultSex, "female, male, other, unknown (or F, M, O, U)"))
	}
	if c.language != nil {
		f, v, col := next()
		if v != "" {
			if f.values != nil {
				p.Language = rd.translate(f, col, v)
			} else if isLanguageTag(v) {
				p.Language = v
			} else {
				rd.fail(f, col, v, "is not a language tag such as en or es (give a values map to translate names)")
			}
		}
	}
	if c.timeZone != nil {
		f, v, col := next()
		if v != "" && f.values != nil {
			v = rd.translate(f, col, v)
		} else if v != "" && !rd.zone(v) {
			rd.fail(f, col, v, "is not an IANA time zone such as America/Chicago")
			v = ""
		}
		p.TimeZone = v
	}
	for range c.lines {
		if v := rd.value(next); v != "" {
			p.Address.Lines = append(p.Address.Lines, v)
		}
	}
	for _, dst := range []struct {
		f *field
		s *string
	}{{c.city, &p.Address.City}, {c.district, &p.Address.District}, {c.state, &p.Address.State}, {c.postalCode, &p.Address.PostalCode}, {c.country, &p.Address.Country}} {
		if dst.f != nil {
			*dst.s = rd.value(next)
		}
	}
	const yesNo = "yes or no (Y, N, true, false, 1, 0)"
	if c.rural != nil {
		// A cell that says yes or no wins over the ZIP code's RUCA code.
		v := rd.lookup(next, defaultFlag, yesNo)
		p.Rural, p.RuralStated = v == "true", v != ""
	}
	if c.internet != nil {
		if v := rd.lookup(next, defaultFlag, yesNo); v != "" {
			b := v == "true"
			p.InternetAccess = &b
		}
	}
	if c.deceased != nil {
		p.Deceased = rd.lookup(next, defaultFlag, yesNo) == "true"
	}
	ranks := map[rapport.ContactKind]int{}
	for i := range c.contacts {
		_, cell, _ := next()
		p.Contacts = appendContacts(p.Contacts, ranks, &c.contacts[i], cell)
	}
	// Caregivers come last in c.all; they are read by index, not by next.
	cgs := rd.caregivers(row, id)
	if len(rd.errs) > 0 {
		rec.Err = errors.Join(rd.errs...)
		return rec
	}
	rec.Patient, rec.Caregivers = p, cgs
	return rec
}

// appendContacts appends the contact points of a cell of cf's column to
// dst, ranked in order per kind.
func appendContacts(dst []rapport.ContactPoint, ranks map[rapport.ContactKind]int, cf *contactField, cell string) []rapport.ContactPoint {
	values := []string{cell}
	if cf.sep != "" {
		values = strings.Split(cell, cf.sep)
	}
	for _, v := range values {
		if strings.TrimSpace(v) == "" {
			continue
		}
		ranks[cf.kind]++
		dst = append(dst, rapport.ContactPoint{
			Kind: cf.kind, Raw: strings.TrimSpace(v), Use: cf.use, Rank: ranks[cf.kind], Source: rapport.SourceImport,
		})
	}
	return dst
}

// value reads the next field's cell, translated by its values map if any.
func (rd *rowReader) value(next func() (*field, string, int)) string {
	f, v, col := next()
	if v == "" || f.values == nil {
		return v
	}
	return rd.translate(f, col, v)
}

// lookup reads the next field's cell through its values map, or through
// defaults when it has none; an unlisted cell is a row error.
func (rd *rowReader) lookup(next func() (*field, string, int), defaults map[string]string, accepted string) string {
	f, v, col := next()
	return rd.lookupCell(f, col, v, defaults, accepted)
}

// lookupCell is lookup of a cell already read.
func (rd *rowReader) lookupCell(f *field, col int, v string, defaults map[string]string, accepted string) string {
	if v == "" {
		return ""
	}
	if f.values != nil {
		return rd.translate(f, col, v)
	}
	if out, ok := defaults[strings.ToLower(v)]; ok {
		return out
	}
	rd.fail(f, col, v, "is not one of "+accepted)
	return ""
}

// translate maps v through f's values; an unlisted value is a row error.
func (rd *rowReader) translate(f *field, col int, v string) string {
	if out, ok := f.values[strings.ToLower(v)]; ok {
		return out
	}
	rd.fail(f, col, v, "is not one of "+strings.Join(f.keys, ", ")+" (the mapping's values)")
	return ""
}

func (rd *rowReader) zone(name string) bool {
	if ok, seen := rd.zones[name]; seen {
		return ok
	}
	_, err := zones.Load(name)
	ok := err == nil && name != "Local"
	if len(rd.zones) < maxZones {
		rd.zones[name] = ok
	}
	return ok
}

func (rd *rowReader) fail(f *field, col int, v, msg string) {
	line, _ := rd.cr.FieldPos(col)
	rd.errs = append(rd.errs, &FieldError{Name: rd.name, Line: line, Column: f.column, Field: f.name, Value: v, Msg: msg})
}
