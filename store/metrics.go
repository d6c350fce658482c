package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
)

// EventScan selects ledger events for [DB.ScanEvents]. Zero fields do not filter.
type EventScan struct {
	Campaign string
	Kinds    []rapport.EventKind
	// From and To bound the events' times: From ≤ at < To.
	From, To time.Time
	// PageSize is how many events one query reads (default 5000).
	PageSize int
}

// ScanEvents calls fn for every ledger event matching f, in ledger order.
// It reads the ledger page by page (keyed by seq), so memory stays bounded
// however long the ledger is, and no query is open while fn runs: fn may
// use the database. An error from fn stops the scan and is returned.
func (db *DB) ScanEvents(ctx context.Context, f EventScan, fn func(rapport.Event) error) error {
	where := []string{"seq > ?"}
	var args []any
	if f.Campaign != "" {
		where, args = append(where, "campaign = ? AND campaign <> ''"), append(args, f.Campaign)
	}
	if len(f.Kinds) > 0 {
		in, kargs := inClause(f.Kinds)
		where, args = append(where, "kind IN ("+in+")"), append(args, kargs...)
	}
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, f.To.UTC())
	}
	page := f.PageSize
	if page <= 0 {
		page = 5000
	}
	q := "SELECT seq, coalesce(patient_id, ''), at, kind, channel, journey, campaign, payload FROM ledger WHERE " +
		strings.Join(where, " AND ") + " ORDER BY seq LIMIT ?"
	buf := make([]rapport.Event, 0, page)
	var after int64
	for {
		buf = buf[:0]
		rs, err := db.q.query(ctx, q, append(append([]any{after}, args...), page)...)
		if err != nil {
			return fmt.Errorf("scan events after %d: %w", after, err)
		}
		for rs.Next() {
			var e rapport.Event
			var kind, ch, payload string
			if err := rs.Scan(&e.Seq, &e.PatientID, &e.At, &kind, &ch, &e.Journey, &e.Campaign, &payload); err != nil {
				rs.Close()
				return fmt.Errorf("scan event after %d: %w", after, err)
			}
			e.Kind, e.Channel, e.At, e.Payload = rapport.EventKind(kind), rapport.Channel(ch), e.At.UTC(), json.RawMessage(payload)
			buf = append(buf, e)
		}
		err = rs.Err()
		rs.Close()
		if err != nil {
			return fmt.Errorf("scan events after %d: %w", after, err)
		}
		for _, e := range buf {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(buf) < page {
			return nil
		}
		after = buf[len(buf)-1].Seq
	}
}

// PatientFacts are the attributes of a patient that metrics break down by
// and that choose the patient's zone.
type PatientFacts struct {
	ID         rapport.PatientID
	BirthDate  string
	Language   string
	TimeZone   string
	PostalCode string
	Rural      bool
}

