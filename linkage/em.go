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
		// Small lists need few: 50 a record is plenty below 4,000 records.
		for range min(samples, max(1000, 50*len(recs))) {
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

// Where EM starts: matches mostly agree; household members agree on where
// they live and are reached, and on the surname, and differ like strangers
// on the rest.
var (
	initialM      = [numLevels]float64{Different: 0.05, Partial: 0.05, Close: 0.1, Exact: 0.8}
	initialFamily = [numLevels]float64{Different: 0.1, Partial: 0.05, Close: 0.05, Exact: 0.8}
)

// householdShared are the fields family members share.
func householdShared(f Field) bool {
	switch f {
	case FieldStreet, FieldCity, FieldState, FieldPostalCode, FieldPhone:
		return true
	}
	return false
}

const (
	// twinPrior is the weight, in candidate pairs, of the prior that
	// household members' birth dates agree as strangers' do.
	twinPrior       = 1000
	emMaxIterations = 200
	emTolerance     = 1e-8
	probFloor       = 1e-6 // keeps every weight finite
)

// fitEM estimates the model from the candidate pairs' patterns by
// expectation maximisation over three latent classes, each with fields
// independent within it: matches (m), members of one household (h) and
// other non-matches (u, started from random pairs). The household class is
// Winkler's answer to the dependence that two classes cannot express:
// street, city, postcode and a landline agree together for a mother and
// her son, and summed as independent evidence they would outweigh every
// difference in name, sex and birth date. With two classes, EM on a list
// where families share addresses takes "same household" for the match.
func fitEM(ps []pattern, u0 [numFields][numLevels]float64) *Model {
	m := &Model{Lambda: 0.1, Household: 0.1, Fields: make([]FieldParams, numFields)}
	for f := range numFields {
		h := u0[f]
		switch {
		case f == FieldFamily:
			h = initialFamily
		case householdShared(f):
			h = initialM
		}
		m.Fields[f] = FieldParams{Field: f, M: initialM, U: u0[f], H: h}
	}
	postM, postH := make([]float64, len(ps)), make([]float64, len(ps))
	for range emMaxIterations {
		// E step: the probability that each pattern is a match or a
		// household.
		var nM, nH, total float64
		logs := m.logTable()
		for k, p := range ps {
			lm, lh, lu := logs.likelihoods(p.v)
			lm += math.Log(m.Lambda)
			lh += math.Log(m.Household)
			lu += math.Log(1 - m.Lambda - m.Household)
			top := max(lm, lh, lu)
			em, eh, eu := math.Exp(lm-top), math.Exp(lh-top), math.Exp(lu-top)
			postM[k], postH[k] = em/(em+eh+eu), eh/(em+eh+eu)
			nM += postM[k] * p.count
			nH += postH[k] * p.count
			total += p.count
		}
		// M step: each class's level frequencies, weighted.
		var mc, hc, uc [numFields][numLevels]float64
		for k, p := range ps {
			pm, ph := postM[k]*p.count, postH[k]*p.count
			pu := p.count - pm - ph
			for f := range numFields {
				l := p.v.at(f)
				mc[f][l] += pm
				hc[f][l] += ph
				uc[f][l] += max(pu, 0)
			}
		}
		lambda, household := clamp(nM/total), clamp(nH/total)
		change := max(math.Abs(m.Lambda-lambda), math.Abs(m.Household-household))
		m.Lambda, m.Household = lambda, household
		for f := range numFields {
			p := &m.Fields[f]
			change = max(change, updateFloor(&p.M, &mc[f], &u0[f]), updateFloor(&p.U, &uc[f], &u0[f]))
			switch {
			case householdShared(f) || f == FieldFamily:
				change = max(change, update(&p.H, &hc[f]))
			case f == FieldBirthDate:
				// Twins share one: learned, but drawn toward strangers'
				// rates by twinPrior pseudo-pairs, so that a few
				// duplicates with a new given name (FEBRL has them) do
				// not teach the class that family members share birth
				// dates, while a list of families can teach it about twins.
				var c [numLevels]float64
				for l := Different; l < numLevels; l++ {
					c[l] = hc[f][l] + twinPrior*u0[f][l]
				}
				change = max(change, update(&p.H, &c))
			}
			// Given name and sex stay at u0: on what a person is, family
			// members differ as strangers drawn at random do. Left free, the class would learn badly typed
			// duplicates instead of households; tied to u, it would learn
			// the blocked candidates' agreement (a shared given name is
			// common among pairs blocked on it), and a second record of a
			// family member would pass for a sibling.
		}
		if change < emTolerance {
			break
		}
	}
	return m
}

// logTable holds log m, log h and log u of every field and level, so that
// an EM iteration takes logs once, not once per pattern and field.
type logTable [numFields][numLevels][3]float64

func (m *Model) logTable() *logTable {
	var t logTable
	for f := range numFields {
		p := &m.Fields[f]
		for l := Different; l < numLevels; l++ {
			t[f][l] = [3]float64{math.Log(p.M[l]), math.Log(p.H[l]), math.Log(p.U[l])}
		}
	}
	return &t
}

func (t *logTable) likelihoods(v levels) (lm, lh, lu float64) {
	for f := range numFields {
		x := &t[f][v.at(f)] // missing is all zeros: no contribution
		lm += x[0]
		lh += x[1]
		lu += x[2]
	}
	return lm, lh, lu
}

// updateFloor is [update] with random pairs' agreement as a floor on each
// level of agreement: matches, and non-matches among candidates (chosen
// for agreeing on a blocking key), agree at least as often as strangers
// drawn at random. Without it, u of a field that only households share (a
// postcode, on a list of families) falls to nothing, and two neighbours
// with one given name, with nowhere else to go, teach the match class that
// duplicates differ in everything else. m has the same floor so that,
// where the data cannot tell the classes apart, the floor does not.
func updateFloor(p, counts, u0 *[numLevels]float64) float64 {
	var n [numLevels]float64
	normalise(&n, counts, 0)
	for l := Partial; l < numLevels; l++ {
		n[l] = max(n[l], u0[l])
	}
	return update(p, &n)
}

// update sets p to the normalised counts and returns the largest change.
func update(p, counts *[numLevels]float64) float64 {
	var n [numLevels]float64
	normalise(&n, counts, 0)
	change := 0.0
	for l := Different; l < numLevels; l++ {
		n[l] = clamp(n[l])
		change = max(change, math.Abs(n[l]-p[l]))
	}
	*p = n
	return change
}

func clamp(p float64) float64 {
	if math.IsNaN(p) {
		return probFloor
	}
	return min(max(p, probFloor), 1-probFloor)
}
