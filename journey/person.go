package journey

import (
	"context"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// onePerPerson drops from a launch page's chosen records those whose
// probable duplicate (a pair pending review) is already in the campaign,
// or chosen earlier in the page: until staff decide, the person is
// enrolled once, through the record met first. Two more queries per page,
// answered from indexes.
func onePerPerson(ctx context.Context, tx *store.Tx, campaign string, chosen []rapport.PatientID) ([]rapport.PatientID, error) {
	partners, err := tx.PendingDuplicatePartners(ctx, chosen)
	if err != nil || len(partners) == 0 {
		return chosen, err
	}
	var others []rapport.PatientID
	for _, ps := range partners {
		others = append(others, ps...)
	}
	in, err := tx.CampaignPatients(ctx, campaign, others)
	if err != nil {
		return nil, err
	}
	out := chosen[:0:0]
	for _, id := range chosen {
		dup := false
		for _, p := range partners[id] {
			dup = dup || in[p]
		}
		if dup {
			continue
		}
		in[id] = true
		out = append(out, id)
	}
	return out, nil
}
