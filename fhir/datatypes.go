package fhir

import (
	"strings"
	"time"

	"github.com/rapporthq/rapport"
)

// The structs below decode only the FHIR elements rapport maps; encoding/json
// skips the rest. Field names follow FHIR's JSON names.

type coding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display"`
}

type codeableConcept struct {
	Coding []coding `json:"coding"`
	Text   string   `json:"text"`
}

// code returns the first coding as a [rapport.Code], falling back to the
// concept's text for the display.
func (c *codeableConcept) code() rapport.Code {
	if c == nil {
		return rapport.Code{}
	}
	var out rapport.Code
	if len(c.Coding) > 0 {
		out = rapport.Code{System: c.Coding[0].System, Code: c.Coding[0].Code, Display: c.Coding[0].Display}
	}
	if out.Display == "" {
		out.Display = c.Text
	}
	return out
}

// firstCode returns the code of the first coding, or "".
func (c *codeableConcept) firstCode() string {
	if c == nil || len(c.Coding) == 0 {
		return c.textOrEmpty()
	}
	return c.Coding[0].Code
}

func (c *codeableConcept) textOrEmpty() string {
	if c == nil {
		return ""
	}
	return c.Text
}

type identifier struct {
	Type   *codeableConcept `json:"type"`
	System string           `json:"system"`
	Value  string           `json:"value"`
}

// identifiers maps FHIR identifiers, dropping those without a value (FHIR
// allows them, e.g. with a data-absent-reason, but they identify nothing).
func identifiers(in []identifier) []rapport.Identifier {
	var out []rapport.Identifier
	for _, id := range in {
		if id.Value == "" {
			continue
		}
		out = append(out, rapport.Identifier{System: id.System, Value: id.Value, Type: id.Type.firstCode()})
	}
	return out
}

type reference struct {
	Reference  string      `json:"reference"`
	Type       string      `json:"type"`
	Identifier *identifier `json:"identifier"`
	Display    string      `json:"display"`
}

type period struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type humanName struct {
	Use    string   `json:"use"`
	Text   string   `json:"text"`
	Family string   `json:"family"`
	Given  []string `json:"given"`
	Prefix []string `json:"prefix"`
}

// pickName returns the official name, else the first; nil when there is none.
func pickName(names []humanName) *humanName {
	for i := range names {
		if names[i].Use == "official" {
			return &names[i]
		}
	}
	if len(names) > 0 {
		return &names[0]
	}
	return nil
}

func (n *humanName) given() string  { return strings.Join(n.Given, " ") }
func (n *humanName) prefix() string { return strings.Join(n.Prefix, " ") }

type contactPoint struct {
	System string `json:"system"`
	Value  string `json:"value"`
	Use    string `json:"use"`
	Rank   int    `json:"rank"`
}

type address struct {
	Line       []string `json:"line"`
	City       string   `json:"city"`
	District   string   `json:"district"`
	State      string   `json:"state"`
	PostalCode string   `json:"postalCode"`
	Country    string   `json:"country"`
}

func (a *address) domain() rapport.Address {
	if a == nil {
		return rapport.Address{}
	}
	return rapport.Address{Lines: a.Line, City: a.City, District: a.District, State: a.State, PostalCode: a.PostalCode, Country: a.Country}
}

type quantity struct {
	Value *float64 `json:"value"`
	Unit  string   `json:"unit"`
	Code  string   `json:"code"`
}

type extension struct {
	URL          string  `json:"url"`
	ValueCode    *string `json:"valueCode"`
	ValueBoolean *bool   `json:"valueBoolean"`
}

// dateTime parses an optional FHIR dateTime field, naming it on error.
func dateTime(field, s string, dst *time.Time) error {
	if s == "" {
		return nil
	}
	t, err := ParseDateTime(s)
	if err != nil {
		return errField(field, "%q is not a FHIR dateTime", s)
	}
	*dst = t
	return nil
}
