package fhir

import (
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	inBundle := &resolver{fullURLs: map[string]target{
		"urn:uuid:6d705d81":                  {"Practitioner", "6d705d81"},
		"https://ehr.example/fhir/Patient/9": {"Patient", "9"},
	}}
	for _, tt := range []struct {
		name    string
		r       *resolver
		in      reference
		typ     string
		want    rapport.Ref
		wantErr string
	}{
		{"relative", &resolver{}, reference{Reference: "Patient/123", Display: "Ann"}, "Patient", rapport.Ref{ResourceID: "123", Display: "Ann"}, ""},
		{"absolute", &resolver{}, reference{Reference: "https://x.example/fhir/Patient/123"}, "Patient", rapport.Ref{ResourceID: "123"}, ""},
		{"versioned", &resolver{}, reference{Reference: "Patient/123/_history/4"}, "Patient", rapport.Ref{ResourceID: "123"}, ""},
		{"urn in bundle", inBundle, reference{Reference: "urn:uuid:6d705d81"}, "Practitioner", rapport.Ref{ResourceID: "6d705d81"}, ""},
		{"absolute fullUrl", inBundle, reference{Reference: "https://ehr.example/fhir/Patient/9"}, "Patient", rapport.Ref{ResourceID: "9"}, ""},
		{"urn not in bundle", inBundle, reference{Reference: "urn:uuid:nope"}, "", rapport.Ref{}, "not the fullUrl of any entry"},
		{"urn outside bundle", &resolver{}, reference{Reference: "urn:uuid:6d705d81"}, "", rapport.Ref{}, "only be resolved inside a bundle"},
		{"conditional", &resolver{}, reference{Reference: "Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999974493", Display: "Dr. X"}, "Practitioner",
			rapport.Ref{Identifier: &rapport.Identifier{System: "http://hl7.org/fhir/sid/us-npi", Value: "9999974493"}, Display: "Dr. X"}, ""},
		{"conditional escaped", &resolver{}, reference{Reference: "Location?identifier=https%3A%2F%2Fgithub.com%2Fsynthetichealth%2Fsynthea%7Cabc"}, "Location",
			rapport.Ref{Identifier: &rapport.Identifier{System: "https://github.com/synthetichealth/synthea", Value: "abc"}}, ""},
		{"conditional no system", &resolver{}, reference{Reference: "Patient?identifier=42"}, "Patient", rapport.Ref{Identifier: &rapport.Identifier{Value: "42"}}, ""},
		{"conditional other search", &resolver{}, reference{Reference: "Patient?name=smith"}, "", rapport.Ref{}, "only Type?identifier"},
		{"identifier only", &resolver{}, reference{Type: "Organization", Identifier: &identifier{System: "s", Value: "v"}}, "Organization",
			rapport.Ref{Identifier: &rapport.Identifier{System: "s", Value: "v"}}, ""},
		{"display only", &resolver{}, reference{Display: "Someone"}, "", rapport.Ref{Display: "Someone"}, ""},
		{"contained", &resolver{}, reference{Reference: "#med1"}, "", rapport.Ref{}, ""},
		{"garbage", &resolver{}, reference{Reference: "hello"}, "", rapport.Ref{}, "is not a FHIR reference"},
		{"lowercase type", &resolver{}, reference{Reference: "patient/1"}, "", rapport.Ref{}, "is not a FHIR reference"},
		{"trailing slash", &resolver{}, reference{Reference: "Patient/"}, "", rapport.Ref{}, "is not a FHIR reference"},
	} {
		typ, got, err := tt.r.resolve("subject", &tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "subject: ") {
				t.Errorf("%s: err = %v, want one naming subject and saying %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || typ != tt.typ || !sameRef(got, tt.want) {
			t.Errorf("%s: resolve = %q, %+v, %v; want %q, %+v", tt.name, typ, got, err, tt.typ, tt.want)
		}
	}
}

func sameRef(a, b rapport.Ref) bool {
	if a.ResourceID != b.ResourceID || a.Display != b.Display || (a.Identifier == nil) != (b.Identifier == nil) {
		return false
	}
	return a.Identifier == nil || *a.Identifier == *b.Identifier
}

func TestSubjectMustBePatient(t *testing.T) {
	t.Parallel()
	r := &resolver{}
	if _, err := r.subject("subject", &reference{Reference: "Group/1"}); err == nil || !strings.Contains(err.Error(), "Group, not a Patient") {
		t.Errorf("Group subject: err = %v", err)
	}
	if _, err := r.subject("subject", nil); err == nil {
		t.Error("missing subject accepted")
	}
	if ref, err := r.subject("subject", &reference{Reference: "Patient?identifier=mrn|7"}); err != nil || ref.Identifier == nil {
		t.Errorf("conditional subject = %+v, %v", ref, err)
	}
	// A PractitionerRole where a Practitioner is wanted is skipped, not an error.
	if ref, err := r.resolveTo("participant", &reference{Reference: "PractitionerRole/1"}, "Practitioner"); err != nil || !ref.IsZero() {
		t.Errorf("resolveTo(PractitionerRole) = %+v, %v; want zero", ref, err)
	}
}
