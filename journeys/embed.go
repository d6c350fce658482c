// Package journeys holds the journeys shipped with rapport, embedded in the
// binary: outreach, decliner nurture, post-visit check-in, contact
// re-verification and the search for a new number when the last one fails,
// in English and Spanish.
package journeys

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/rapporthq/rapport/journey"
)

//go:embed *.yaml
var files embed.FS

// Load parses every shipped journey.
func Load() ([]*journey.Definition, error) {
	names, err := fs.Glob(files, "*.yaml")
	if err != nil {
		return nil, err
	}
	var defs []*journey.Definition
	for _, n := range names {
		data, err := files.ReadFile(n)
		if err != nil {
			return nil, fmt.Errorf("shipped journey %s: %w", n, err)
		}
		d, err := journey.Parse(n, data)
		if err != nil {
			return nil, err
		}
		defs = append(defs, d)
	}
	return defs, nil
}
