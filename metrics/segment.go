package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// AgeBand names the age band of an age in years: "0-17", "18-34", "35-49",
// "50-64", "65-79", "80+"; "unknown" when the age is not known (negative).
func AgeBand(age int) string {
	switch {
	case age < 0:
		return "unknown"
	case age < 18:
		return "0-17"
	case age < 35:
		return "18-34"
	case age < 50:
		return "35-49"
	case age < 65:
		return "50-64"
	case age < 80:
		return "65-79"
	}
	return "80+"
}

// segmentKeys are the breakdowns a patient belongs to: "rural" or "urban",
// "language:XX", "age:BAND", "channel:CH" (of the first message sent;
// "channel:none" if none went out) and "variant:V" when the patient had an
// A/B variant.
func segmentKeys(f store.PatientFacts, known bool, p *patientState, at time.Time) []string {
	keys := make([]string, 0, 5)
	lang, band := "unknown", "unknown"
	if known {
		if f.Rural {
			keys = append(keys, "rural")
		} else {
			keys = append(keys, "urban")
		}
		if f.Language != "" {
			lang = f.Language
		}
		pt := rapport.Patient{BirthDate: f.BirthDate}
		if age, ok := pt.Age(at); ok {
			band = AgeBand(age)
		}
	}
	ch := "none"
	if p.channel != "" {
		ch = string(p.channel)
	}
	keys = append(keys, "language:"+lang, "age:"+band, "channel:"+ch)
	if p.variant != "" {
		keys = append(keys, "variant:"+p.variant)
	}
	return keys
}

// segments fills the breakdowns, looking up the patients' attributes in chunks.
func (c *computation) segments(ctx context.Context, db *store.DB, r *Report) error {
	at := c.f.To
	if at.IsZero() {
		at = db.Clock().Now()
	}
	ids := make([]rapport.PatientID, 0, len(c.patients))
	for id := range c.patients {
		ids = append(ids, id)
	}
	const chunk = 5000
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		facts, err := db.FindPatientFacts(ctx, part)
		if err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
		for _, id := range part {
			p := c.patients[id]
			f, known := facts[id]
			for _, k := range segmentKeys(f, known, p, at) {
				fu := r.BySegment[k]
				p.addTo(&fu)
				p.addOutcome(&fu)
				r.BySegment[k] = fu
			}
		}
	}
	return nil
}
