package csvimport

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

const testMapping = `source: acme-crm
id_column: id
default_region: US
patient:
  given: first
  birth_date: {column: dob, format: "%m/%d/%Y"}
  sex: gender
  language: lang
  time_zone: tz
  internet_access: net
contacts:
  - {column: cell, kind: phone, use: mobile}
  - {column: email, kind: email}
`

func mustMapping(t testing.TB, src string) *Mapping {
	t.Helper()
	m, err := ParseMapping("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("ParseMapping: %v", err)
	}
	return m
}

// readAll reads csv with m and returns its records.
func readAll(t testing.TB, m *Mapping, csv string) ([]Record, error) {
	t.Helper()
	var recs []Record
	err := Read(strings.NewReader(csv), "crm.csv", m, func(r Record) error {
		recs = append(recs, r)
		return nil
	})
	return recs, err
}

const testHeader = "id,first,dob,gender,lang,tz,net,cell,email\n"

func TestReadRowErrors(t *testing.T) {
	t.Parallel()
	m := mustMapping(t, testMapping)
	tests := []struct {
		name, row string
		want      string // the whole error
	}{
		{"bad date", "7,Ana,13/45/1980,,,,,,", `crm.csv line 2, column dob (birth_date): "13/45/1980" does not match format %m/%d/%Y`},
		{"unknown sex", "7,Ana,,X,,,,,", `crm.csv line 2, column gender (sex): "X" is not one of female, male, other, unknown (or F, M, O, U)`},
		{"empty id", " ,Ana,,,,,,,", `crm.csv line 2, column id (id): "" is empty: every row needs its record id`},
		{"bad language", "7,Ana,,,Spanish,,,,", `crm.csv line 2, column lang (language): "Spanish" is not a language tag such as en or es (give a values map to translate names)`},
		{"bad zone", "7,Ana,,,,Central,,,", `crm.csv line 2, column tz (time_zone): "Central" is not an IANA time zone such as America/Chicago`},
		{"bad flag", "7,Ana,,,,,maybe,,", `crm.csv line 2, column net (internet_access): "maybe" is not one of yes or no (Y, N, true, false, 1, 0)`},
		{"short row", "7,Ana", `crm.csv line 2: the row has 2 fields, the header has 9`},
		{"bare quote", `7,An"a,,,,,,,`, `crm.csv line 2: column 5: bare " in non-quoted-field`},
		{"two problems", "7,Ana,1980,Q,,,,,", "crm.csv line 2, column dob (birth_date): \"1980\" does not match format %m/%d/%Y\ncrm.csv line 2, column gender (sex): \"Q\" is not one of female, male, other, unknown (or F, M, O, U)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			recs, err := readAll(t, m, testHeader+tt.row+"\n8,Ben,,,,,,,\n")
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if len(recs) != 2 {
				t.Fatalf("got %d records, want 2 (the bad row and the good one after it)", len(recs))
			}
			if recs[0].Err == nil || recs[0].Err.Error() != tt.want {
				t.Errorf("Err = %v, want %s", recs[0].Err, tt.want)
			}
			if recs[0].Patient != nil {
				t.Errorf("a bad row has a patient")
			}
			if recs[1].Err != nil || recs[1].Patient == nil || recs[1].Patient.Given != "Ben" || recs[1].Line != 3 {
				t.Errorf("the row after a bad one = %+v", recs[1])
			}
		})
	}
	var fe *FieldError
	recs, _ := readAll(t, m, testHeader+"7,Ana,13/45/1980,,,,,,\n")
	if !errors.As(recs[0].Err, &fe) || strings.Contains(fe.Redacted(), "13/45") || fe.Column != "dob" || fe.Field != "birth_date" {
		t.Errorf("FieldError = %+v, redacted %q", fe, fe.Redacted())
	}
}

func TestReadValues(t *testing.T) {
	t.Parallel()
	m := mustMapping(t, testMapping)
	recs, err := readAll(t, m, testHeader+"7, Ana ,1/2/1980,f,es-MX,America/Chicago,N,(212) 555-0100,ana@example.com\n8,,,,,,,,\n")
	if err != nil {
		t.Fatal(err)
	}
	p := recs[0].Patient
	if recs[0].Err != nil || p == nil {
		t.Fatalf("record = %+v", recs[0])
	}
	got := fmt.Sprintf("%s|%s|%s|%s|%s|%v|%d|%s|%s", recs[0].SourceID, p.Given, p.BirthDate, p.Sex, p.Language, *p.InternetAccess, len(p.Contacts), p.Contacts[0].Raw, p.Identifiers[0].Value)
	if want := "7|Ana|1980-01-02|female|es-MX|false|2|(212) 555-0100|7"; got != want {
		t.Errorf("patient = %s, want %s", got, want)
	}
	// Empty cells are unknown, not errors.
	e := recs[1]
	if e.Err != nil || e.Patient.BirthDate != "" || e.Patient.Sex != "" || e.Patient.InternetAccess != nil || len(e.Patient.Contacts) != 0 {
		t.Errorf("empty cells gave %+v, %+v", e.Err, e.Patient)
	}
}

