package linkage

import (
	"encoding/json"
	"fmt"
)

// Level is how far two records agree on one field.
type Level uint8

// The levels, from no information to full agreement. Missing adds weight 0.
const (
	Missing Level = iota
	Different
	Partial
	Close
	Exact
	numLevels
)

var levelNames = [numLevels]string{"missing", "different", "partial", "close", "exact"}

// String returns the level's name, as shown to reviewers.
func (l Level) String() string {
	if l < numLevels {
		return levelNames[l]
	}
	return "unknown"
}

// MarshalJSON writes the level by name.
func (l Level) MarshalJSON() ([]byte, error) { return json.Marshal(l.String()) }

// UnmarshalJSON reads a level by name.
func (l *Level) UnmarshalJSON(b []byte) error {
	i, err := unmarshalName(b, levelNames[:], "level")
	*l = Level(i)
	return err
}

func unmarshalName(b []byte, names []string, what string) (int, error) {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return 0, fmt.Errorf("linkage: %s: %w", what, err)
	}
	for i, n := range names {
		if n == s {
			return i, nil
		}
	}
	return 0, fmt.Errorf("linkage: %s: unknown name %q", what, s)
}

// Field names a compared field.
type Field uint8

// The compared fields. Their order is the order of [Pair.Explain].
const (
	FieldGiven Field = iota
	FieldFamily
	FieldBirthDate
	FieldSex
	FieldStreet
	FieldCity
	FieldState
	FieldPostalCode
	FieldPhone
	FieldEmail
	FieldIdentifier
	numFields
)

var fieldNames = [numFields]string{
	"given", "family", "birth_date", "sex", "street", "city", "state",
	"postal_code", "phone", "email", "identifier",
}

// String returns the field's snake_case name.
func (f Field) String() string {
	if f < numFields {
		return fieldNames[f]
	}
	return "unknown"
}

// MarshalJSON writes the field by name.
func (f Field) MarshalJSON() ([]byte, error) { return json.Marshal(f.String()) }

// UnmarshalJSON reads a field by name.
func (f *Field) UnmarshalJSON(b []byte) error {
	i, err := unmarshalName(b, fieldNames[:], "field")
	*f = Field(i)
	return err
}

// FieldWeight explains one field's part in a pair's weight.
type FieldWeight struct {
	Field Field `json:"field"`
	Level Level `json:"level"`
	// Weight is log2(m/u) for the level reached; 0 when missing.
	Weight float64 `json:"weight"`
}

// Pair is a probable duplicate: two record ids (A < B) and their score.
type Pair struct {
	A string `json:"a"`
	B string `json:"b"`
	// Weight is the Fellegi–Sunter match weight, log2 of the pair's
	// likelihood among matches over that among non-matches: the sum of the
	// fields' log2(m/u) plus the Household correction. Positive favours a
	// match.
	Weight float64 `json:"weight"`
	// Probability is the posterior probability of a match given the
	// weight and the estimated share of matches among candidate pairs.
	Probability float64 `json:"probability"`
	// Household is the part of Weight that no field carries alone: how
	// much the whole pattern looks like two people of one household (same
	// address and landline, different given name, sex or birth date) —
	// strongly negative then — beyond what the fields say one by one.
	Household float64 `json:"household"`
	// Automatic is true when the pair is safe to merge without review:
	// probability at least [Config.AutoProbability] and no veto (see
	// [automatic]).
	Automatic bool `json:"automatic"`
	// Explain lists every field, missing ones included, in [Field] order.
	Explain []FieldWeight `json:"explain"`
}

// levels is one pair's comparison vector packed 3 bits a field, so that
// vectors can be counted and sorted as integers.
type levels uint64

func (v levels) at(f Field) Level { return Level(v >> (3 * uint(f)) & 7) }

func (v levels) with(f Field, l Level) levels {
	return v&^(7<<(3*uint(f))) | levels(l)<<(3*uint(f))
}
