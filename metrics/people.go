package metrics

import (
	"context"
	"encoding/json"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// people maps records to the person they belong to, so that the funnel
// counts people, not records: records merged into one another or queued
// as probable duplicates ([store.DB.PersonGroups]), and a record whose
// campaign step went to an address another record had already been sent
// it (journey.duplicate_address: the same person entered twice, or a
// shared phone, reached and answering as one).
func people(ctx context.Context, db *store.DB, f Filter) (map[rapport.PatientID]rapport.PatientID, error) {
	groups, err := db.PersonGroups(ctx)
	if err != nil {
		return nil, err
	}
	scan := store.EventScan{Campaign: f.Campaign, From: f.From, To: f.To, Kinds: []rapport.EventKind{rapport.EventDuplicateAddress}}
	err = db.ScanEvents(ctx, scan, func(e rapport.Event) error {
		var p struct {
			Holder rapport.PatientID `json:"holder"`
		}
		if json.Unmarshal(e.Payload, &p) != nil || p.Holder == "" || e.PatientID == "" {
			return nil
		}
		h := p.Holder
		if g, ok := groups[h]; ok {
			h = g
		}
		if _, ok := groups[e.PatientID]; !ok {
			groups[e.PatientID] = h
		}
		return nil
	})
	return groups, err
}

// personOf is the key a record is counted under.
func (c *computation) personOf(pid rapport.PatientID) rapport.PatientID {
	if p, ok := c.person[pid]; ok && pid != "" {
		return p
	}
	return pid
}
