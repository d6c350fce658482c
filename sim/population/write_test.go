package population

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// generated caches one population per (people, seed, resources): several
// tests read the same files.
var (
	genMu   sync.Mutex
	genDirs = map[string]string{}
)

func generate(t *testing.T, people int, seed int64, res Resources) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := Write(context.Background(), dir, Config{People: people, Seed: seed, Params: DefaultParams(), Resources: res}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shared returns the folder of the default 5,000-person population,
// generated once for the tests that only read it.
func shared(t *testing.T) string {
	t.Helper()
	genMu.Lock()
	defer genMu.Unlock()
	if d, ok := genDirs["5000"]; ok {
		return d
	}
	dir, err := os.MkdirTemp("", "population-test-")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(context.Background(), dir, Config{People: 5000, Seed: 42, Params: DefaultParams()}); err != nil {
		t.Fatal(err)
	}
	genDirs["5000"] = dir
	return dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range genDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// hashDir hashes every file under dir, names included, in walk order
// (lexical, so deterministic).
func hashDir(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		io.WriteString(h, rel+"\x00")
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(h, f)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestWriteReproducible(t *testing.T) {
	t.Parallel()
	a := hashDir(t, generate(t, 800, 9, AllResources))
	b := hashDir(t, generate(t, 800, 9, AllResources))
	if a != b {
		t.Fatalf("same seed gave different files: %s vs %s", a, b)
	}
	if c := hashDir(t, generate(t, 800, 10, AllResources)); c == a {
		t.Fatalf("another seed gave the same files")
	}
}

func TestPatientsOnlyMatchesFullRun(t *testing.T) {
	t.Parallel()
	full := generate(t, 500, 3, AllResources)
	only := generate(t, 500, 3, PatientsOnly)
	entries, err := os.ReadDir(filepath.Join(only, FHIRDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "Patient.000.ndjson" {
		t.Fatalf("patients-only wrote %v", entries)
	}
	if _, err := os.Stat(filepath.Join(only, CRMFile)); !os.IsNotExist(err) {
		t.Errorf("patients-only wrote %s", CRMFile)
	}
	a, _ := os.ReadFile(filepath.Join(full, FHIRDir, "Patient.000.ndjson"))
	b, _ := os.ReadFile(filepath.Join(only, FHIRDir, "Patient.000.ndjson"))
	if string(a) != string(b) || len(a) == 0 {
		t.Errorf("patients-only Patient file differs from the full run's (%d vs %d bytes)", len(b), len(a))
	}
}

// eachLine calls fn with every line of a file.
func eachLine(t *testing.T, path string, fn func(n int, line []byte)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		fn(n, sc.Bytes())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

func readTruth(t *testing.T, dir string) []TruthRecord {
	t.Helper()
	var out []TruthRecord
	eachLine(t, filepath.Join(dir, TruthFile), func(n int, line []byte) {
		var tr TruthRecord
		if err := json.Unmarshal(line, &tr); err != nil {
			t.Fatalf("truth line %d: %v", n, err)
		}
		out = append(out, tr)
	})
	return out
}

func TestFHIRLinesAreResources(t *testing.T) {
	t.Parallel()
	dir := shared(t)
	files, err := filepath.Glob(filepath.Join(dir, FHIRDir, "*.ndjson"))
	if err != nil || len(files) != 7 {
		t.Fatalf("fhir files: %v %v", files, err)
	}
	ids := map[string]bool{}
	for _, path := range files {
		want := strings.TrimSuffix(filepath.Base(path), ".000.ndjson")
		lines := 0
		eachLine(t, path, func(n int, line []byte) {
			lines++
			var res struct {
				ResourceType string `json:"resourceType"`
				ID           string `json:"id"`
			}
			if err := json.Unmarshal(line, &res); err != nil {
				t.Fatalf("%s line %d: %v", path, n, err)
			}
			if res.ResourceType != want || res.ID == "" {
				t.Fatalf("%s line %d: resourceType %q id %q", path, n, res.ResourceType, res.ID)
			}
			key := res.ResourceType + "/" + res.ID
			if ids[key] {
				t.Fatalf("%s line %d: duplicate id %s", path, n, key)
			}
			ids[key] = true
		})
		if lines == 0 {
			t.Errorf("%s is empty", path)
		}
	}
	// Every reference points at a resource of the export.
	for _, path := range files {
		eachLine(t, path, func(n int, line []byte) {
			s := string(line)
			for {
				i := strings.Index(s, `"reference":"`)
				if i < 0 {
					return
				}
				s = s[i+len(`"reference":"`):]
				ref := s[:strings.IndexByte(s, '"')]
				if !ids[ref] {
					t.Fatalf("%s line %d: reference %s resolves to nothing", path, n, ref)
				}
			}
		})
	}
}

// TestTruthStaysApart checks that nothing only the truth knows leaks into
// what rapport imports.
func TestTruthStaysApart(t *testing.T) {
	t.Parallel()
	dir := shared(t)
	paths, _ := filepath.Glob(filepath.Join(dir, FHIRDir, "*.ndjson"))
	paths = append(paths, filepath.Join(dir, CRMFile), filepath.Join(dir, MappingFile))
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, word := range []string{PhoneDisconnected, PhoneReassigned, PhoneMalformed, EmailAbandoned, "person-", "duplicate", "responsiveness", "decline", "adherent", "deliverable"} {
			if strings.Contains(string(data), word) {
				t.Errorf("%s contains %q", filepath.Base(path), word)
			}
		}
	}
}