// FindPatientFacts returns the facts of the patients named; unknown ids are
// absent from the map.
func (db *DB) FindPatientFacts(ctx context.Context, ids []rapport.PatientID) (map[rapport.PatientID]PatientFacts, error) {
	out := make(map[rapport.PatientID]PatientFacts, len(ids))
	err := chunked(ids, func(in string, args []any) error {
		rs, err := db.q.query(ctx, "SELECT id, birth_date, language, time_zone, postal_code, rural FROM patients WHERE id IN ("+in+")", args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var p PatientFacts
			if err := rs.Scan(&p.ID, &p.BirthDate, &p.Language, &p.TimeZone, &p.PostalCode, &p.Rural); err != nil {
				return err
			}
			out[p.ID] = p
		}
		return rs.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find patient facts: %w", err)
	}
	return out, nil
}

// SentMessage is what metrics need of a message that went out: its size
// and when, and enough of its patient to know the patient's wall clock.
type SentMessage struct {
	ID         rapport.MessageID
	PatientID  rapport.PatientID
	Channel    rapport.Channel
	To         string
	Purpose    rapport.Purpose
	Segments   int
	Urgent     bool
	Compliance bool
	SentAt     time.Time
	// Status is the message's status now: delivered, undelivered or failed
	// when a receipt or a failure report came after the send.
	Status rapport.MessageStatus
	// TimeZone and PostalCode are the patient's (empty when the patient is gone).
	TimeZone   string
	PostalCode string
}

// MessageScan selects sent messages for [DB.ScanSentMessages]. Zero fields do not filter.
type MessageScan struct {
	Campaign string
	// From and To bound the send times: From ≤ sent_at < To.
	From, To time.Time
	PageSize int
}

// ScanSentMessages calls fn for every message with a send time matching f,
// page by page in id order; no query is open while fn runs.
func (db *DB) ScanSentMessages(ctx context.Context, f MessageScan, fn func(SentMessage) error) error {
	// Messages to caregivers are not the patients' outreach.
	where := []string{"m.id > ?", "m.sent_at IS NOT NULL", "m.caregiver_id = ''"}
	var args []any
	if f.Campaign != "" {
		where, args = append(where, "m.campaign = ? AND m.campaign <> ''"), append(args, f.Campaign)
	}
	if !f.From.IsZero() {
		where, args = append(where, "m.sent_at >= ?"), append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where, args = append(where, "m.sent_at < ?"), append(args, f.To.UTC())
	}
	page := f.PageSize
	if page <= 0 {
		page = 5000
	}
	q := "SELECT m.id, m.patient_id, m.channel, m.to_addr, m.purpose, m.segments, m.urgent, m.compliance, m.sent_at, m.status, " +
		"coalesce(p.time_zone, ''), coalesce(p.postal_code, '') FROM messages m LEFT JOIN patients p ON p.id = m.patient_id WHERE " +
		strings.Join(where, " AND ") + " ORDER BY m.id LIMIT ?"
	buf := make([]SentMessage, 0, page)
	after := ""
	for {
		buf = buf[:0]
		rs, err := db.q.query(ctx, q, append(append([]any{after}, args...), page)...)
		if err != nil {
			return fmt.Errorf("scan sent messages: %w", err)
		}
		for rs.Next() {
			var m SentMessage
			var ch, purpose, status string
			if err := rs.Scan(&m.ID, &m.PatientID, &ch, &m.To, &purpose, &m.Segments, &m.Urgent, &m.Compliance, &m.SentAt, &status, &m.TimeZone, &m.PostalCode); err != nil {
				rs.Close()
				return fmt.Errorf("scan sent message: %w", err)
			}
			m.Channel, m.Purpose, m.Status, m.SentAt = rapport.Channel(ch), rapport.Purpose(purpose), rapport.MessageStatus(status), m.SentAt.UTC()
			buf = append(buf, m)
		}
		err = rs.Err()
		rs.Close()
		if err != nil {
			return fmt.Errorf("scan sent messages: %w", err)
		}
		for _, m := range buf {
			if err := fn(m); err != nil {
				return err
			}
		}
		if len(buf) < page {
			return nil
		}
		after = string(buf[len(buf)-1].ID)
	}
}

// CountSimulatedMessages counts the messages (of campaign, if given) that
// went to simulated patients: their provider ids begin with
// rapport.SimulatedPrefix, a range of the provider-id index. Messages to
// caregivers are not the patients' and are left out.
func (db *DB) CountSimulatedMessages(ctx context.Context, campaign string) (int, error) {
	q := "SELECT count(*) FROM messages WHERE provider_id >= ? AND provider_id < ? AND caregiver_id = ''"
	args := []any{rapport.SimulatedPrefix, rapport.SimulatedPrefix[:len(rapport.SimulatedPrefix)-1] + "."}
	if campaign != "" {
		q += " AND campaign = ?"
		args = append(args, campaign)
	}
	var n int
	if err := db.q.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count simulated messages: %w", err)
	}
	return n, nil
}
