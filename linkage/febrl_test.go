package linkage

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/internal/shareddata"
)

// loadFEBRL reads a FEBRL data set (rec_id, given_name, surname,
// street_number, address_1, address_2, suburb, postcode, state,
// date_of_birth, soc_sec_id) into records.
func loadFEBRL(tb testing.TB, path string) []Record {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.TrimLeadingSpace = true
	if _, err := r.Read(); err != nil { // header
		tb.Fatalf("%s: header: %v", path, err)
	}
	var recs []Record
	for line := 2; ; line++ {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatalf("%s line %d: %v", path, line, err)
		}
		if len(row) != 11 {
			tb.Fatalf("%s line %d: %d fields, want 11", path, line, len(row))
		}
		rec := Record{
			ID: row[0], Given: row[1], Family: row[2],
			Street: strings.TrimSpace(row[3] + " " + row[4]),
			City:   row[6], PostalCode: row[7], State: row[8], BirthDate: row[9],
		}
		if row[10] != "" {
			rec.Identifiers = []string{"ssn|" + row[10]}
		}
		recs = append(recs, rec)
	}
	return recs
}

// entity returns the N of a FEBRL id rec-N-org or rec-N-dup-K.
func entity(id string) string {
	parts := strings.Split(id, "-")
	return parts[1]
}

type quality struct {
	truePairs, found, correct int
}

func (q quality) precision() float64 { return float64(q.correct) / float64(max(q.found, 1)) }
func (q quality) recall() float64    { return float64(q.correct) / float64(max(q.truePairs, 1)) }
func (q quality) f1() float64 {
	p, r := q.precision(), q.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (q quality) String() string {
	return fmt.Sprintf("true pairs %d, found %d, correct %d: precision %.4f recall %.4f F1 %.4f",
		q.truePairs, q.found, q.correct, q.precision(), q.recall(), q.f1())
}

// measure scores found pairs at probability threshold t against the truth.
func measure(recs []Record, pairs []Pair, t float64) quality {
	var q quality
	size := map[string]int{}
	for _, r := range recs {
		size[entity(r.ID)]++
	}
	for _, n := range size {
		q.truePairs += n * (n - 1) / 2
	}
	for _, p := range pairs {
		if p.Probability < t {
			continue
		}
		q.found++
		if entity(p.A) == entity(p.B) {
			q.correct++
		}
	}
	return q
}

// measureGroups scores the pairs implied by groups against the truth.
func measureGroups(recs []Record, groups [][]string) quality {
	var pairs []Pair
	for _, g := range groups {
		for i := range g {
			for j := i + 1; j < len(g); j++ {
				pairs = append(pairs, Pair{A: g[i], B: g[j], Probability: 1})
			}
		}
	}
	return measure(recs, pairs, 1)
}

func TestFEBRLAccuracy(t *testing.T) {
	dir := shareddata.Dir(t, "febrl")
	sets := []struct {
		name  string
		files []string
	}{
		{"dataset3", []string{"dataset3.csv"}},
		{"dataset4ab", []string{"dataset4a.csv", "dataset4b.csv"}},
	}
	for _, set := range sets {
		t.Run(set.name, func(t *testing.T) {
			var recs []Record
			for _, f := range set.files {
				recs = append(recs, loadFEBRL(t, filepath.Join(dir, f))...)
			}
			pairs, m, err := Detect(recs, Config{MinProbability: 0.01})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("lambda %.4f household %.4f", m.Lambda, m.Household)
			for _, p := range m.Fields {
				t.Logf("%-12s m %.3f u %.4f h %.4f", p.Field, p.M[1:], p.U[1:], p.H[1:])
			}
			for _, th := range []float64{0.01, 0.1, 0.5, 0.9, 0.99} {
				t.Logf("%s at probability ≥ %.2f: %v", set.name, th, measure(recs, pairs, th))
			}
			for _, th := range []float64{0.5, 0.9, 0.99} {
				t.Logf("%s groups at probability ≥ %.2f: %v", set.name, th, measureGroups(recs, Groups(pairs, th)))
			}
			if q := measure(recs, pairs, DefaultMinProbability); q.f1() < 0.995 {
				t.Errorf("%s pairs at the default threshold %.2f: %v; want F1 ≥ 0.995", set.name, DefaultMinProbability, q)
			}
			if q := measureGroups(recs, Groups(pairs, DefaultMinProbability)); q.f1() < 0.995 {
				t.Errorf("%s groups at the default threshold %.2f: %v; want F1 ≥ 0.995", set.name, DefaultMinProbability, q)
			}
		})
	}
}
