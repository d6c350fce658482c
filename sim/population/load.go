package population

import (
	"github.com/goccy/go-yaml"

	"github.com/rapporthq/rapport/internal/yamlcheck"
)

// LoadParams reads parameters from a YAML file: the fields it gives
// override [DefaultParams] (a list, such as areas, replaces the default list
// whole), and the result must pass [Params.Validate].
func LoadParams(path string) (Params, error) {
	p := DefaultParams()
	if err := yamlcheck.ReadOverrides(path, "params", &p); err != nil {
		return Params{}, err
	}
	return p, nil
}

// ParseParams is [LoadParams] on data already read; name is used in errors.
// Unknown fields are errors, so that a misspelt rate does not pass unnoticed.
func ParseParams(name string, data []byte) (Params, error) {
	p := DefaultParams()
	if err := yamlcheck.Overrides(name, data, &p); err != nil {
		return Params{}, err
	}
	return p, nil
}

// YAML returns the parameters as a YAML document that [ParseParams] reads
// back: a starting point for a file of overrides.
func (p Params) YAML() ([]byte, error) {
	return yaml.Marshal(p)
}
