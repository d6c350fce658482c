package journey

import (
	"context"
	"slices"
	"time"

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

// partnerEnrolledSince reports whether another record of pid's person — a
// probable duplicate pending review, or a record merged with it — was
// enrolled in the journey since at: the same fact recorded on both
// records (one visit, one dispense) then triggers the journey once for the
// person, as a campaign enrolls a person once ([onePerPerson]), and the
// person's address gets each step once. Records of other people sharing
// the address (a family phone) are not partners and are enrolled for
// their own facts. No query beyond the partners' when there are none.
func partnerEnrolledSince(ctx context.Context, tx *store.Tx, journey string, pid rapport.PatientID, at time.Time) (bool, error) {
	ids := []rapport.PatientID{pid}
	pending, err := tx.PendingDuplicatePartners(ctx, ids)
	if err != nil {
		return false, err
	}
	merged, err := tx.MergedInto(ctx, ids)
	if err != nil {
		return false, err
	}
	survivor, err := tx.Survivors(ctx, ids)
	if err != nil {
		return false, err
	}
	partners := append(slices.Clone(pending[pid]), merged[pid]...)
	if s, ok := survivor[pid]; ok {
		partners = append(partners, s)
	}
	if len(partners) == 0 {
		return false, nil
	}
	done, err := tx.EnrolledSince(ctx, journey, partners, at)
	return len(done) > 0, err
}