func TestReadHeaderErrors(t *testing.T) {
	t.Parallel()
	m := mustMapping(t, testMapping)
	tests := []struct{ name, csv, want string }{
		{"empty file", "", "crm.csv: empty file: a header row is required"},
		{"missing column", "id,first,dob,gender,lang,tz,net,cell\n", `crm.csv: the header has no column "email" (mapping test.yaml, contacts[1]); it has: "id", "first", "dob"`},
		{"twice", "id,first,dob,gender,lang,tz,net,cell,email,email\n", `crm.csv: the header has column "email" more than once`},
	}
	for _, tt := range tests {
		_, err := readAll(t, m, tt.csv)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Read error = %v, want %s", tt.name, err, tt.want)
		}
	}
	// Header names match ignoring case and spaces.
	recs, err := readAll(t, m, "ID, First ,DOB,Gender,Lang,TZ,Net,Cell,Email\n7,Ana,,,,,,,\n")
	if err != nil || len(recs) != 1 || recs[0].Patient.Given != "Ana" {
		t.Errorf("case-insensitive header: %v, %+v", err, recs)
	}
}

// TestReadLines checks line numbers across a BOM, CRLF line ends and quoted
// fields holding line breaks.
func TestReadLines(t *testing.T) {
	t.Parallel()
	m := mustMapping(t, testMapping)
	csv := "\ufeff" + strings.ReplaceAll(testHeader, "\n", "\r\n") +
		"1,\"Ana\r\nMaria\",,,,,,,\r\n" +
		"2,Ben,,,,,,,\r\n" +
		"\r\n" +
		"3,\"C\"\"x\"\"\",\"\n\n\",Q,,,,,\r\n" +
		"4,Dan,,,,,,,"
	recs, err := readAll(t, m, csv)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, r := range recs {
		lines = append(lines, r.Line)
	}
	if fmt.Sprint(lines) != "[2 4 6 9]" {
		t.Errorf("record lines = %v, want [2 4 6 9]", lines)
	}
	if recs[0].Patient.Given != "Ana\nMaria" || recs[0].SourceID != "1" {
		t.Errorf("first record = %+v", recs[0].Patient)
	}
	// The bad sex cell is on line 8, after the two line breaks of the dob cell.
	if recs[2].Err == nil || !strings.HasPrefix(recs[2].Err.Error(), "crm.csv line 8, column gender (sex)") {
		t.Errorf("error of the third record = %v", recs[2].Err)
	}
}

func TestReadStopsWhenFnFails(t *testing.T) {
	t.Parallel()
	m := mustMapping(t, testMapping)
	stop := errors.New("stop")
	n := 0
	err := Read(strings.NewReader(testHeader+"1,,,,,,,,\n2,,,,,,,,\n"), "crm.csv", m, func(Record) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Errorf("Read = %v after %d calls, want stop after 1", err, n)
	}
}

func TestReadDelimiterAndSeparator(t *testing.T) {
	t.Parallel()
	m := mustMapping(t, "source: s\nid_column: id\ndelimiter: \";\"\ncontacts:\n  - {column: phones, kind: phone, use: home, separator: \"|\"}\n")
	recs, err := readAll(t, m, "id;phones\n1;212-555-0100 | | 212-555-0101\n")
	if err != nil {
		t.Fatal(err)
	}
	cs := recs[0].Patient.Contacts
	if len(cs) != 2 || cs[0].Raw != "212-555-0100" || cs[1].Raw != "212-555-0101" || cs[1].Rank != 2 {
		t.Errorf("contacts = %+v", cs)
	}
}

func BenchmarkRead(b *testing.B) {
	m := mustMapping(b, testMapping)
	var sb strings.Builder
	sb.WriteString(testHeader)
	const rows = 10_000
	for i := range rows {
		fmt.Fprintf(&sb, "%d,Name%d,%02d/%02d/19%02d,%s,es,America/Chicago,Y,555-%03d-%04d,p%d@example.com\n",
			i, i, i%12+1, i%28+1, i%100, []string{"F", "M"}[i%2], i%1000, i%10000, i)
	}
	data := sb.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		err := Read(strings.NewReader(data), "bench.csv", m, func(r Record) error {
			if r.Err != nil {
				return r.Err
			}
			n++
			return nil
		})
		if err != nil || n != rows {
			b.Fatalf("Read = %v after %d rows", err, n)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func FuzzRead(f *testing.F) {
	m := mustMapping(f, testMapping)
	f.Add(testHeader + "7,Ana,1/2/1980,F,es,America/Chicago,Y,(212) 555-0100,ana@example.com\n")
	f.Add("\ufeff" + testHeader + "1,\"a\r\nb\",,,,,,,\r\n")
	f.Add(testHeader + "7,An\"a,13/45/1980,Q,x,Mars/Olympus,maybe,,\n")
	f.Add("id\n1\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, data string) {
		prev := 0
		err := Read(strings.NewReader(data), "fuzz.csv", m, func(r Record) error {
			if r.Line <= prev {
				t.Fatalf("line %d after line %d", r.Line, prev)
			}
			prev = r.Line
			if (r.Err == nil) == (r.Patient == nil) {
				t.Fatalf("line %d: Err %v with patient %v", r.Line, r.Err, r.Patient)
			}
			if r.Err != nil && !strings.HasPrefix(r.Err.Error(), "fuzz.csv line ") {
				t.Fatalf("row error does not name file and line: %v", r.Err)
			}
			if r.Patient != nil {
				for i := range r.Patient.Contacts {
					r.Patient.Contacts[i].Status = "unverified"
				}
				if err := r.Patient.Validate(); err != nil {
					t.Fatalf("line %d: patient does not validate: %v", r.Line, err)
				}
			}
			return nil
		})
		if err != nil && !strings.HasPrefix(err.Error(), "fuzz.csv") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}
