package store

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
)

// RecordConsent appends a consent decision and its ledger event. Consents
// are never updated: the latest decision per channel and purpose is in force.
func (tx *Tx) RecordConsent(ctx context.Context, c *rapport.Consent) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.ID == "" {
		c.ID = newID()
	}
	if c.RecordedAt.IsZero() {
		c.RecordedAt = tx.now
	}
	if _, err := tx.q.exec(ctx, "INSERT INTO consents (id, patient_id, channel, purpose, decision, source, evidence, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		c.ID, string(c.PatientID), string(c.Channel), string(c.Purpose), string(c.Decision), string(c.Source), c.Evidence, c.RecordedAt.UTC()); err != nil {
		return fmt.Errorf("record consent: %w", err)
	}
	return tx.AppendEvents(ctx, rapport.Event{
		PatientID: c.PatientID, At: c.RecordedAt, Kind: rapport.EventConsentRecorded, Channel: c.Channel,
		Payload: jsonPayload(map[string]string{"purpose": string(c.Purpose), "decision": string(c.Decision), "source": string(c.Source)}),
	})
}

// FindConsents returns a patient's consent decisions, oldest first.
func (tx *Tx) FindConsents(ctx context.Context, id rapport.PatientID) ([]rapport.Consent, error) {
	return findConsents(ctx, tx.q, id)
}

// FindConsents returns a patient's consent decisions, oldest first.
func (db *DB) FindConsents(ctx context.Context, id rapport.PatientID) ([]rapport.Consent, error) {
	return findConsents(ctx, db.q, id)
}

func findConsents(ctx context.Context, q querier, id rapport.PatientID) ([]rapport.Consent, error) {
	rs, err := q.query(ctx, "SELECT id, channel, purpose, decision, source, evidence, recorded_at FROM consents WHERE patient_id = ? ORDER BY recorded_at, id", string(id))
	if err != nil {
		return nil, fmt.Errorf("find consents: %w", err)
	}
	defer rs.Close()
	var out []rapport.Consent
	for rs.Next() {
		c := rapport.Consent{PatientID: id}
		var ch, purpose, decision, source string
		if err := rs.Scan(&c.ID, &ch, &purpose, &decision, &source, &c.Evidence, &c.RecordedAt); err != nil {
			return nil, fmt.Errorf("scan consent: %w", err)
		}
		c.Channel, c.Purpose, c.Decision, c.Source = rapport.Channel(ch), rapport.Purpose(purpose), rapport.ConsentDecision(decision), rapport.ContactSource(source)
		c.RecordedAt = c.RecordedAt.UTC()
		out = append(out, c)
	}
	return out, rs.Err()
}

// FindConsentsFor returns the consent decisions of several patients, oldest first.
func (tx *Tx) FindConsentsFor(ctx context.Context, ids []rapport.PatientID) (map[rapport.PatientID][]rapport.Consent, error) {
	out := map[rapport.PatientID][]rapport.Consent{}
	err := eachRowIn(ctx, tx.q, ids, "SELECT id, patient_id, channel, purpose, decision, source, evidence, recorded_at FROM consents WHERE patient_id IN (%s) ORDER BY recorded_at, id", func(rs rows) error {
		var c rapport.Consent
		var ch, purpose, decision, source string
		if err := rs.Scan(&c.ID, &c.PatientID, &ch, &purpose, &decision, &source, &c.Evidence, &c.RecordedAt); err != nil {
			return err
		}
		c.Channel, c.Purpose, c.Decision, c.Source = rapport.Channel(ch), rapport.Purpose(purpose), rapport.ConsentDecision(decision), rapport.ContactSource(source)
		c.RecordedAt = c.RecordedAt.UTC()
		out[c.PatientID] = append(out[c.PatientID], c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find consents: %w", err)
	}
	return out, nil
}

// LockAddress makes the transactions that change the consents of one
// address take turns until they end: two STOPs from one number, handled by
// two workers at once, would otherwise both find nobody opted out and both
// confirm. SQLite has one writer at a time already.
func (tx *Tx) LockAddress(ctx context.Context, address string) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	if _, err := tx.q.exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended(?, 7))", address); err != nil {
		return fmt.Errorf("lock address: %w", err)
	}
	return nil
}
