package journey

import (
	"context"

	"github.com/rapporthq/rapport"
)

// prefetch loads, in two queries, what the waits of a wake job's
// enrollments look at when their time is up: the messages they wait for
// (still queued? failed?) and their patients' consents (opted out?). A
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
	ms, err := b.tx.FindMessagesByID(ctx, ids)
	if err != nil {
		return err
	}
	b.msgs = make(map[rapport.MessageID]*rapport.Message, len(ms))
	for _, m := range ms {
		b.msgs[m.ID] = m
	}
	if b.consents, err = b.tx.FindConsentsFor(ctx, pids); err != nil {
		return err
	}
	b.consentsOf = make(map[rapport.PatientID]bool, len(pids))
	for _, pid := range pids {
		b.consentsOf[pid] = true
	}
	return nil
}

// message returns a message by id, from the prefetched ones when it is
// among them; nil when there is none.
func (b *batch) message(ctx context.Context, id rapport.MessageID) (*rapport.Message, error) {
	if m, ok := b.msgs[id]; ok {
		return m, nil
	}
	ms, err := b.tx.FindMessagesByID(ctx, []rapport.MessageID{id})
	if err != nil || len(ms) != 1 {
		return nil, err
	}
	return ms[0], nil
}

// patientConsents returns a patient's consents, prefetched when they were.
func (b *batch) patientConsents(ctx context.Context, pid rapport.PatientID) ([]rapport.Consent, error) {
	if b.consentsOf[pid] {
		return b.consents[pid], nil
	}
	return b.tx.FindConsents(ctx, pid)
}
