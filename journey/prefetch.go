package journey

import (
	"context"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// prefetch loads, in two queries, what the waits of a wake job's
// enrollments look at when their time is up: the messages they wait for
// (their state: still queued? failed?) and their patients' consents (opted out?). A
// second wave of 200 enrollments otherwise made 600 queries.
func (b *batch) prefetch(ctx context.Context, ens []*rapport.Enrollment) error {
	var ids []rapport.MessageID
	var pids []rapport.PatientID
	for _, en := range ens {
		if en.Status != rapport.EnrollmentWaiting {
			continue
		}
		pids = append(pids, en.PatientID)
		if en.WaitingFor != "" {
			ids = append(ids, en.WaitingFor)
		}
		if id := rapport.MessageID(en.Vars["last_message"]); id != "" && id != en.WaitingFor {
			ids = append(ids, id)
		}
	}
	if len(pids) == 0 {
		return nil
	}
	var err error
	if b.states, err = b.tx.MessageStates(ctx, ids); err != nil {
		return err
	}
	if b.consents, err = b.tx.FindConsentsFor(ctx, pids); err != nil {
		return err
	}
	for _, pid := range pids {
		b.consents[pid] = b.consents[pid] // present, if empty: asked for
	}
	return nil
}

// messageState returns a message's state, from the prefetched ones when
// it is among them; ok is false when there is no such message.
func (b *batch) messageState(ctx context.Context, id rapport.MessageID) (st store.MessageState, ok bool, err error) {
	if st, ok := b.states[id]; ok {
		return st, true, nil
	}
	states, err := b.tx.MessageStates(ctx, []rapport.MessageID{id})
	if err != nil {
		return st, false, err
	}
	st, ok = states[id]
	return st, ok, nil
}

// patientConsents returns a patient's consents, prefetched when they were.
func (b *batch) patientConsents(ctx context.Context, pid rapport.PatientID) ([]rapport.Consent, error) {
	if cs, ok := b.consents[pid]; ok {
		return cs, nil
	}
	return b.tx.FindConsents(ctx, pid)
}
