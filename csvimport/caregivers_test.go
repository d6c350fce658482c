package csvimport

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
)

func TestParseMappingCaregiverErrors(t *testing.T) {
	t.Parallel()
	cg := minimal + "caregivers:\n  - name: ec_name\n"
	tests := []struct {
		name, yaml string
		want       []string // substrings of the error, in order
	}{
		{"unknown field", cg + "    relation: rel\n", []string{"acme.yaml line 5:", `unknown field "relation"`}},
		{"no relationship", cg, []string{"acme.yaml line 4, field caregivers[0].relationship: required: a column, or a default"}},
		{"bad relationship default", cg + "    relationship: {column: rel, default: cousin-ish}\n", []string{"acme.yaml line 5, field caregivers[0].relationship.default:", `"cousin-ish" is not a relationship rapport knows`}},
		{"bad relationship value", cg + "    relationship: {column: rel, values: {MIL: mother-in-law}}\n", []string{"field caregivers[0].relationship.values:", `"mother-in-law" for "MIL" is not a relationship rapport knows`}},
		{"name and given", cg + "    given: ec_first\n    relationship: rel\n", []string{"field caregivers[0].name: give either name (one column) or given and family, not both"}},
		{"nobody", minimal + "caregivers:\n  - relationship: rel\n", []string{"acme.yaml line 4, field caregivers[0]: names no column for the caregiver's name or contacts"}},
		{"postal contact", cg + "    relationship: rel\n    contacts:\n      - {column: addr, kind: postal}\n", []string{"acme.yaml line 7, field caregivers[0].contacts[0].kind: a caregiver's contacts are phone or email"}},
		{"bad contact kind", cg + "    relationship: rel\n    contacts:\n      - {column: f, kind: fax}\n", []string{"field caregivers[0].contacts[0].kind:", `"fax" is not one of phone, email, postal`}},
		{"bad scope default", cg + "    relationship: rel\n    scope: {default: everything}\n", []string{"field caregivers[0].scope.default:", `"everything" is not one of reminders, conversation`}},
		{"bad scope value", cg + "    relationship: rel\n    scope: {column: s, values: {All: all}}\n", []string{"field caregivers[0].scope.values:", `"all" for "All" is not one of reminders, conversation`}},
		{"bad consent value", cg + "    relationship: rel\n    consent: {column: c, values: {Y: yes}}\n", []string{"field caregivers[0].consent.values:", `"yes" for "Y" is not one of granted, refused, not_recorded`}},
		{"consent default", cg + "    relationship: rel\n    consent: {column: c, default: granted}\n", []string{"field caregivers[0].consent.default: only a caregiver's relationship and scope have a default"}},
		{"patient field default", minimal + "patient:\n  sex: {column: g, default: female}\n", []string{"field patient.sex.default: only a caregiver's relationship and scope"}},
		{"second block", cg + "    relationship: rel\n  - given: g2\n    relationship: {column: r2, values: {X: nobody}}\n", []string{"field caregivers[1].relationship.values:", `"nobody" for "X"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := ParseMapping("acme.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("ParseMapping succeeded (%+v), want an error containing %q", m, tt.want)
			}
			rest := err.Error()
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error\n%s\nlacks %q (in order %q)", err, w, tt.want)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

const caregiverMapping = `source: acme-crm
id_column: id
patient:
  given: first
caregivers:
  - name: ec
    contacts:
      - {column: ec_phone, kind: phone, use: mobile}
    relationship: {column: rel, values: {Caretaker: FAMMEMB}}
    consent: consent
    language: lang
    scope: scope
  - given: c2_given
    family: c2_family
    contacts:
      - {column: c2_email, kind: email, separator: ";"}
    relationship: {column: c2_rel, default: friend}
`

const caregiverHeader = "id,first,ec,ec_phone,rel,consent,lang,scope,c2_given,c2_family,c2_email,c2_rel\n"

// TestReadCaregivers reads caregiver blocks: names whole or split,
// relationships as words, codes or values, consent and scope cells, a
// language narrowed to its primary subtag, empty blocks and repeats.
func TestReadCaregivers(t *testing.T) {
	t.Parallel()
	m := mustMapping(t, caregiverMapping)
	type want struct {
		given, family, code string
		scope               rapport.CaregiverScope
		consent             rapport.CaregiverConsent
		lang                string
		contacts            int
	}
	tests := []struct {
		name, row string
		want      []want
	}{
		{"both blocks", "1,Ana,Rosa María Reyes,512 867 5310,daughter,Y,es-MX,conversation,Jorge,Reyes,j@example.com; jr@example.com,HUSB",
			[]want{{"Rosa María", "Reyes", "DAU", "conversation", "granted", "es", 1}, {"Jorge", "Reyes", "HUSB", "reminders", "not_recorded", "", 2}}},
		{"family first, refused", "1,Ana,\"Reyes, Rosa\",,Wife,no,,,,,,",
			[]want{{"Rosa", "Reyes", "WIFE", "reminders", "refused", "", 0}}},
		{"code in any case, values", "1,Ana,Pat,,caretaker,,,,,,,", []want{{"Pat", "", "FAMMEMB", "reminders", "not_recorded", "", 0}}},
		{"lower-case code", "1,Ana,Pat Lee,,guard,1,,,,,,", []want{{"Pat", "Lee", "GUARD", "reminders", "granted", "", 0}}},
		{"Spanish word", "1,Ana,Luz,,Hija,,,,,,,", []want{{"Luz", "", "DAU", "reminders", "not_recorded", "", 0}}},
		{"phone only, default relationship", "1,Ana,,,,,,,,,c@example.com,", []want{{"", "", "FRND", "reminders", "not_recorded", "", 1}}},
		{"empty blocks", "1,Ana,,,,,,,,,,", nil},
		{"nobody named, other cells filled", "1,Ana,,,daughter,Y,es,conversation,,,,son", nil},
		{"same person twice", "1,Ana,Jorge Reyes,,husband,,,,jorge,REYES,,HUSB", []want{{"Jorge", "Reyes", "HUSB", "reminders", "not_recorded", "", 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			recs, err := readAll(t, m, caregiverHeader+tt.row+"\n")
			if err != nil || len(recs) != 1 || recs[0].Err != nil {
				t.Fatalf("Read: %v %+v", err, recs)
			}
			got := recs[0].Caregivers
			if len(got) != len(tt.want) {
				t.Fatalf("got %d caregivers %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				c := got[i].Caregiver
				if c.Given != w.given || c.Family != w.family || c.Relationship.Code != w.code || c.Relationship.System != rapport.RoleCodeSystem ||
					c.Scope != w.scope || c.Consent != w.consent || c.Language != w.lang || len(c.Contacts) != w.contacts {
					t.Errorf("caregiver %d = %+v, want %+v", i, c, w)
				}
				if (c.Consent == rapport.ConsentNotRecorded) != (c.ConsentSource == "") || !c.ConsentAt.IsZero() {
					t.Errorf("caregiver %d consent %s from %q at %v: the source is import when stated, the date the importer's", i, c.Consent, c.ConsentSource, c.ConsentAt)
				}
				if err := validateCaregiver(c, time.Now()); err != nil {
					t.Errorf("caregiver %d does not validate: %v", i, err)
				}
				if !strings.HasPrefix(got[i].ID, "1/caregiver/") {
					t.Errorf("caregiver %d id %q", i, got[i].ID)
				}
			}
			if len(recs[0].Patient.Contacts) != 0 {
				t.Errorf("caregiver contacts reached the patient: %+v", recs[0].Patient.Contacts)
			}
		})
	}
}

func TestReadCaregiverErrors(t *testing.T) {
	t.Parallel()
	m := mustMapping(t, caregiverMapping)
	tests := []struct {
		name, row string
		want      string // the whole error
	}{
		{"unknown relationship", "1,Ana,Rosa,,Dauhgter,,,,,,,", `crm.csv line 2, column rel (caregiver 1 relationship): "Dauhgter" is not a relationship rapport knows: a v3-RoleCode such as DAU or a word such as daughter, spouse, guardian (add it to the mapping's values)`},
		{"empty relationship, no default", "1,Ana,Rosa,,,,,,,,,", `crm.csv line 2, column rel (caregiver 1 relationship): "" is empty: rapport needs to know who the caregiver is to the patient (or give the mapping a default)`},
		{"bad consent", "1,Ana,Rosa,,DAU,maybe,,,,,,", `crm.csv line 2, column consent (caregiver 1 consent): "maybe" is not one of yes or no (Y, N, true, false, 1, 0)`},
		{"bad scope", "1,Ana,Rosa,,DAU,,,all,,,,", `crm.csv line 2, column scope (caregiver 1 scope): "all" is not one of reminders, conversation`},
		{"bad language", "1,Ana,Rosa,,DAU,,Spanish,,,,,", `crm.csv line 2, column lang (caregiver 1 language): "Spanish" is not a language tag such as en or es (give a values map to translate names)`},
		{"second block", "1,Ana,,,,,,,Jo,,,pal", `crm.csv line 2, column c2_rel (caregiver 2 relationship): "pal" is not a relationship rapport knows: a v3-RoleCode such as DAU or a word such as daughter, spouse, guardian (add it to the mapping's values)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			recs, err := readAll(t, m, caregiverHeader+tt.row+"\n")
			if err != nil || len(recs) != 1 {
				t.Fatalf("Read: %v %+v", err, recs)
			}
			if recs[0].Err == nil || recs[0].Err.Error() != tt.want {
				t.Errorf("Err = %v\nwant %s", recs[0].Err, tt.want)
			}
			var fe *FieldError
			if !errors.As(recs[0].Err, &fe) || strings.Contains(fe.Redacted(), fe.Value) && fe.Value != "" {
				t.Errorf("not a FieldError that can be redacted: %#v", recs[0].Err)
			}
			if recs[0].Patient != nil || recs[0].Caregivers != nil {
				t.Errorf("a bad row has a patient or caregivers")
			}
		})
	}
}

// TestCaregiverID: the id is stable for the same person (whatever the
// case and spacing of the name), differs for another person, relationship
// or patient, and shows no name.
func TestCaregiverID(t *testing.T) {
	t.Parallel()
	rosa := &rapport.Caregiver{Given: "Rosa", Family: "Reyes", Relationship: rapport.Code{Code: "DAU"}}
	id := CaregiverID("P-1", 1, rosa)
	same := []*rapport.Caregiver{
		{Given: "ROSA ", Family: " reyes", Relationship: rapport.Code{Code: "DAU", Display: "hija"}},
		{Given: "Rosa  Reyes", Relationship: rapport.Code{Code: "DAU"}},
	}
	for _, c := range same {
		if got := CaregiverID("P-1", 2, c); got != id {
			t.Errorf("CaregiverID(%+v) = %q, want %q", c, got, id)
		}
	}
	other := map[string]string{
		"another person":       CaregiverID("P-1", 1, &rapport.Caregiver{Given: "Rosa", Family: "Ruiz", Relationship: rapport.Code{Code: "DAU"}}),
		"another relationship": CaregiverID("P-1", 1, &rapport.Caregiver{Given: "Rosa", Family: "Reyes", Relationship: rapport.Code{Code: "SIS"}}),
		"another patient":      CaregiverID("P-2", 1, rosa),
		"no name, block 1":     CaregiverID("P-1", 1, &rapport.Caregiver{Relationship: rapport.Code{Code: "DAU"}}),
	}
	for what, got := range other {
		if got == id {
			t.Errorf("%s has the same id %q", what, got)
		}
	}
	if noName := CaregiverID("P-1", 2, &rapport.Caregiver{Relationship: rapport.Code{Code: "DAU"}}); noName == other["no name, block 1"] {
		t.Errorf("nameless caregivers of blocks 1 and 2 share id %q", noName)
	}
	if !strings.HasPrefix(id, "P-1/caregiver/") || strings.Contains(strings.ToLower(id), "rosa") {
		t.Errorf("id %q", id)
	}
}

func TestParseRelationship(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, code, display string
	}{
		{"daughter", "DAU", "daughter"}, {" Daughter ", "DAU", "daughter"}, {"DAU", "DAU", "daughter"}, {"dau", "DAU", "daughter"},
		{"spouse", "SPS", "spouse"}, {"Wife", "WIFE", "wife"}, {"husband", "HUSB", "husband"}, {"mother", "MTH", "mother"},
		{"son", "SON", "son"}, {"friend", "FRND", "friend"}, {"guardian", "GUARD", "guardian"}, {"Legal  Guardian", "GUARD", "guardian"},
		{"niece", "NIENEPH", "niece/nephew"}, {"hija", "DAU", "daughter"}, {"Mamá", "MTH", "mother"}, {"FAMMEMB", "FAMMEMB", "family member"},
		{"", "", ""}, {"dauhgter", "", ""}, {"emergency contact", "", ""}, {"XYZ", "", ""},
	}
	for _, tt := range tests {
		c, ok := parseRelationship(tt.in)
		if ok != (tt.code != "") || c.Code != tt.code || c.Display != tt.display || ok && c.System != rapport.RoleCodeSystem {
			t.Errorf("parseRelationship(%q) = %+v, %v; want %s (%s)", tt.in, c, ok, tt.code, tt.display)
		}
	}
}

func TestSplitName(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, given, family string }{
		{"Rosa Reyes", "Rosa", "Reyes"}, {"  Rosa   María  Reyes ", "Rosa María", "Reyes"}, {"Reyes, Rosa María", "Rosa María", "Reyes"},
		{"Cher", "Cher", ""}, {"", "", ""}, {"Reyes,", "", "Reyes"}, {", Rosa", "Rosa", ""},
	}
	for _, tt := range tests {
		if g, f := splitName(tt.in); g != tt.given || f != tt.family {
			t.Errorf("splitName(%q) = %q, %q; want %q, %q", tt.in, g, f, tt.given, tt.family)
		}
	}
}

func FuzzReadCaregivers(f *testing.F) {
	rows, file := mustMapping(f, caregiverMapping), mustMapping(f, caregiversFileMapping)
	f.Add(caregiverHeader + "1,Ana,Rosa María Reyes,512 867 5310,daughter,Y,es-MX,conversation,Jorge,Reyes,j@example.com; jr@example.com,HUSB\n")
	f.Add(caregiverHeader + "1,Ana,\"Reyes, Rosa\",,Dauhgter,maybe,Spanish,all,,,,pal\n")
	f.Add(caregiverHeader + "1,Ana,,,daughter,Y,es,conversation,,,,son\n2,Ben,\",\",,wife,,,,,,;,\n")
	f.Add("mrn,name,phone,rel,consent\nMRN-1,Rosa Reyes,512 867 5310,daughter,Y\n,Al,,son,\n")
	f.Fuzz(func(t *testing.T, data string) {
		for _, m := range []*Mapping{rows, file} {
			readCaregivers(t, m, data)
		}
	})
}

// readCaregivers reads data with m and checks the records' invariants.
func readCaregivers(t *testing.T, m *Mapping, data string) {
	t.Helper()
	err := Read(strings.NewReader(data), "fuzz.csv", m, func(r Record) error {
		if r.Err != nil && (r.Patient != nil || r.Caregivers != nil) {
			t.Fatalf("line %d: Err %v with patient or caregivers", r.Line, r.Err)
		}
		if r.Err != nil && !strings.HasPrefix(r.Err.Error(), "fuzz.csv line ") {
			t.Fatalf("row error does not name file and line: %v", r.Err)
		}
		seen := map[string]bool{}
		for _, cg := range r.Caregivers {
			if err := validateCaregiver(cg.Caregiver, time.Now()); err != nil {
				t.Fatalf("line %d: caregiver %d does not validate: %v", r.Line, cg.Block, err)
			}
			if seen[cg.ID] || !strings.Contains(cg.ID, "/caregiver/") || r.Patient != nil && !strings.HasPrefix(cg.ID, r.SourceID+"/") {
				t.Fatalf("line %d: caregiver id %q repeated or not of %q", r.Line, cg.ID, r.SourceID)
			}
			seen[cg.ID] = true
		}
		if r.Err == nil && (r.Patient == nil) == r.Of.IsZero() {
			t.Fatalf("line %d: patient %v and patient named %+v", r.Line, r.Patient, r.Of)
		}
		return nil
	})
	if err != nil && !strings.HasPrefix(err.Error(), "fuzz.csv") {
		t.Fatalf("error does not name the file: %v", err)
	}
}

const caregiversFileMapping = `source: acme-crm
caregivers_of: {column: mrn, system: "http://acme.example/mrn"}
caregivers:
  - name: name
    contacts:
      - {column: phone, kind: phone}
    relationship: rel
    consent: consent
`

func TestParseMappingCaregiversFileErrors(t *testing.T) {
	t.Parallel()
	entry := "caregivers:\n  - {name: n, relationship: r}\n"
	tests := []struct{ name, yaml, want string }{
		{"no column", "source: acme-crm\ncaregivers_of: {system: x}\n" + entry, "acme.yaml line 2, field caregivers_of: column is required"},
		{"no caregivers", "source: acme-crm\ncaregivers_of: {column: mrn}\n", "field caregivers_of: a caregivers file needs a caregivers entry"},
		{"patient fields", "source: acme-crm\ncaregivers_of: {column: mrn}\npatient: {given: g}\n" + entry, "field caregivers_of: a caregivers file maps no patient fields"},
		{"patient contacts", "source: acme-crm\ncaregivers_of: {column: mrn}\ncontacts: [{column: c, kind: email}]\n" + entry, "a caregivers file maps no patient fields"},
		{"own ids, two entries", "source: acme-crm\nid_column: id\ncaregivers_of: {column: mrn}\n" + entry + "  - {name: n2, relationship: r2}\n", "field id_column: in a caregivers file it is the caregiver's record id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseMapping("acme.yaml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestReadCaregiversFile reads a caregivers file: each row names its
// patient by MRN (or by record id, or carries the caregiver's own id) and
// holds caregivers only; an id derived from an MRN does not show it.
func TestReadCaregiversFile(t *testing.T) {
	t.Parallel()
	byMRN := mustMapping(t, caregiversFileMapping)
	byID := mustMapping(t, strings.Replace(caregiversFileMapping, `{column: mrn, system: "http://acme.example/mrn"}`, "{column: mrn}", 1))
	ownIDs := mustMapping(t, "id_column: cg_id\n"+caregiversFileMapping)
	const header = "cg_id,mrn,name,phone,rel,consent\n"
	csv := header + "C-1,MRN-0001,Rosa Reyes,512 867 5310,daughter,Y\nC-2,MRN-0002,,,,\n"
	for _, tt := range []struct {
		name string
		m    *Mapping
		of   rapport.Ref
		id   string // "" when derived
	}{
		{"by MRN", byMRN, rapport.Ref{Identifier: &rapport.Identifier{System: "http://acme.example/mrn", Value: "MRN-0001"}}, ""},
		{"by record id", byID, rapport.Ref{ResourceID: "MRN-0001"}, ""},
		{"own ids", ownIDs, rapport.Ref{Identifier: &rapport.Identifier{System: "http://acme.example/mrn", Value: "MRN-0001"}}, "C-1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			recs, err := readAll(t, tt.m, csv)
			if err != nil || len(recs) != 2 || recs[0].Err != nil || recs[1].Err != nil {
				t.Fatalf("Read: %v %+v", err, recs)
			}
			r := recs[0]
			if r.Patient != nil || len(r.Caregivers) != 1 || r.Caregivers[0].Caregiver.Relationship.Code != "DAU" || r.Caregivers[0].Caregiver.Consent != rapport.ConsentGranted {
				t.Fatalf("record = %+v", r)
			}
			if r.Of.ResourceID != tt.of.ResourceID || (r.Of.Identifier == nil) != (tt.of.Identifier == nil) || r.Of.Identifier != nil && *r.Of.Identifier != *tt.of.Identifier {
				t.Errorf("Of = %+v, want %+v", r.Of, tt.of)
			}
			id := r.Caregivers[0].ID
			if tt.id != "" && id != tt.id || tt.id == "" && (!strings.Contains(id, "/caregiver/") || tt.of.Identifier != nil && strings.Contains(id, "MRN")) {
				t.Errorf("caregiver id %q", id)
			}
			if len(recs[1].Caregivers) != 0 {
				t.Errorf("an empty row has caregivers %+v", recs[1].Caregivers)
			}
		})
	}
	recs, _ := readAll(t, ownIDs, header+",,Rosa,,DAU,\n")
	want := "crm.csv line 2, column mrn (patient): \"\" is empty: every row names the patient whose caregiver it holds\n" +
		"crm.csv line 2, column cg_id (id): \"\" is empty: every row needs its record id"
	if len(recs) != 1 || recs[0].Err == nil || recs[0].Err.Error() != want || recs[0].Of != (rapport.Ref{}) {
		t.Errorf("row without patient nor id: %+v", recs)
	}
}
