package csvimport

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/rapporthq/rapport"
)

// PatientKey names the column of a caregivers file that says whose
// caregiver a row is: an identifier of the patient (with System, such as
// an MRN's) or, without System, the patient's record id in this source
// (the id_column of the patients' export, imported with the same source).
type PatientKey struct {
	Column string `yaml:"column"`
	System string `yaml:"system"`
}

type patientKeyField struct {
	field
	system string
}

// compileCaregiversOf checks a caregivers file's mapping: a patient
// column, at least one caregivers entry, and no patient fields.
func (m *Mapping) compileCaregiversOf(v *validator) {
	k := m.CaregiversOf
	if k == nil {
		return
	}
	if k.Column == "" {
		v.errorf("caregivers_of", "column is required: the column naming the patient (an MRN, or the patient's record id)")
	}
	if len(m.Caregivers) == 0 {
		v.errorf("caregivers_of", "a caregivers file needs a caregivers entry saying which columns hold the caregiver")
	}
	if len(m.Caregivers) > 1 && m.IDColumn != "" {
		v.errorf("id_column", "in a caregivers file it is the caregiver's record id, so a row holds one caregiver: give one caregivers entry")
	}
	p := &m.c
	if len(m.Identifiers) > 0 || len(m.Contacts) > 0 || p.given != nil || p.family != nil || p.birth != nil || p.sex != nil ||
		p.language != nil || p.timeZone != nil || len(p.lines) > 0 || p.city != nil || p.district != nil || p.state != nil ||
		p.postalCode != nil || p.country != nil || p.rural != nil || p.internet != nil || p.deceased != nil {
		v.errorf("caregivers_of", "a caregivers file maps no patient fields (patient, identifiers, contacts): import the patients from their own export")
	}
	p.of = &patientKeyField{field: field{path: "caregivers_of", name: "patient", column: k.Column}, system: k.System}
}

// caregiversOf reads a row of a caregivers file: the patient it names in
// Record.Of, its caregivers, and no patient.
func (rd *rowReader) caregiversOf(row []string, rec Record) Record {
	c := &rd.m.c
	key, col := rd.cell(row, &c.of.field)
	if key == "" {
		rd.fail(&c.of.field, col, key, "is empty: every row names the patient whose caregiver it holds")
	}
	prefix := key
	rec.Of = rapport.Ref{ResourceID: key}
	if c.of.system != "" {
		id := rapport.Identifier{System: c.of.system, Value: key}
		rec.Of = rapport.Ref{Identifier: &id}
		// A hash, so that an MRN shows in no id.
		sum := sha256.Sum256([]byte(id.System + "\x00" + id.Value))
		prefix = "identifier-" + hex.EncodeToString(sum[:8])
	}
	own := ""
	if rd.m.IDColumn != "" {
		v, col := rd.cell(row, &c.id)
		if v == "" {
			rd.fail(&c.id, col, v, "is empty: every row needs its record id")
		}
		own, rec.SourceID = v, v
	}
	cgs := rd.caregivers(row, prefix)
	if len(cgs) == 1 && own != "" {
		cgs[0].ID = own // the CRM's id for the person beats a derived one
	}
	if len(rd.errs) > 0 {
		rec.Err, rec.Of = errors.Join(rd.errs...), rapport.Ref{}
		return rec
	}
	rec.Caregivers = cgs
	return rec
}
