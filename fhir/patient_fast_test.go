package fhir

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// decodeBoth decodes data as a Patient with the fast path and with
// encoding/json. When the fast path succeeds, encoding/json must succeed
// too and both must map to the same patient.
func decodeBoth(t *testing.T, data []byte) (fastOK bool) {
	t.Helper()
	var fast patientJSON
	if !fast.decodeFast(data) {
		return false
	}
	var std patientJSON
	if err := json.Unmarshal(data, &std); err != nil {
		t.Fatalf("fast path accepted what encoding/json rejects (%v): %q", err, data)
	}
	pf, errf := fast.toDomain()
	ps, errs := std.toDomain()
	jf, _ := json.Marshal(pf)
	js, _ := json.Marshal(ps)
	if !bytes.Equal(jf, js) || (errf == nil) != (errs == nil) || fast.ResourceType != std.ResourceType || fast.ID != std.ID {
		t.Fatalf("decoders disagree on %q:\nfast %s %v\nstd  %s %v", data, jf, errf, js, errs)
	}
	return true
}

func TestPatientFastAgreesOnSynthea(t *testing.T) {
	t.Parallel()
	paths := []string{"testdata/synthea-bulk.ndjson"}
	paths = append(paths, filepath.Join(syntheaDir, "bulk-1000-patients", "Patient.000.ndjson"))
	n, fast := 0, 0
	for _, path := range paths {
		f, err := os.Open(path)
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, MaxLine)
		for sc.Scan() {
			if !bytes.Contains(sc.Bytes(), []byte(`"resourceType":"Patient"`)) {
				continue
			}
			n++
			if decodeBoth(t, sc.Bytes()) {
				fast++
			}
		}
		f.Close()
	}
	if n == 0 || fast != n {
		t.Errorf("fast path decoded %d of %d Synthea patients, want all", fast, n)
	}
}

func TestPatientFastFallsBack(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"resourceType":"Patient","id":"a","birthDate":"2000"}`,
		`{"resourceType":"Patient","BirthDate":"2000"}`,                // case-folded key
		`{"resourceType":"Patient","gender":"male","gender":"female"}`, // duplicate
		`{"resourceType":"Patient","name":[{"family":"O\"Neil"}]}`,     // escape
		`{"resourceType":"Patient","telecom":[{"rank":1.5}]}`,          // not an integer
		`{"resourceType":"Patient","name":[{"given":"Ann"}]}`,          // wrong type
		`{"resourceType":"Patient",}`,                                  // invalid JSON
		`{"resourceType":"Patient"} x`,
		`{"resourceType":"Patient","text":{"div":"<div>\u00e9\n</div>"},"name":null,"address":[]}`,
	} {
		decodeBoth(t, []byte(in))
	}
	var p patientJSON
	if p.decodeFast([]byte(`{"resourceType":"Patient","BirthDate":"2000"}`)) {
		t.Error("fast path took a case-folded key")
	}
}

func FuzzPatientFast(f *testing.F) {
	f.Add([]byte(`{"resourceType":"Patient","id":"a","name":[{"given":["A","B"],"family":"C"}],"telecom":[{"system":"phone","value":"1","rank":2}],"extension":[{"url":"` + ExtRural + `","valueBoolean":true}]}`))
	f.Add([]byte(`{"resourceType":"Patient","communication":[{"language":{"coding":[{"code":"es"}]},"preferred":true}],"deceasedBoolean":null}`))
	if data, err := os.ReadFile("testdata/synthea-bulk.ndjson"); err == nil {
		line, _, _ := bytes.Cut(data, []byte("\n"))
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		decodeBoth(t, data)
	})
}
