package linkage

import "math"

// Model holds the Fellegi–Sunter parameters: for every field and level, m
// (how often matches reach it), h (how often members of one household do)
// and u (how often other non-matches do); Lambda and Household are the
// shares of matches and of households among candidate pairs. [Estimate] fits one to the
// data; a stored Model lets an incremental run score exactly as the full run
// that fitted it.
type Model struct {
	Lambda    float64       `json:"lambda"`
	Household float64       `json:"household"`
	Fields    []FieldParams `json:"fields"`
}

// FieldParams are one field's m, u and h probabilities, indexed by [Level]
// (index 0, missing, is unused: missing adds no weight).
type FieldParams struct {
	Field Field              `json:"field"`
	M     [numLevels]float64 `json:"m"`
	U     [numLevels]float64 `json:"u"`
	H     [numLevels]float64 `json:"h"`
}

// weight is the log2(m/u) of one field level; 0 when missing.
func (m *Model) weight(f Field, l Level) float64 {
	if l == Missing {
		return 0
	}
	p := &m.Fields[f]
	return math.Log2(p.M[l] / p.U[l])
}

// logLikelihoods returns the natural logs of the comparison vector's
// probability among matches, households and other non-matches.
func (m *Model) logLikelihoods(v levels) (lm, lh, lu float64) {
	for f := range numFields {
		if l := v.at(f); l != Missing {
			p := &m.Fields[f]
			lm += math.Log(p.M[l])
			lh += math.Log(p.H[l])
			lu += math.Log(p.U[l])
		}
	}
	return lm, lh, lu
}

// score returns the match weight of a comparison vector — log2 of its
// likelihood among matches over its likelihood among non-matches, which
// mix households and strangers — and the household correction: the part
// of the weight that no single field's log2(m/u) carries. It fills explain
// when given one.
func (m *Model) score(v levels, explain []FieldWeight) (w, household float64) {
	lm, lh, lu := m.logLikelihoods(v)
	nonMatch := 1 - m.Lambda
	ah, au := lh+math.Log(m.Household/nonMatch), lu+math.Log((nonMatch-m.Household)/nonMatch)
	top := max(ah, au)
	ln := top + math.Log(math.Exp(ah-top)+math.Exp(au-top))
	w = (lm - ln) / math.Ln2
	sum := 0.0
	for f := range numFields {
		l := v.at(f)
		fw := m.weight(f, l)
		sum += fw
		if explain != nil {
			explain[f] = FieldWeight{Field: f, Level: l, Weight: fw}
		}
	}
	return w, w - sum
}

// valid reports whether m can score: one entry per field, in order.
func (m *Model) valid() bool {
	if m == nil || len(m.Fields) != int(numFields) || !(m.Lambda > 0 && m.Household > 0 && m.Lambda+m.Household < 1) {
		return false
	}
	for i, p := range m.Fields {
		if p.Field != Field(i) {
			return false
		}
		for l := Different; l < numLevels; l++ {
			if !(p.M[l] > 0) || !(p.U[l] > 0) || !(p.H[l] > 0) {
				return false
			}
		}
	}
	return true
}

// probability turns a match weight into the posterior probability of a
// match among candidate pairs.
func (m *Model) probability(w float64) float64 {
	prior := math.Log2(m.Lambda / (1 - m.Lambda))
	return 1 / (1 + math.Exp2(-(w + prior)))
}
