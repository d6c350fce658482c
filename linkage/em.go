package linkage

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// pattern is one distinct comparison vector and how many pairs reached it.
// EM runs over patterns, not pairs: a few thousand instead of millions.
type pattern struct {
	v     levels
	count float64
}

func countPatterns(vs []levels) []pattern {
	counts := make(map[levels]float64)
	for _, v := range vs {
		counts[v]++
	}
	ps := make([]pattern, 0, len(counts))
	for v, c := range counts {
		ps = append(ps, pattern{v, c})
	}
	// Sorted so that float sums run in one order: the model is the same
	// bits on every run.
	slices.SortFunc(ps, func(a, b pattern) int { return cmp.Compare(a.v, b.v) })
	return ps
}

// randomU estimates u from random pairs of records, nearly all of which
// are non-matches. The generator has a fixed seed: same input, same model.
func randomU(recs []prepared, samples int) [numFields][numLevels]float64 {
	var n [numFields][numLevels]float64
	if len(recs) >= 2 {
		rng := rand.New(rand.NewPCG(13, uint64(len(recs))))
		for range samples {
			i, j := rng.IntN(len(recs)), rng.IntN(len(recs))
			if i == j {
				continue
			}
			v := compare(&recs[i], &recs[j])
			for f := range numFields {
				n[f][v.at(f)]++
			}
		}
	}
	var u [numFields][numLevels]float64
	for f := range numFields {
		normalise(&u[f], &n[f], 1) // Laplace smoothing: no level has u = 0
	}
	return u
}

// normalise sets p to the shares of counts over the non-missing levels,
// adding alpha to each.
func normalise(p, counts *[numLevels]float64, alpha float64) {
	total := 0.0
	for l := Different; l < numLevels; l++ {
		total += counts[l] + alpha
	}
	for l := Different; l < numLevels; l++ {
		p[l] = (counts[l] + alpha) / total
	}
}

// initialM is where EM starts for m: matches mostly agree.
var initialM = [numLevels]float64{Different: 0.05, Partial: 0.05, Close: 0.1, Exact: 0.8}

const (
	emMaxIterations = 200
	emTolerance     = 1e-8
	probFloor       = 1e-6 // keeps every weight finite
)

// fitEM estimates m, u and lambda from the candidate pairs' patterns by
// expectation maximisation under conditional independence of the fields,
// starting from u of random pairs.
func fitEM(ps []pattern, u0 [numFields][numLevels]float64) *Model {
	m := &Model{Lambda: 0.1, Fields: make([]FieldParams, numFields)}
	for f := range numFields {
		m.Fields[f] = FieldParams{Field: f, M: initialM, U: u0[f]}
	}
	post := make([]float64, len(ps))
	for range emMaxIterations {
		// E step: the probability that each pattern is a match.
		matches, total := 0.0, 0.0
		for k, p := range ps {
			lm, lu := math.Log(m.Lambda), math.Log(1-m.Lambda)
			for f := range numFields {
				if l := p.v.at(f); l != Missing {
					lm += math.Log(m.Fields[f].M[l])
					lu += math.Log(m.Fields[f].U[l])
				}
			}
			post[k] = 1 / (1 + math.Exp(lu-lm))
			matches += post[k] * p.count
			total += p.count
		}
		// M step: m and u as weighted level frequencies.
		var mc, uc [numFields][numLevels]float64
		for k, p := range ps {
			for f := range numFields {
				l := p.v.at(f)
				mc[f][l] += post[k] * p.count
				uc[f][l] += (1 - post[k]) * p.count
			}
		}
		change := math.Abs(m.Lambda - matches/total)
		m.Lambda = clamp(matches / total)
		for f := range numFields {
			var nm, nu [numLevels]float64
			normalise(&nm, &mc[f], 0)
			normalise(&nu, &uc[f], 0)
			for l := Different; l < numLevels; l++ {
				nm[l], nu[l] = clamp(nm[l]), clamp(nu[l])
				change = max(change, math.Abs(nm[l]-m.Fields[f].M[l]), math.Abs(nu[l]-m.Fields[f].U[l]))
			}
			m.Fields[f].M, m.Fields[f].U = nm, nu
		}
		if change < emTolerance {
			break
		}
	}
	return m
}

func clamp(p float64) float64 {
	if math.IsNaN(p) {
		return probFloor
	}
	return min(max(p, probFloor), 1-probFloor)
}
