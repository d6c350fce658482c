package yamlcheck_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/internal/yamlcheck"
)

type settings struct {
	Rate  float64  `yaml:"rate"`
	Areas []string `yaml:"areas"`
	Name  string   `yaml:"name"`
}

func (s *settings) Validate() error {
	if s.Rate < 0 || s.Rate > 1 {
		return errors.New("rate must be between 0 and 1")
	}
	return nil
}

func defaults() settings { return settings{Rate: 0.5, Areas: []string{"a", "b"}, Name: "default"} }

func TestOverrides(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		want      settings
		err       string // in the error; "" for none
	}{
		{"one field", "rate: 0.25\n", settings{Rate: 0.25, Areas: []string{"a", "b"}, Name: "default"}, ""},
		{"a list replaces the default whole", "areas: [c]\n", settings{Rate: 0.5, Areas: []string{"c"}, Name: "default"}, ""},
		{"empty document", "", defaults(), ""},
		{"a comment and a field", "# slower\nrate: 0.25\n", settings{Rate: 0.25, Areas: []string{"a", "b"}, Name: "default"}, ""},
		{"comments only", "# rate: 0.25\n", defaults(), ""},
		{"null document", "~\n", defaults(), ""},
		{"unknown field", "rat: 0.25\n", settings{}, `model.yaml: [1:1] unknown field "rat"`},
		{"invalid result", "rate: 2\n", settings{}, "model.yaml: rate must be between 0 and 1"},
		{"alias", "name: &n x\nareas: [*n]\n", settings{}, "model.yaml: line 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := defaults()
			err := yamlcheck.Overrides("model.yaml", []byte(tc.doc), &got)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Rate != tc.want.Rate || got.Name != tc.want.Name || strings.Join(got.Areas, ",") != strings.Join(tc.want.Areas, ",") {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestReadOverrides(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "rates.yaml")
	if err := os.WriteFile(path, []byte("rate: 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := defaults()
	if err := yamlcheck.ReadOverrides(path, "rates", &s); err == nil || !strings.HasPrefix(err.Error(), "rates.yaml: rate must be") {
		t.Errorf("error %v, want it to name the file and the check", err)
	}
	err := yamlcheck.ReadOverrides(filepath.Join(dir, "missing.yaml"), "rates", &s)
	if !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "read rates: ") {
		t.Errorf("error %v, want read rates: … not found", err)
	}
}
