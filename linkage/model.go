package linkage

import "math"

// Model holds the Fellegi–Sunter parameters: for every field and level, m
// (how often matches reach it) and u (how often non-matches do), and Lambda,
// the share of matches among candidate pairs. [Estimate] fits one to the
// data; a stored Model lets an incremental run score exactly as the full run
// that fitted it.
type Model struct {
	Lambda float64       `json:"lambda"`
	Fields []FieldParams `json:"fields"`
}

// FieldParams are one field's m and u probabilities, indexed by [Level]
// (index 0, missing, is unused: missing adds no weight).
type FieldParams struct {
	Field Field              `json:"field"`
	M     [numLevels]float64 `json:"m"`
	U     [numLevels]float64 `json:"u"`
}

// weight is the log2(m/u) of one field level; 0 when missing.
func (m *Model) weight(f Field, l Level) float64 {
	if l == Missing {
		return 0
	}
	p := &m.Fields[f]
	return math.Log2(p.M[l] / p.U[l])
}

// score explains one comparison vector.
func (m *Model) score(v levels, explain []FieldWeight) (w float64, _ []FieldWeight) {
	for f := range numFields {
		l := v.at(f)
		fw := m.weight(f, l)
		w += fw
		if explain != nil {
			explain[f] = FieldWeight{Field: f, Level: l, Weight: fw}
		}
	}
	return w, explain
}

// probability turns a match weight into a posterior probability of a match.
func (m *Model) probability(w float64) float64 {
	prior := math.Log2(m.Lambda / (1 - m.Lambda))
	return 1 / (1 + math.Exp2(-(w + prior)))
}

// valid reports whether m can score: one entry per field, in order.
func (m *Model) valid() bool {
	if m == nil || len(m.Fields) != int(numFields) || !(m.Lambda > 0 && m.Lambda < 1) {
		return false
	}
	for i, p := range m.Fields {
		if p.Field != Field(i) {
			return false
		}
		for l := Different; l < numLevels; l++ {
			if !(p.M[l] > 0) || !(p.U[l] > 0) {
				return false
			}
		}
	}
	return true
}
