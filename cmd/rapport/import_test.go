package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestImportMissingFile: a mistyped path gets one plain line, no summary
// of nothing, and no database created on the way.
func TestImportMissingFile(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "r.db")
	code, stdout, stderr := run(t, nil, "import", "fhir", "./nope.ndjson", "--db", "sqlite:"+dbPath)
	if want := "rapport import: no such file: ./nope.ndjson\n"; code != 1 || stdout != "" || stderr != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1, no stdout and %q", code, stdout, stderr, want)
	}
	if _, err := os.Stat(dbPath); !os.IsNotExist(err) {
		t.Errorf("the database was created for an import of nothing: %v", err)
	}
}

// summaryRow is a row of the import summary: a type and its four counts.
var summaryRow = regexp.MustCompile(`^  (\S+) +(\d+) created +(\d+) updated +(\d+) unchanged +(\d+) rejected$`)

// checkSummary checks that every line of an import's summary is the total,
// a row with a type, or a named note: no blank rows, one word for records
// that were already there.
func checkSummary(t *testing.T, out string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if !regexp.MustCompile(`^\d+ files?: \d+ created, \d+ updated, \d+ unchanged, \d+ rejected$`).MatchString(lines[0]) {
		t.Errorf("summary total %q", lines[0])
	}
	for _, l := range lines[1:] {
		if !summaryRow.MatchString(l) && !strings.HasPrefix(l, "  not imported (") && !strings.HasPrefix(l, "  references waiting") &&
			!strings.HasPrefix(l, "rejected records and their reasons: ") && !strings.HasPrefix(l, "  possible duplicates") {
			t.Errorf("summary line %q is neither a type's row nor a named note", l)
		}
	}
	if strings.Contains(out, "skipped") {
		t.Errorf("summary says skipped; it says unchanged for records already there:\n%s", out)
	}
}

// TestImportShippedSample imports the sample the README and the help name,
// twice: everything is created, then everything is unchanged.
func TestImportShippedSample(t *testing.T) {
	t.Parallel()
	sample := filepath.Join("..", "..", "fhir", "testdata", "synthea-bulk.ndjson")
	db := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	code, out, stderr := run(t, nil, "import", "fhir", sample, "--db", db)
	if code != 0 || !strings.HasPrefix(out, "1 file: 8 created, 0 updated, 0 unchanged, 0 rejected\n") ||
		!regexp.MustCompile(`(?m)^  Patient +2 created`).MatchString(out) {
		t.Fatalf("first import: exit %d\n%s%s", code, out, stderr)
	}
	checkSummary(t, out)
	code, out, stderr = run(t, nil, "import", "fhir", sample, "--db", db)
	if code != 0 || !strings.HasPrefix(out, "1 file: 0 created, 0 updated, 8 unchanged, 0 rejected\n") {
		t.Errorf("second import: exit %d\n%s%s", code, out, stderr)
	}
	checkSummary(t, out)
}

