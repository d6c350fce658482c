package fhir

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/rapporthq/rapport"
)

// Mapped reports whether rapport maps resources of type typ to a record.
// Other types are read (and checked to be JSON) but skipped.
func Mapped(typ string) bool {
	switch typ {
	case "Patient", "Condition", "Encounter", "Appointment", "MedicationRequest", "MedicationDispense", "Practitioner", "Location", "RelatedPerson":
		return true
	}
	return false
}

// fastPatients switches Patient decoding to [patientJSON.decodeFast];
// tests turn it off to compare.
var fastPatients = true

type header struct {
	ResourceType string `json:"resourceType"`
	ID           string `json:"id"`
}

// mapResource decodes one resource of type typ from data and maps it. It
// returns the resource's id (as far as it could be read), the record (nil
// for types rapport skips), the patient the record belongs to, and a
// *fieldError when the resource is malformed or cannot be mapped.
func mapResource(typ string, data []byte, r *resolver) (id string, rec any, subject rapport.Ref, err error) {
	switch typ {
	case "Patient":
		var in patientJSON
		if !fastPatients || !in.decodeFast(data) || in.ResourceType != typ {
			in = patientJSON{}
			if err := decode(data, &in, &in.ResourceType, typ); err != nil {
				return in.ID, nil, subject, err
			}
		}
		p, err := in.toDomain()
		return in.ID, nilIfErr(p, err), subject, err
	case "Condition":
		var in conditionJSON
		if err := decode(data, &in, &in.ResourceType, typ); err != nil {
			return in.ID, nil, subject, err
		}
		c, subject, err := in.toDomain(r)
		return in.ID, nilIfErr(c, err), subject, err
	case "Encounter":
		var in encounterJSON
		if err := decode(data, &in, &in.ResourceType, typ); err != nil {
			return in.ID, nil, subject, err
		}
		e, subject, err := in.toDomain(r)
		return in.ID, nilIfErr(e, err), subject, err
	case "Appointment":
		var in appointmentJSON
		if err := decode(data, &in, &in.ResourceType, typ); err != nil {
			return in.ID, nil, subject, err
		}
		a, subject, err := in.toDomain(r)
		return in.ID, nilIfErr(a, err), subject, err
	case "MedicationRequest":
		var in medicationRequestJSON
		if err := decode(data, &in, &in.ResourceType, typ); err != nil {
			return in.ID, nil, subject, err
		}
		m, subject, err := in.toDomain(r)
		return in.ID, nilIfErr(m, err), subject, err
	case "MedicationDispense":
		var in medicationDispenseJSON
		if err := decode(data, &in, &in.ResourceType, typ); err != nil {
			return in.ID, nil, subject, err
		}
		m, subject, err := in.toDomain(r)
		return in.ID, nilIfErr(m, err), subject, err
	case "RelatedPerson":
		var in relatedPersonJSON
		if err := decode(data, &in, &in.ResourceType, typ); err != nil {
			return in.ID, nil, subject, err
		}
		c, subject, err := in.toDomain(r)
		return in.ID, nilIfErr(c, err), subject, err
	case "Practitioner":
		var in practitionerJSON
		if err := decode(data, &in, &in.ResourceType, typ); err != nil {
			return in.ID, nil, subject, err
		}
		return in.ID, in.toDomain(), subject, nil
	case "Location":
		var in locationJSON
		if err := decode(data, &in, &in.ResourceType, typ); err != nil {
			return in.ID, nil, subject, err
		}
		l, err := in.toDomain()
		return in.ID, nilIfErr(l, err), subject, err
	default:
		var in header
		if err := decode(data, &in, &in.ResourceType, typ); err != nil {
			return in.ID, nil, subject, err
		}
		return in.ID, nil, subject, nil
	}
}

// nilIfErr returns rec as an any, or an untyped nil when err is set (so that
// Item.Record == nil holds for failed items).
func nilIfErr[T any](rec *T, err error) any {
	if err != nil || rec == nil {
		return nil
	}
	return rec
}

// decode unmarshals data into v and checks that the resourceType it read
// (*rt) is typ.
func decode(data []byte, v any, rt *string, typ string) error {
	if err := json.Unmarshal(data, v); err != nil {
		return jsonError(err)
	}
	if *rt != typ {
		return errField("resourceType", "%q, expected %q", *rt, typ)
	}
	return nil
}

// jsonError turns an encoding/json error into a *fieldError naming the
// field where the JSON path is known.
func jsonError(err error) *fieldError {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return errField("", "not valid JSON: %s (byte %d)", syn.Error(), syn.Offset)
	case errors.As(err, &typ):
		return errField(typ.Field, "got JSON %s, want %s", typ.Value, jsonKind(typ.Type))
	}
	return errField("", "not valid JSON: %s", err.Error())
}

func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "an integer"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Slice:
		return "an array"
	case reflect.Struct, reflect.Pointer, reflect.Map:
		return "an object"
	}
	return fmt.Sprintf("a %s", t.Kind())
}
