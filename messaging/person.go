package messaging

import (
	"context"
	"slices"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// personConsents returns the consents in force for each patient as a
// person: a record that others were merged into answers for all of them,
// and the most restrictive decision wins ([rapport.MostRestrictive]), so
// an opt-out on a merged record holds for the survivor. One more query per
// batch, and none more when nothing was merged.
func personConsents(ctx context.Context, tx *store.Tx, ids []rapport.PatientID, merged map[rapport.PatientID][]rapport.PatientID) (map[rapport.PatientID][]rapport.Consent, error) {
	all := slices.Clone(ids)
	for _, ms := range merged {
		all = append(all, ms...)
	}
	consents, err := tx.FindConsentsFor(ctx, all)
	if err != nil {
		return nil, err
	}
	for s, ms := range merged {
		lists := [][]rapport.Consent{consents[s]}
		for _, m := range ms {
			if len(consents[m]) > 0 {
				lists = append(lists, consents[m])
			}
		}
		if len(lists) > 1 && len(lists[0]) == 0 {
			lists = lists[1:]
		}
		consents[s] = rapport.MostRestrictive(lists...)
	}
	return consents, nil
}

// withMergedContacts gives each survivor in byID the contact points of the
// records merged into it (they keep their own patient id: their origin),
// on a copy of the patient. It returns the merges by survivor.
func withMergedContacts(ctx context.Context, tx *store.Tx, byID map[rapport.PatientID]*rapport.Patient) (map[rapport.PatientID][]rapport.PatientID, error) {
	ids := make([]rapport.PatientID, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	merged, err := tx.MergedInto(ctx, ids)
	if err != nil || len(merged) == 0 {
		return merged, err
	}
	var others []rapport.PatientID
	for _, ms := range merged {
		others = append(others, ms...)
	}
	ps, err := tx.FindPatientsWithContacts(ctx, others)
	if err != nil {
		return nil, err
	}
	byOther := map[rapport.PatientID]*rapport.Patient{}
	for _, p := range ps {
		byOther[p.ID] = p
	}
	for s, ms := range merged {
		cp := *byID[s]
		cp.Contacts = slices.Clone(cp.Contacts)
		for _, m := range ms {
			if o := byOther[m]; o != nil {
				cp.Contacts = append(cp.Contacts, o.Contacts...)
			}
		}
		byID[s] = &cp
	}
	return merged, nil
}

// reserveSteps keeps a campaign step to one message per address and
// channel ([rapport.StepKey]), whichever record it is for: a queued
// message whose key an earlier message holds (in the database, or earlier
// in msgs) is suppressed with [rapport.DuplicateAddressReason]. It returns
// the messages that take their keys, to be written with them ([stepSends])
// once they have ids.
func reserveSteps(ctx context.Context, tx *store.Tx, msgs []*rapport.Message) ([]*rapport.Message, error) {
	taken, err := takenSteps(ctx, tx, msgs)
	if taken == nil || err != nil {
		return nil, err
	}
	var out []*rapport.Message
	for _, m := range msgs {
		k := rapport.StepKey(m)
		if k == "" || m.Status != rapport.MessageQueued {
			continue
		}
		if _, ok := taken[k]; ok {
			// The channel and address stay: they say which address had the step.
			m.Status, m.StatusReason, m.NotBefore, m.Deadline, m.Fallback = rapport.MessageSuppressed, rapport.DuplicateAddressReason, tx.Now(), tx.Now(), nil
			continue
		}
		taken[k] = store.StepSend{Key: k}
		out = append(out, m)
	}
	return out, nil
}

// takenSteps reads which step keys of the queued messages among msgs
// some message holds already; nil when none of them has a key.
func takenSteps(ctx context.Context, tx *store.Tx, msgs []*rapport.Message) (map[string]store.StepSend, error) {
	var keys []string
	for _, m := range msgs {
		if k := rapport.StepKey(m); k != "" && m.Status == rapport.MessageQueued {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	return tx.FindStepSends(ctx, keys)
}

// stepSends are the keys of reserved messages, written with them.
func stepSends(ms []*rapport.Message) []store.StepSend {
	out := make([]store.StepSend, len(ms))
	for i, m := range ms {
		out[i] = store.StepSend{Key: rapport.StepKey(m), MessageID: m.ID, PatientID: m.PatientID}
	}
	return out
}

// stepHeldByOther reports the queued messages whose step key another
// message holds: the send job's second check (a message planned before a
// record was imported or merged, or by a process that lost the race).
func stepHeldByOther(ctx context.Context, tx *store.Tx, msgs []*rapport.Message) (map[rapport.MessageID]bool, error) {
	taken, err := takenSteps(ctx, tx, msgs)
	if taken == nil || err != nil {
		return nil, err
	}
	out := map[rapport.MessageID]bool{}
	for _, m := range msgs {
		if s, ok := taken[rapport.StepKey(m)]; ok && s.MessageID != m.ID {
			out[m.ID] = true
		}
	}
	return out, nil
}
