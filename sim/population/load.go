package population

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/goccy/go-yaml"

	"github.com/rapporthq/rapport/internal/yamlcheck"
)

// LoadParams reads parameters from a YAML file: the fields it gives
// override [DefaultParams] (a list, such as areas, replaces the default list
// whole), and the result must pass [Params.Validate].
func LoadParams(path string) (Params, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Params{}, fmt.Errorf("read params: %w", err)
	}
	return ParseParams(filepath.Base(path), data)
}

// ParseParams is [LoadParams] on data already read; name is used in errors.
// Unknown fields are errors, so that a misspelt rate does not pass unnoticed.
func ParseParams(name string, data []byte) (Params, error) {
	p := DefaultParams()
	if err := yamlcheck.Unmarshal(data, &p, yaml.DisallowUnknownField()); err != nil {
		return Params{}, fmt.Errorf("%s: %w", name, err)
	}
	if err := p.Validate(); err != nil {
		return Params{}, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// YAML returns the parameters as a YAML document that [ParseParams] reads
// back: a starting point for a file of overrides.
func (p Params) YAML() ([]byte, error) {
	return yaml.Marshal(p)
}
