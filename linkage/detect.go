package linkage

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
)

// uSamples is how many random pairs seed u: enough for a rare level (an
// exact birth date, about 1 in 20,000) to be seen a few times.
const uSamples = 200_000

// index is the normalised input, shared by estimation and detection.
type index struct {
	ids  []string
	recs []prepared
}

func newIndex(recs []Record) (*index, error) {
	if err := validate(recs); err != nil {
		return nil, err
	}
	p := newPreparer()
	ix := &index{ids: make([]string, len(recs)), recs: make([]prepared, len(recs))}
	for i := range recs {
		ix.ids[i] = recs[i].ID
		ix.recs[i] = p.prepare(&recs[i])
	}
	return ix, nil
}

// vectors compares every candidate pair, in parallel; result k belongs to
// pairs[k], so the order does not depend on scheduling.
func (ix *index) vectors(pairs []uint64, workers int) []levels {
	out := make([]levels, len(pairs))
	chunk := max(1024, (len(pairs)+workers*8-1)/(workers*8))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for s := range next {
				for k := s; k < min(s+chunk, len(pairs)); k++ {
					i, j := pairIJ(pairs[k])
					out[k] = compare(&ix.recs[i], &ix.recs[j])
				}
			}
		})
	}
	for s := 0; s < len(pairs); s += chunk {
		next <- s
	}
	close(next)
	wg.Wait()
	return out
}

// Estimate fits a [Model] to the records: it blocks and compares them as
// [Detect] does, then runs EM over the candidate pairs.
func Estimate(recs []Record, cfg Config) (*Model, error) {
	f, err := estimate(recs, cfg)
	if err != nil {
		return nil, err
	}
	return f.model, nil
}

// fit is a fitted model with the work that fitted it, which [Detect]
// scores without blocking and comparing again.
type fit struct {
	model *Model
	ix    *index
	pairs []uint64
	vs    []levels
}

func estimate(recs []Record, cfg Config) (*fit, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	ix, err := newIndex(recs)
	if err != nil {
		return nil, err
	}
	pairs := candidates(ix.recs, cfg, nil)
	vs := ix.vectors(pairs, cfg.Workers)
	m := fitEM(countPatterns(vs), randomU(ix.recs, uSamples))
	return &fit{model: m, ix: ix, pairs: pairs, vs: vs}, nil
}

// Detect estimates a model from the records and returns the pairs whose
// probability reaches cfg.MinProbability, best first, with the model.
func Detect(recs []Record, cfg Config) ([]Pair, *Model, error) {
	f, err := estimate(recs, cfg)
	if err != nil {
		return nil, nil, err
	}
	return f.model.pairs(f.ix, f.pairs, f.vs, cfg.withDefaults()), f.model, nil
}

// Detect scores all records with the model's parameters.
func (m *Model) Detect(recs []Record, cfg Config) ([]Pair, error) {
	return m.DetectChanged(recs, nil, cfg)
}

// DetectChanged compares the records whose ids are in changed (new or
// edited since the last run) against all records, and returns exactly the
// pairs a full [Model.Detect] would return that involve a changed record.
// A nil changed means all records. Unknown ids are an error.
func (m *Model) DetectChanged(recs []Record, changed []string, cfg Config) ([]Pair, error) {
	if !m.valid() {
		return nil, fmt.Errorf("linkage: model: want lambda in (0, 1) and m, u > 0 for %d fields in order", numFields)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	ix, err := newIndex(recs)
	if err != nil {
		return nil, err
	}
	var only []bool
	if changed != nil {
		only = make([]bool, len(recs))
		pos := make(map[string]int, len(recs))
		for i, id := range ix.ids {
			pos[id] = i
		}
		for k, id := range changed {
			i, ok := pos[id]
			if !ok {
				return nil, fmt.Errorf("linkage: changed record %d: id %q is not among the records", k, id)
			}
			only[i] = true
		}
	}
	pairs := candidates(ix.recs, cfg, only)
	return m.pairs(ix, pairs, ix.vectors(pairs, cfg.Workers), cfg), nil
}

// automatic vetoes merging without review when the records disagree
// outright on given name, sex, birth date or an identifier of one system.
// Fellegi–Sunter treats fields as independent, so twins — one surname,
// birth date, address and phone — can outscore a real duplicate; a person
// must look at them. (A typo reaches close or partial, not different.)
func automatic(v levels) bool {
	for _, f := range [...]Field{FieldGiven, FieldSex, FieldBirthDate, FieldIdentifier} {
		if v.at(f) == Different {
			return false
		}
	}
	return true
}

// pairs scores the candidate pairs, keeps those at or above the minimum
// probability and sorts them by weight, then ids.
func (m *Model) pairs(ix *index, pairs []uint64, vs []levels, cfg Config) []Pair {
	weights := make(map[levels]float64)
	var out []Pair
	for k, v := range vs {
		w, ok := weights[v]
		if !ok {
			w, _ = m.score(v, nil)
			weights[v] = w
		}
		p := m.probability(w)
		if p < cfg.MinProbability {
			continue
		}
		i, j := pairIJ(pairs[k])
		a, b := ix.ids[i], ix.ids[j]
		if b < a {
			a, b = b, a
		}
		explain := make([]FieldWeight, numFields)
		_, household := m.score(v, explain)
		out = append(out, Pair{A: a, B: b, Weight: w, Probability: p, Household: household,
			Automatic: p >= cfg.AutoProbability && automatic(v), Explain: explain})
	}
	slices.SortFunc(out, func(x, y Pair) int {
		return cmp.Or(cmp.Compare(y.Weight, x.Weight), cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	return out
}
