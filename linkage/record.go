package linkage

import "fmt"

// Record is what the engine compares of one patient record. Every field but
// ID is optional; an empty field is "missing" and neither helps nor hurts a
// pair.
type Record struct {
	ID string `json:"id"`

	Given  string `json:"given,omitempty"`
	Family string `json:"family,omitempty"`
	// BirthDate is YYYY-MM-DD or YYYYMMDD; anything else counts as missing.
	BirthDate string `json:"birth_date,omitempty"`
	Sex       string `json:"sex,omitempty"`

	// Street is the first address line, house number included.
	Street     string `json:"street,omitempty"`
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`

	// Phone is best given in E.164; only its digits are compared.
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
	// Identifiers are "system|value" strings (an MRN, an SSN); two records
	// agree on identifiers when they share one with the same system.
	Identifiers []string `json:"identifiers,omitempty"`
}

// validate checks what the engine cannot work without: a unique, non-empty
// id. Entry numbers in errors count from 0, as the caller's slice does.
func validate(recs []Record) error {
	seen := make(map[string]int, len(recs))
	for i := range recs {
		id := recs[i].ID
		if id == "" {
			return fmt.Errorf("linkage: record %d: field id: empty", i)
		}
		if j, dup := seen[id]; dup {
			return fmt.Errorf("linkage: record %d: field id: %q already used by record %d", i, id, j)
		}
		seen[id] = i
	}
	return nil
}
