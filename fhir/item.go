package fhir

import (
	"fmt"
	"strconv"

	"github.com/rapporthq/rapport"
)

// Item is one resource read from a file, mapped to rapport's domain.
//
// Exactly one of Line (NDJSON, 1-based) and Entry (bundle, 0-based, with Line
// 0) locates it. Record is nil for resource types rapport does not import and
// for items whose Err is set.
type Item struct {
	// Name is the file name the reader was given.
	Name string
	// Line is the 1-based NDJSON line; 0 for bundle entries.
	Line int
	// Entry is the 0-based bundle entry index; meaningful when Line is 0.
	Entry int
	// ResourceType and ID are the resource's type and source id, when known.
	ResourceType string
	ID           string
	// Record is one of *rapport.Patient, *rapport.Condition,
	// *rapport.Encounter, *rapport.Appointment, *rapport.MedicationRequest,
	// *rapport.MedicationDispense, *rapport.Practitioner, *rapport.Location,
	// *rapport.Caregiver (from a RelatedPerson), or nil.
	Record any
	// Subject is the patient a clinical record or caregiver belongs to (the source's
	// Patient id, or an identifier for a conditional reference). It is zero
	// for Patient, Practitioner, Location and skipped resources.
	Subject rapport.Ref
	// Err is an [*ItemError] when the resource could not be read or mapped.
	Err error
	// Deleted says the source deleted the resource ResourceType/ID (a
	// transaction's DELETE); Record is nil.
	Deleted bool
}

// Where names the item for messages: "bundle.json entry 12 (Encounter/abc)"
// or "Patient.000.ndjson line 5 (Patient/xyz)".
func (it *Item) Where() string {
	return where(it.Name, it.Line, it.Entry, it.ResourceType, it.ID)
}

func where(name string, line, entry int, typ, id string) string {
	s := name
	if line > 0 {
		s += " line " + strconv.Itoa(line)
	} else if entry >= 0 {
		s += " entry " + strconv.Itoa(entry)
	}
	if typ != "" {
		if id != "" {
			s += " (" + typ + "/" + id + ")"
		} else {
			s += " (" + typ + ")"
		}
	}
	return s
}

// ItemError says why one resource could not be read or mapped, naming the
// file, line or entry, resource and the FHIR field path:
//
//	Patient.000.ndjson line 5 (Patient/abc): birthDate: "19x0" is not a FHIR date
//
// It matches [rapport.EINVALID] through errors.As on [*rapport.Error].
type ItemError struct {
	Name         string
	Line         int // 1-based NDJSON line, or 0
	Entry        int // 0-based bundle entry, or -1 for the bundle itself
	ResourceType string
	ID           string
	// Field is the FHIR path of the offending element ("telecom[1].rank");
	// empty when the whole resource is at fault (e.g. malformed JSON).
	Field string
	// Msg says what is wrong with it.
	Msg string
}

// Error implements error.
func (e *ItemError) Error() string {
	s := where(e.Name, e.Line, e.Entry, e.ResourceType, e.ID) + ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Msg
}

// Unwrap lets errors.As find a [*rapport.Error] with code EINVALID.
func (e *ItemError) Unwrap() error {
	return &rapport.Error{Code: rapport.EINVALID, Message: e.Error()}
}

// fieldError is a mapping error before the reader adds file and position.
type fieldError struct {
	Field string
	Msg   string
}

func (e *fieldError) Error() string {
	if e.Field == "" {
		return e.Msg
	}
	return e.Field + ": " + e.Msg
}

func errField(field, format string, args ...any) *fieldError {
	return &fieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// itemError places a mapping error (a *fieldError, or any error) in its
// file.
func itemError(name string, line, entry int, typ, id string, err error) *ItemError {
	e := &ItemError{Name: name, Line: line, Entry: entry, ResourceType: typ, ID: id, Msg: err.Error()}
	if fe, ok := err.(*fieldError); ok {
		e.Field, e.Msg = fe.Field, fe.Msg
	}
	return e
}
