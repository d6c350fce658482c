package csvimport

import (
	"strings"

	"github.com/rapporthq/rapport"
)

// caregivers reads the row's caregiver blocks; problems go to rd.errs. The
// same person twice on one row (same name and relationship) is one
// caregiver: the first block wins.
func (rd *rowReader) caregivers(row []string, sourceID string) []Caregiver {
	var out []Caregiver
	for i := range rd.m.c.caregivers {
		cf := &rd.m.c.caregivers[i]
		c := rd.caregiver(row, cf)
		if c == nil {
			continue
		}
		id := CaregiverID(sourceID, cf.n, c)
		dup := false
		for _, o := range out {
			dup = dup || o.ID == id
		}
		if !dup {
			out = append(out, Caregiver{ID: id, Block: cf.n, Caregiver: c})
		}
	}
	return out
}

// cell is f's cell in row, trimmed, and its index in the header.
func (rd *rowReader) cell(row []string, f *field) (string, int) {
	col := rd.idx[f.at]
	return strings.TrimSpace(row[col]), col
}

// caregiver reads one block. A block whose name and contact cells are all
// empty is no caregiver (nil), whatever its other cells say: a CRM often
// fills a relationship or consent default on every row.
func (rd *rowReader) caregiver(row []string, cf *caregiverFields) *rapport.Caregiver {
	c := &rapport.Caregiver{Relationship: cf.relDefault, Scope: cf.scopeDefault, Consent: rapport.ConsentNotRecorded}
	if cf.name != nil {
		v, _ := rd.cell(row, cf.name)
		c.Given, c.Family = splitName(v)
	}
	if cf.given != nil {
		c.Given, _ = rd.cell(row, cf.given)
	}
	if cf.family != nil {
		c.Family, _ = rd.cell(row, cf.family)
	}
	ranks := map[rapport.ContactKind]int{}
	for i := range cf.contacts {
		cell, _ := rd.cell(row, &cf.contacts[i].field)
		c.Contacts = appendContacts(c.Contacts, ranks, &cf.contacts[i], cell)
	}
	if c.Name() == "" && len(c.Contacts) == 0 {
		return nil
	}
	rd.relationship(row, cf, c)
	if f := cf.language; f != nil {
		if v, col := rd.cell(row, f); v != "" {
			if f.values != nil {
				v = rd.translate(f, col, v)
			} else if !isLanguageTag(v) {
				rd.fail(f, col, v, "is not a language tag such as en or es (give a values map to translate names)")
				v = ""
			}
			// Messages are templated by primary language: es-MX is es.
			primary, _, _ := strings.Cut(v, "-")
			c.Language = strings.ToLower(primary)
		}
	}
	if f := cf.scope; f != nil {
		v, col := rd.cell(row, f)
		if s := rd.lookupCell(f, col, v, defaultScope, "reminders, conversation"); s != "" {
			c.Scope = rapport.CaregiverScope(s)
		}
	}
	if f := cf.consent; f != nil {
		v, col := rd.cell(row, f)
		switch s := rapport.CaregiverConsent(rd.lookupCell(f, col, v, defaultConsent, "yes or no (Y, N, true, false, 1, 0)")); s {
		case rapport.ConsentGranted, rapport.ConsentRefused:
			// The importer dates it: reading has no clock, and the date
			// must not change the content hash of an unchanged row.
			c.Consent, c.ConsentSource = s, rapport.SourceImport
		}
	}
	return c
}

// relationship reads a relationship cell: through the mapping's values
// first, then as a v3-RoleCode or a word rapport knows (the values add to
// the words, they do not replace them); an empty cell keeps the default.
func (rd *rowReader) relationship(row []string, cf *caregiverFields, c *rapport.Caregiver) {
	f := cf.relationship
	if f == nil {
		return
	}
	v, col := rd.cell(row, f)
	if v == "" {
		if c.Relationship.Code == "" {
			rd.fail(f, col, v, "is empty: rapport needs to know who the caregiver is to the patient (or give the mapping a default)")
		}
		return
	}
	target := v
	if t, ok := f.values[strings.ToLower(v)]; ok {
		target = t
	}
	code, ok := parseRelationship(target)
	if !ok {
		rd.fail(f, col, v, "is not a relationship rapport knows: a v3-RoleCode such as DAU or a word such as daughter, spouse, guardian (add it to the mapping's values)")
		return
	}
	c.Relationship = code
}
