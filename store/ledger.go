package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
)

func jsonPayload(v any) json.RawMessage { return json.RawMessage(mustJSON(v)) }

// AppendEvents adds events to the ledger. Events without a time get the
// transaction's time. The ledger has no update or delete: triggers in both
// databases refuse them.
func (tx *Tx) AppendEvents(ctx context.Context, evs ...rapport.Event) error {
	err := insertRows(ctx, tx.q, "INSERT INTO ledger (patient_id, at, kind, channel, journey, campaign, payload) VALUES ", "", 7, len(evs), func(i int, a []any) []any {
		e := &evs[i]
		if e.At.IsZero() {
			e.At = tx.now
		}
		payload := string(e.Payload)
		if payload == "" {
			payload = "{}"
		}
		return append(a, snull(string(e.PatientID)), same{e.At.UTC()}, same{string(e.Kind)}, same{string(e.Channel)}, same{e.Journey}, same{e.Campaign}, payload)
	})
	if err != nil {
		return fmt.Errorf("append ledger events: %w", err)
	}
	return nil
}

// FindEvents returns ledger events matching f in ledger order.
func (db *DB) FindEvents(ctx context.Context, f rapport.EventFilter) ([]rapport.Event, error) {
	where := []string{"seq > ?"}
	args := []any{f.AfterSeq}
	if f.PatientID != "" {
		where, args = append(where, "patient_id = ?"), append(args, string(f.PatientID))
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(f.Kind))
	}
	if f.Campaign != "" {
		where, args = append(where, "campaign = ? AND campaign <> ''"), append(args, f.Campaign)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	rs, err := db.q.query(ctx, "SELECT "+eventCols+" FROM ledger WHERE "+
		strings.Join(where, " AND ")+" ORDER BY seq LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	return scanEvents(rs)
}

// CountEvents counts ledger events by kind.
func (db *DB) CountEvents(ctx context.Context) (map[rapport.EventKind]int, error) {
	rs, err := db.q.query(ctx, "SELECT kind, count(*) FROM ledger GROUP BY kind")
	if err != nil {
		return nil, fmt.Errorf("count events: %w", err)
	}
	defer rs.Close()
	out := map[rapport.EventKind]int{}
	for rs.Next() {
		var k string
		var n int
		if err := rs.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("scan event count: %w", err)
		}
		out[rapport.EventKind(k)] = n
	}
	return out, rs.Err()
}

// PatientEvents returns a patient's events of the kinds at or after since,
// in ledger order, inside the transaction.
func (tx *Tx) PatientEvents(ctx context.Context, pid rapport.PatientID, since time.Time, kinds ...rapport.EventKind) ([]rapport.Event, error) {
	in, args := inClause(kinds)
	rs, err := tx.q.query(ctx, "SELECT "+eventCols+" FROM ledger "+
		"WHERE patient_id = ? AND at >= ? AND kind IN ("+in+") ORDER BY seq", append([]any{string(pid), since.UTC()}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("patient events: %w", err)
	}
	return scanEvents(rs)
}

// eventCols are the columns scanEvents reads, in order.
const eventCols = "seq, coalesce(patient_id, ''), at, kind, channel, journey, campaign, payload"

// scanEvents reads ledger rows of eventCols and closes rs.
func scanEvents(rs rows) ([]rapport.Event, error) {
	defer rs.Close()
	var out []rapport.Event
	for rs.Next() {
		var e rapport.Event
		var kind, ch, payload string
		if err := rs.Scan(&e.Seq, &e.PatientID, &e.At, &kind, &ch, &e.Journey, &e.Campaign, &payload); err != nil {
			return nil, fmt.Errorf("scan event: %w", err)
		}
		e.Kind, e.Channel, e.At, e.Payload = rapport.EventKind(kind), rapport.Channel(ch), e.At.UTC(), json.RawMessage(payload)
		out = append(out, e)
	}
	return out, rs.Err()
}
