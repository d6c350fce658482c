package fhirapi

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rapporthq/rapport/importer"
)

// summaryOutcome returns an import's summary as an OperationOutcome of
// information issues: the totals first, then one issue per resource type
// ("Patient: 1 created, 0 updated, 0 unchanged, 0 rejected"), then the
// resource types not imported, possible duplicates and references still
// waiting for what they name.
func summaryOutcome(s importer.Summary) []byte {
	created, updated, _, rejected := s.Total()
	unchanged, skipped := 0, 0
	for _, c := range s.ByType {
		unchanged += c.Unchanged
	}
	for _, n := range s.Unsupported {
		skipped += n
	}
	issues := []issue{{"information", "informational",
		fmt.Sprintf("Bundle imported: %d created, %d updated, %d unchanged, %d rejected, %d not imported (types rapport does not import)",
			created, updated, unchanged, rejected, skipped)}}
	types := make([]string, 0, len(s.ByType))
	for t := range s.ByType {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		c := s.ByType[t]
		issues = append(issues, issue{"information", "informational",
			fmt.Sprintf("%s: %d created, %d updated, %d unchanged, %d rejected", t, c.Created, c.Updated, c.Unchanged, c.Rejected)})
	}
	if len(s.Unsupported) > 0 {
		parts := make([]string, 0, len(s.Unsupported))
		for t, n := range s.Unsupported {
			if t == "" {
				t = "(no resource)"
			}
			parts = append(parts, fmt.Sprintf("%s %d", t, n))
		}
		sort.Strings(parts)
		issues = append(issues, issue{"information", "informational", "not imported (types rapport does not import): " + strings.Join(parts, ", ")})
	}
	if s.PossibleDuplicates > 0 {
		issues = append(issues, issue{"warning", "duplicate",
			fmt.Sprintf("%d possible duplicate patients (different records sharing an identifier) were kept apart for review", s.PossibleDuplicates)})
	}
	if s.WaitingRefs > 0 {
		issues = append(issues, issue{"information", "informational",
			fmt.Sprintf("%d references wait for practitioners, locations or prescriptions not imported yet", s.WaitingRefs)})
	}
	return outcome(issues)
}