// TestImportContinueOnError: bad lines are rejected into a file beside the
// input (or where --rejects says), the summary has no blank row for lines
// with no type, and a clean import leaves no rejects file.
func TestImportContinueOnError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "r.db")
	bad := filepath.Join(dir, "in", "bad.ndjson")
	os.Mkdir(filepath.Dir(bad), 0o755)
	lines := []string{
		`{"resourceType":"Patient","id":"a","birthDate":"1950-13-45"}`,
		`{"resourceType":"Patient","id":"b","name":[{"family":"Ng"}],"birthDate":"1950-01-01"}`,
		`not json`,
	}
	if err := os.WriteFile(bad, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := run(t, nil, "import", "fhir", bad, "--db", db, "--continue-on-error")
	rejects := filepath.Join(dir, "in", "bad.rejects.ndjson")
	if code != 0 || !strings.HasPrefix(out, "1 file: 1 created, 0 updated, 0 unchanged, 2 rejected\n") ||
		!strings.HasSuffix(out, "rejected records and their reasons: "+rejects+"\n") {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	checkSummary(t, out)
	data, err := os.ReadFile(rejects)
	if err != nil || strings.Count(string(data), "\n") != 2 || !strings.Contains(string(data), "birthDate") {
		t.Errorf("rejects file %s: %v\n%s", rejects, err, data)
	}

	elsewhere := filepath.Join(dir, "rejects.ndjson")
	code, out, _ = run(t, nil, "import", "fhir", bad, "--db", db, "--continue-on-error", "--rejects", elsewhere)
	if _, err := os.Stat(elsewhere); code != 0 || err != nil || !strings.Contains(out, elsewhere) {
		t.Errorf("--rejects %s: exit %d, %v\n%s", elsewhere, code, err, out)
	}

	good := filepath.Join(dir, "in", "good.ndjson")
	os.WriteFile(good, []byte(lines[1]+"\n"), 0o600)
	code, out, _ = run(t, nil, "import", "fhir", good, "--db", db, "--continue-on-error")
	if _, err := os.Stat(filepath.Join(dir, "in", "good.rejects.ndjson")); code != 0 || !os.IsNotExist(err) || strings.Contains(out, "rejected records") {
		t.Errorf("clean import: exit %d, rejects file %v; want none\n%s", code, err, out)
	}
	if _, err := os.Stat("rapport-rejects.ndjson"); !os.IsNotExist(err) {
		t.Errorf("a rejects file was written into the working directory: %v", err)
	}
}

// TestGenerateCountsLines: the line and byte counts generate prints are
// the files' own.
func TestGenerateCountsLines(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, out, stderr := run(t, nil, "generate", "--patients", "20", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	row := regexp.MustCompile(`(?m)^  (\S+) +(\d+) lines +(\d+) bytes$`)
	rows := row.FindAllStringSubmatch(out, -1)
	if len(rows) < 5 {
		t.Fatalf("%d file rows in:\n%s", len(rows), out)
	}
	for _, r := range rows {
		data, err := os.ReadFile(r[1])
		if err != nil {
			t.Fatal(err)
		}
		if lines, size := strings.Count(string(data), "\n"), len(data); r[2] != strconv.Itoa(lines) || r[3] != strconv.Itoa(size) {
			t.Errorf("%s: printed %s lines %s bytes; the file has %d lines %d bytes", r[1], r[2], r[3], lines, size)
		}
	}
}

// TestImportFullExport: a file of one patient's changed RelatedPerson is a
// delta and ends none of their other caregivers; the same file said to be
// a full export (--full-export) ends the one it leaves out.
func TestImportFullExport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "r.db")
	related := func(id, code, name string) string {
		return `{"resourceType":"RelatedPerson","id":"` + id + `","patient":{"reference":"Patient/p1"},` +
			`"relationship":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":"` + code + `"}]}],` +
			`"name":[{"text":"` + name + `"}],"telecom":[{"system":"phone","value":"+15128675310"}]}`
	}
	write := func(name string, lines ...string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	patient := `{"resourceType":"Patient","id":"p1","name":[{"family":"Reyes","given":["Ana"]}],"birthDate":"1950-01-02","telecom":[{"system":"phone","value":"+15128675300"}]}`
	first := write("first.ndjson", patient, related("rp1", "DAU", "Rosa Reyes"), related("rp2", "HUSB", "Jorge Reyes"))
	changed := write("changed.ndjson", related("rp1", "DAU", "Rosa M. Reyes"))
	for _, c := range []struct {
		args  []string
		ended bool
	}{
		{[]string{first}, false},
		{[]string{changed}, false},
		{[]string{changed, "--full-export"}, true},
	} {
		code, out, stderr := run(t, nil, append([]string{"import", "fhir", "--db", db, "--source", "ehr"}, c.args...)...)
		if code != 0 {
			t.Fatalf("import %v: exit %d\n%s%s", c.args, code, out, stderr)
		}
		if got := strings.Contains(out, "no longer lists or deleted, ended: 1"); got != c.ended {
			t.Errorf("import %v: a caregiver ended %v, want %v:\n%s", c.args, got, c.ended, out)
		}
	}
}
