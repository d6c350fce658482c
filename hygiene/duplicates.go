package hygiene

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/linkage"
	"github.com/rapporthq/rapport/store"
)

// duplicates runs detection and hands the pairs to the sink. It returns
// the model it scored with, which the run stores for the next one.
func duplicates(ctx context.Context, deps Deps, prev *store.HygieneRun, recs []linkage.Record, r *Report) (*linkage.Model, error) {
	d := &r.Duplicates
	d.Patients = len(recs)
	var model *linkage.Model
	if prev != nil && len(prev.Model) > 0 && string(prev.Model) != "null" {
		model = new(linkage.Model)
		if err := json.Unmarshal(prev.Model, model); err != nil {
			return nil, fmt.Errorf("hygiene: model of run %s: %w", prev.ID, err)
		}
	}
	var pairs []linkage.Pair
	var err error
	switch {
	case len(recs) < 2:
		// Nothing to compare, and EM cannot fit a model on nothing.
	case model == nil:
		d.Full, d.Changed = true, len(recs)
		pairs, model, err = linkage.Detect(recs, deps.Linkage)
	default:
		var ids []rapport.PatientID
		if ids, err = deps.DB.PatientIDsChangedAfter(ctx, prev.StartedAt); err != nil {
			return nil, fmt.Errorf("hygiene: %w", err)
		}
		changed := knownIDs(recs, ids)
		d.Changed = len(changed)
		pairs, err = model.DetectChanged(recs, changed, deps.Linkage)
	}
	if err != nil {
		return nil, fmt.Errorf("hygiene: detect duplicates: %w", err)
	}
	d.Pairs = len(pairs)
	if len(pairs) > 0 {
		if d.Found, err = deps.Duplicates.AddDuplicates(ctx, pairs); err != nil {
			return nil, fmt.Errorf("hygiene: %w", err)
		}
	}
	if d.DuplicateCounts, err = deps.Duplicates.CountDuplicates(ctx); err != nil {
		return nil, fmt.Errorf("hygiene: count duplicates: %w", err)
	}
	return model, nil
}

// record is what linkage compares of a patient: the first phone and email
// with a normalised value, in the stored order (by rank), whatever their
// status — a dead number two records share is still evidence — and
// identifiers as "system|value".
func record(p *rapport.Patient) linkage.Record {
	r := linkage.Record{ID: string(p.ID), Given: p.Given, Family: p.Family, BirthDate: p.BirthDate, Sex: string(p.Sex),
		City: p.Address.City, State: p.Address.State, PostalCode: p.Address.PostalCode}
	if len(p.Address.Lines) > 0 {
		r.Street = p.Address.Lines[0]
	}
	for i := range p.Contacts {
		c := &p.Contacts[i]
		switch {
		case c.Kind == rapport.ContactPhone && r.Phone == "" && c.Value != "":
			r.Phone = c.Value
		case c.Kind == rapport.ContactEmail && r.Email == "" && c.Value != "":
			r.Email = c.Value
		}
	}
	for _, id := range p.Identifiers {
		r.Identifiers = append(r.Identifiers, id.System+"|"+id.Value)
	}
	return r
}

// knownIDs keeps the ids among the records: a patient created after the
// scan waits for the next run.
func knownIDs(recs []linkage.Record, ids []rapport.PatientID) []string {
	have := make(map[string]bool, len(recs))
	for i := range recs {
		have[recs[i].ID] = true
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if have[string(id)] {
			out = append(out, string(id))
		}
	}
	return out
}
