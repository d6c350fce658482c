// Package deltafile writes the nightly sync's inputs for tests and
// benchmarks: generated people as Patient NDJSON, and a delta of them in
// which some patients changed and others are new (issue 16's shape).
package deltafile

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rapporthq/rapport/sim/population"
)

// Patients writes the Patient NDJSON of n generated people (seed) under dir
// and returns its path.
func Patients(dir string, n int, seed int64) (string, error) {
	_, err := population.Write(context.Background(), dir, population.Config{People: n, Seed: seed,
		Params: population.DefaultParams(), Resources: population.PatientsOnly})
	if err != nil {
		return "", fmt.Errorf("generate %d people: %w", n, err)
	}
	return filepath.Join(dir, "fhir", "Patient.000.ndjson"), nil
}

// Write writes to out every 40th patient of the NDJSON file base with the
// last digit of its first phone moved on by round (mod 10), so that it
// differs from the round before, then every patient of fresh.
func Write(base, fresh, out string, round int) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	lines, err := readLines(base)
	if err != nil {
		return err
	}
	for i := 0; i < len(lines); i += 40 {
		line, err := changePhone(lines[i], round)
		if err != nil {
			return fmt.Errorf("%s line %d: %w", base, i+1, err)
		}
		w.Write(append(line, '\n'))
	}
	more, err := readLines(fresh)
	if err != nil {
		return err
	}
	for _, line := range more {
		w.Write(append(line, '\n'))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// changePhone moves the last digit of the patient's first phone on by round.
func changePhone(line []byte, round int) ([]byte, error) {
	var p map[string]any
	if err := json.Unmarshal(line, &p); err != nil {
		return nil, err
	}
	tel, _ := p["telecom"].([]any)
	for _, t := range tel {
		t, _ := t.(map[string]any)
		if v, _ := t["value"].(string); t["system"] == "phone" && v != "" {
			if last := v[len(v)-1]; last >= '0' && last <= '9' {
				t["value"] = v[:len(v)-1] + string(rune('0'+(int(last-'0')+round)%10))
			}
			break
		}
	}
	return json.Marshal(p)
}

func readLines(path string) ([][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		out = append(out, append([]byte(nil), sc.Bytes()...))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}
