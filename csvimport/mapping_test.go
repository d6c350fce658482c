package csvimport

import (
	"strings"
	"testing"
	"time"
)

const minimal = "source: acme-crm\nid_column: contact_id\n"

func TestParseMappingErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml string
		want       []string // substrings of the error, in order
	}{
		{"yaml syntax", "source: acme\n  id_column: :\n", []string{"acme.yaml line 2:"}},
		{"unknown top-level field", minimal + "patients:\n  given: first\n", []string{"acme.yaml line 3:", `unknown field "patients"`}},
		{"unknown nested field", minimal + "patient:\n  birth_date: {column: dob, formt: \"%Y\"}\n", []string{"acme.yaml line 4:", `unknown field "formt"`}},
		{"duplicate key", minimal + "source: other\n", []string{"acme.yaml line 3:", `"source" already defined`}},
		{"wrong type", minimal + "patient:\n  given: [a, b]\n", []string{"acme.yaml line 4:"}},
		{"no source", "id_column: contact_id\n", []string{"acme.yaml, field source: required"}},
		{"no id column", "source: acme-crm\n", []string{"acme.yaml, field id_column: required"}},
		{"empty file", "", []string{"field source: required", "field id_column: required"}},
		{"bad region", minimal + "default_region: USA\n", []string{`acme.yaml line 3, field default_region: "USA" is not a known ISO 3166 alpha-2 region`}},
		{"unknown region", minimal + "default_region: XX\n", []string{`field default_region: "XX"`}},
		{"bad delimiter", minimal + "delimiter: \";;\"\n", []string{`acme.yaml line 3, field delimiter: ";;" is not one character`}},
		{"quote delimiter", minimal + "delimiter: '\"'\n", []string{`field delimiter: "\"" cannot separate fields`}},
		{"bad date directive", minimal + "patient:\n  birth_date: {column: dob, format: \"%m/%d/%Q\"}\n", []string{"acme.yaml line 4, field patient.birth_date.format:", "unknown directive %Q"}},
		{"go layout for a date", minimal + "patient:\n  birth_date: {column: dob, format: \"01/02/2006\"}\n", []string{"field patient.birth_date.format:", `literal '0'`}},
		{"date without year", minimal + "patient:\n  birth_date: {column: dob, format: \"%m/%d\"}\n", []string{"has no year"}},
		{"date format without column", minimal + "patient:\n  birth_date: {format: \"%Y\"}\n", []string{"acme.yaml line 4, field patient.birth_date: column is required"}},
		{"bad sex value", minimal + "patient:\n  sex: {column: g, values: {F: woman}}\n", []string{"acme.yaml line 4, field patient.sex.values:", `"woman" for "F" is not one of female, male, other, unknown`}},
		{"values that clash", minimal + "patient:\n  sex: {column: g, values: {F: female, f: male}}\n", []string{"field patient.sex.values:", "listed twice"}},
		{"bad language value", minimal + "patient:\n  language: {column: l, values: {English: english language}}\n", []string{"field patient.language.values:", "not a BCP 47 language tag"}},
		{"bad time zone value", minimal + "patient:\n  time_zone: {column: tz, values: {Central: CST6}}\n", []string{"field patient.time_zone.values:", "not an IANA time zone"}},
		{"bad flag value", minimal + "patient:\n  rural: {column: r, values: {Y: si}}\n", []string{"field patient.rural.values:", "is not true or false"}},
		{"values on a plain field", minimal + "patient:\n  given: {column: g, values: {A: b}}\n", []string{"field patient.given.values:", "without values"}},
		{"format on another field", minimal + "patient:\n  sex: {column: g, format: \"%Y\"}\n", []string{"field patient.sex.format: only birth_date has a format"}},
		{"contact kind", minimal + "contacts:\n  - {column: fax, kind: fax}\n", []string{"acme.yaml line 4, field contacts[0].kind:", `"fax" is not one of phone, email, postal`}},
		{"contact use", minimal + "contacts:\n  - {column: a, kind: phone}\n  - {column: b, kind: phone, use: cell}\n", []string{"acme.yaml line 5, field contacts[1].use:", `"cell" is not one of mobile, home, work`}},
		{"contact without column", minimal + "contacts:\n  - {kind: email}\n", []string{"acme.yaml line 4, field contacts[0]: column is required"}},
		{"identifier without system", minimal + "identifiers:\n  - {column: mrn}\n", []string{"acme.yaml line 4, field identifiers[0]: system is required"}},
		{"anchor and alias", minimal + "patient:\n  given: &g {column: first}\n  family: *g\n", []string{"acme.yaml line 4:", "anchors and aliases are not allowed (&g)"}},
		{"billion laughs", minimal + "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" +
			"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n" +
			"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n",
			[]string{"acme.yaml line 3:", "anchors and aliases are not allowed (&a)"}},
		{"several errors at once", "delimiter: \"\"\ncontacts:\n  - {column: a, kind: fax}\n", []string{"field source: required", "field id_column: required", "field contacts[0].kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := ParseMapping("acme.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("ParseMapping succeeded (%+v), want an error containing %q", m, tt.want)
			}
			msg := err.Error()
			rest := msg
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error\n%s\nlacks %q (in order %q)", msg, w, tt.want)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestParseMappingExample(t *testing.T) {
	t.Parallel()
	m, err := LoadMapping("testdata/example-mapping.yaml")
	if err != nil {
		t.Fatalf("LoadMapping: %v", err)
	}
	if m.Name != "example-mapping.yaml" || m.SourceSystem() != "urn:rapport:source:acme-crm" || len(m.Contacts) != 3 {
		t.Errorf("LoadMapping = name %q, system %q, %d contacts", m.Name, m.SourceSystem(), len(m.Contacts))
	}
	uri, err := ParseMapping("m.yaml", []byte("source: \"http://acme.example/contacts\"\nid_column: id\ndelimiter: tab\n"))
	if err != nil {
		t.Fatal(err)
	}
	if uri.SourceSystem() != "http://acme.example/contacts" || uri.c.comma != '\t' {
		t.Errorf("a URI source gives system %q, comma %q", uri.SourceSystem(), uri.c.comma)
	}
	if _, err := LoadMapping("testdata/no-such-file.yaml"); err == nil || !strings.Contains(err.Error(), "no-such-file.yaml") {
		t.Errorf("LoadMapping of a missing file: %v", err)
	}
}

func TestParseDateFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format, cell, want string
		ok                 bool
	}{
		{"%m/%d/%Y", "01/02/1980", "1980-01-02", true},
		{"%m/%d/%Y", "1/2/1980", "1980-01-02", true},
		{"%m/%d/%Y", "13/45/1980", "", false},
		{"%m/%d/%Y", "02/29/1990", "", false},
		{"%m/%d/%Y", "02/29/1992", "1992-02-29", true},
		{"%d.%m.%Y", "31.12.1999", "1999-12-31", true},
		{"%Y-%m-%d", "1980-01-02", "1980-01-02", true},
		{"%Y%m%d", "19800102", "1980-01-02", true},
		{"%d-%b-%Y", "02-Jan-1980", "1980-01-02", true},
		{"%B %e, %Y", "January 2, 1980", "1980-01-02", true},
		{"%m/%d/%y", "01/02/45", "1945-01-02", true},
		{"%m/%d/%y", "01/02/05", "2005-01-02", true},
		{"%Y-%m", "1980-07", "1980-07", true},
		{"%Y", "1980", "1980", true},
		{"%Y", "80", "", false},
	}
	now := mustDate(t, "2026-11-25")
	for _, tt := range tests {
		l, err := parseDateFormat(tt.format)
		if err != nil {
			t.Fatalf("parseDateFormat(%q): %v", tt.format, err)
		}
		got, ok := l.parse(tt.cell, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("format %q, cell %q = %q, %v; want %q, %v", tt.format, tt.cell, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzParseMapping(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte(minimal + "patient:\n  birth_date: {column: dob, format: \"%m/%d/%Y\"}\n  sex: {column: g, values: {F: female}}\n"))
	f.Add([]byte("source: [\n"))
	f.Add([]byte(minimal + "contacts:\n  - {column: a, kind: phone, use: mobile, separator: \";\"}\n"))
	f.Add([]byte("&a [*a]"))
	f.Add([]byte(minimal + "caregivers:\n  - name: ec\n    relationship: {column: rel, values: {Mom: MTH}, default: friend}\n    scope: {default: conversation}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMapping("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if m.Source == "" || m.IDColumn == "" || m.SourceSystem() == "" {
			t.Fatalf("accepted a mapping without source or id column: %+v", m)
		}
	})
}

func mustDate(t *testing.T, s string) (d time.Time) {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
