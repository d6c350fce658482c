package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
)

const messageCols = "id, patient_id, channel, contact_id, to_addr, from_addr, purpose, language, choices, urgent, compliance, fallback, " +
	"status, status_reason, provider_id, segments, not_before, deadline, journey, campaign, step, created_at, sent_at, updated_at, content_id, vars, patient_timed, caregiver_id, proxy"

// CreateMessages inserts messages, assigning ids and stamping times. Each
// message's Template (or, when it has none, its text as it is) is kept once
// in message_contents, shared by every message with the same one; the
// message row keeps its Vars.
func (tx *Tx) CreateMessages(ctx context.Context, ms []*rapport.Message) error {
	contentIDs := make([]string, len(ms))
	contents := map[string]rapport.MessageText{}
	var last rapport.MessageText // a batch's messages mostly share one text: hash it once
	lastID := ""
	for i, m := range ms {
		if m.ID == "" {
			m.ID = rapport.MessageID(newID())
		}
		m.CreatedAt, m.UpdatedAt = tx.now, tx.now
		if m.NotBefore.IsZero() {
			m.NotBefore = tx.now
		}
		t := m.Unfilled()
		if lastID == "" || t != last {
			last, lastID = t, contentID(t)
			contents[lastID] = t
		}
		contentIDs[i] = lastID
	}
	if err := tx.putContents(ctx, contents); err != nil {
		return err
	}
	err := insertRows(ctx, tx.q, "INSERT INTO messages ("+messageCols+") VALUES ", "", 29, len(ms), func(i int, a []any) []any {
		m := ms[i]
		// A batch's messages mostly share all but their ids, patients,
		// addresses and vars: values marked same are bound once when equal.
		return append(a, string(m.ID), string(m.PatientID), same{string(m.Channel)}, m.ContactID, m.To, same{m.From}, same{string(m.Purpose)}, same{m.Language},
			same{jsonMap(m.Choices)}, same{m.Urgent}, same{m.Compliance}, same{jsonChannels(m.Fallback)}, same{string(m.Status)}, same{m.StatusReason},
			same{m.ProviderID}, same{m.Segments}, same{m.NotBefore.UTC()}, same{m.Deadline.UTC()}, same{m.Journey}, same{m.Campaign}, same{m.Step}, same{tx.now}, same{tnull(m.SentAt)}, same{tx.now},
			same{contentIDs[i]}, jsonMap(m.Vars), same{m.PatientTimed}, same{m.CaregiverID}, same{string(m.Proxy)})
	})
	if err != nil {
		return fmt.Errorf("insert messages: %w", err)
	}
	return nil
}

// jsonMap is m as stored: "{}" when empty, without the encoder.
func jsonMap(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	return mustJSON(m)
}

// jsonChannels is c as stored: "[]" when empty, without the encoder.
func jsonChannels(c []rapport.Channel) string {
	if len(c) == 0 {
		return "[]"
	}
	return mustJSON(c)
}

// scanMessage reads a message row; its content id is returned apart, for
// the caller to fill in the text.
func scanMessage(rs row) (*rapport.Message, string, error) {
	var m rapport.Message
	var ch, purpose, status, choices, fallback, contentID, vars string
	var sent sql.NullTime
	if err := rs.Scan(&m.ID, &m.PatientID, &ch, &m.ContactID, &m.To, &m.From, &purpose, &m.Language,
		&choices, &m.Urgent, &m.Compliance, &fallback, &status, &m.StatusReason, &m.ProviderID, &m.Segments, &m.NotBefore, &m.Deadline,
		&m.Journey, &m.Campaign, &m.Step, &m.CreatedAt, &sent, &m.UpdatedAt, &contentID, &vars, &m.PatientTimed, &m.CaregiverID, (*string)(&m.Proxy)); err != nil {
		return nil, "", fmt.Errorf("scan message: %w", err)
	}
	if vars != "{}" {
		_ = json.Unmarshal([]byte(vars), &m.Vars)
	}
	m.Channel, m.Purpose, m.Status = rapport.Channel(ch), rapport.Purpose(purpose), rapport.MessageStatus(status)
	// Most messages have neither: skip the decoder for the empty forms.
	if choices != "{}" {
		_ = json.Unmarshal([]byte(choices), &m.Choices)
	}
	if fallback != "[]" {
		_ = json.Unmarshal([]byte(fallback), &m.Fallback)
	}
	if len(m.Choices) == 0 {
		m.Choices = nil
	}
	if len(m.Fallback) == 0 {
		m.Fallback = nil
	}
	m.SentAt = fromNullTime(sent)
	m.NotBefore, m.Deadline, m.CreatedAt, m.UpdatedAt = m.NotBefore.UTC(), m.Deadline.UTC(), m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	return &m, contentID, nil
}

// findMessages returns the messages matching where, rendered: each one's
// content filled with its vars.
func findMessages(ctx context.Context, q querier, where string, args ...any) ([]*rapport.Message, error) {
	rs, err := q.query(ctx, "SELECT "+messageCols+" FROM messages "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("find messages: %w", err)
	}
	var out []*rapport.Message
	var contentIDs []string
	for rs.Next() {
		m, cid, err := scanMessage(rs)
		if err != nil {
			rs.Close()
			return nil, err
		}
		out = append(out, m)
		contentIDs = append(contentIDs, cid)
	}
	err = rs.Err()
	rs.Close() // before the next query: SQLite may have one connection
	if err != nil {
		return nil, fmt.Errorf("find messages: %w", err)
	}
	contents, err := findContents(ctx, q, contentIDs)
	if err != nil {
		return nil, err
	}
	for i, m := range out {
		m.Template = contents[contentIDs[i]]
		t := m.Template.Fill(m.Vars)
		m.Subject, m.Body, m.HTML = t.Subject, t.Body, t.HTML
	}
	return out, nil
}

// FindMessagesByID returns the messages with the given ids, in id order.
func (tx *Tx) FindMessagesByID(ctx context.Context, ids []rapport.MessageID) ([]*rapport.Message, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := inClause(ids)
	return findMessages(ctx, tx.q, "WHERE messages.id IN ("+in+") ORDER BY messages.id", args...)
}

// FindMessage returns one message.
func (db *DB) FindMessage(ctx context.Context, id rapport.MessageID) (*rapport.Message, error) {
	ms, err := findMessages(ctx, db.q, "WHERE messages.id = ?", string(id))
	if err != nil {
		return nil, err
	} else if len(ms) == 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "message %s not found", id)
	}
	return ms[0], nil
}

// FindMessageByProviderID returns the message a provider knows by pid.
func (tx *Tx) FindMessageByProviderID(ctx context.Context, pid string) (*rapport.Message, error) {
	ms, err := findMessages(ctx, tx.q, whereMessageByProvider, pid)
	if err != nil {
		return nil, err
	} else if len(ms) == 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "no message with provider id %s", pid)
	}
	return ms[0], nil
}

// FindMessageForUpdate returns one message inside the transaction.
func (tx *Tx) FindMessage(ctx context.Context, id rapport.MessageID) (*rapport.Message, error) {
	ms, err := findMessages(ctx, tx.q, "WHERE messages.id = ?", string(id))
	if err != nil {
		return nil, err
	} else if len(ms) == 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "message %s not found", id)
	}
	return ms[0], nil
}

// FindPatientMessages returns a patient's messages, oldest first.
func (db *DB) FindPatientMessages(ctx context.Context, pid rapport.PatientID) ([]*rapport.Message, error) {
	return findMessages(ctx, db.q, "WHERE patient_id = ? ORDER BY created_at, messages.id", string(pid))
}

// MessageUpdate is a status change of one message.
type MessageUpdate struct {
	ID         rapport.MessageID
	Status     rapport.MessageStatus
	Reason     string
	ProviderID string // kept when empty
	Segments   int    // kept when 0
	SentAt     time.Time
	NotBefore  time.Time // kept when zero
}

// UpdateMessages applies status changes, in order: a message may change
// twice (sent, then delivered). Changes that share their status, reason and
// times go in one statement, as a send job's "sent" results all do.
func (tx *Tx) UpdateMessages(ctx context.Context, us []MessageUpdate) error {
	for len(us) > 0 {
		// A run of changes in which no message repeats may be regrouped
		// freely; a repeat starts the next run, keeping the order per message.
		seen := make(map[rapport.MessageID]struct{}, len(us))
		n := 0
		for ; n < len(us); n++ {
			if _, dup := seen[us[n].ID]; dup {
				break
			}
			seen[us[n].ID] = struct{}{}
		}
		if err := tx.updateRun(ctx, us[:n]); err != nil {
			return err
		}
		us = us[n:]
	}
	return nil
}

// updateKey is what the changes of one statement share.
type updateKey struct {
	status            rapport.MessageStatus
	reason            string
	sentAt, notBefore time.Time
}

// maxUpdateRows bounds the rows of one UPDATE (three parameters a row).
const maxUpdateRows = 300

// updateRun applies changes to distinct messages, grouped by what they share.
func (tx *Tx) updateRun(ctx context.Context, us []MessageUpdate) error {
	groups := map[updateKey][]MessageUpdate{}
	var keys []updateKey
	for _, u := range us {
		k := updateKey{u.Status, u.Reason, u.SentAt, u.NotBefore}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], u)
	}
	for _, k := range keys {
		g := groups[k]
		for start := 0; start < len(g); start += maxUpdateRows {
			if err := tx.updateGroup(ctx, k, g[start:min(start+maxUpdateRows, len(g))]); err != nil {
				return err
			}
		}
	}
	return nil
}

// updateGroup is one UPDATE of messages sharing k; provider ids and
// segments, which differ per message, are joined from a VALUES list (both
// SQLite, since 3.33, and PostgreSQL take UPDATE … FROM). The status moves
// only forward ([rapport.MessageStatus.MayBecome]), judged on the row as
// the UPDATE finds it, so a delivery receipt that committed first is not
// undone by the send worker's later "sent" (PostgreSQL re-reads a row
// another transaction changed before applying SET). A change that may not
// move the status still fills in what is missing: when it was sent, the
// provider's id, the segments.
func (tx *Tx) updateGroup(ctx context.Context, k updateKey, g []MessageUpdate) error {
	may := mayBecomeSQL(k.status)
	var b strings.Builder
	args := make([]any, 0, 5+3*len(g))
	b.WriteString(`UPDATE messages SET status = CASE WHEN ` + may + ` THEN ? ELSE messages.status END,
		status_reason = CASE WHEN ` + may + ` THEN ? ELSE messages.status_reason END,
		sent_at = coalesce(messages.sent_at, ?),
		not_before = CASE WHEN ` + may + ` THEN coalesce(?, messages.not_before) ELSE messages.not_before END, updated_at = ?,
		provider_id = CASE WHEN v.column2 = '' THEN messages.provider_id ELSE v.column2 END,
		segments = CASE WHEN v.column3 = 0 THEN messages.segments ELSE v.column3 END
		FROM (VALUES `)
	args = append(args, string(k.status), k.reason, tnull(k.sentAt), tnull(k.notBefore), tx.now)
	for i, u := range g {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?, ?, CAST(? AS INTEGER))")
		args = append(args, string(u.ID), u.ProviderID, u.Segments)
	}
	b.WriteString(") AS v WHERE messages.id = v.column1")
	if _, err := tx.q.exec(ctx, b.String(), args...); err != nil {
		if len(g) == 1 {
			return fmt.Errorf("update message %s: %w", g[0].ID, err)
		}
		return fmt.Errorf("update %d messages: %w", len(g), err)
	}
	return nil
}

// mayBecomeSQL is the condition that a message's current status may
// become next. The statuses are the package's own constants, written as
// literals so each status keeps one cached statement.
func mayBecomeSQL(next rapport.MessageStatus) string {
	var from []string
	for _, s := range rapport.MessageStatuses() {
		if s.MayBecome(next) {
			from = append(from, "'"+string(s)+"'")
		}
	}
	if len(from) == 0 {
		return "FALSE"
	}
	return "messages.status IN (" + strings.Join(from, ", ") + ")"
}

// ReserveSlots takes n consecutive send slots of a sender whose pace is one
// message per interval, and returns the first slot's time: never before now,
// never overlapping slots another process took. The reservation is one
// atomic UPDATE, so any number of workers on one database share the pace.
func (tx *Tx) ReserveSlots(ctx context.Context, sender string, n int, interval time.Duration, now time.Time) (time.Time, error) {
	nowNS := now.UnixNano()
	span := int64(n) * int64(interval)
	if _, err := tx.q.exec(ctx, "INSERT INTO senders (address, next_ns) VALUES (?, ?) ON CONFLICT (address) DO NOTHING", sender, nowNS); err != nil {
		return time.Time{}, fmt.Errorf("reserve slots: %w", err)
	}
	var next int64
	err := tx.q.queryRow(ctx, "UPDATE senders SET next_ns = CASE WHEN next_ns > ? THEN next_ns ELSE ? END + ? WHERE address = ? RETURNING next_ns",
		nowNS, nowNS, span, sender).Scan(&next)
	if err != nil {
		return time.Time{}, fmt.Errorf("reserve slots: %w", err)
	}
	return time.Unix(0, next-span).UTC(), nil
}

// Send is when a message for a purpose went, or will go, to a patient.
type Send struct {
	Purpose rapport.Purpose
	At      time.Time
}

// RecentSendsFor returns, per patient, the messages that went or will go
// since t (queued ones at their planned time), for frequency caps. Messages
// to the patient's caregivers are not the patient's and are left out.
func (tx *Tx) RecentSendsFor(ctx context.Context, ids []rapport.PatientID, since time.Time) (map[rapport.PatientID][]Send, error) {
	out := map[rapport.PatientID][]Send{}
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		in, args := inClause(ids[start:min(start+chunk, len(ids))])
		rs, err := tx.q.query(ctx, "SELECT patient_id, purpose, coalesce(sent_at, not_before) FROM messages WHERE patient_id IN ("+in+") AND caregiver_id = '' AND status IN ('queued', 'unknown', 'sent', 'delivered') AND not_before >= ?",
			append(args, since.UTC())...)
		if err != nil {
			return nil, fmt.Errorf("recent sends: %w", err)
		}
		for rs.Next() {
			var pid rapport.PatientID
			var s Send
			var purpose string
			if err := rs.Scan(&pid, &purpose, timeOf{&s.At}); err != nil {
				rs.Close()
				return nil, fmt.Errorf("recent sends: %w", err)
			}
			s.Purpose, s.At = rapport.Purpose(purpose), s.At.UTC()
			out[pid] = append(out[pid], s)
		}
		err = rs.Err()
		rs.Close()
		if err != nil {
			return nil, fmt.Errorf("recent sends: %w", err)
		}
	}
	return out, nil
}

// MessageState is what a journey's wait asks of the message it waits for:
// where it stands, on which channel, for what purpose.
type MessageState struct {
	Status  rapport.MessageStatus
	Channel rapport.Channel
	Purpose rapport.Purpose
}

// MessageStates returns the state of the messages with the given ids (those
// that exist), without reading their content.
func (tx *Tx) MessageStates(ctx context.Context, ids []rapport.MessageID) (map[rapport.MessageID]MessageState, error) {
	out := make(map[rapport.MessageID]MessageState, len(ids))
	err := eachRowIn(ctx, tx.q, ids, "SELECT id, status, channel, purpose FROM messages WHERE id IN (%s)", func(rs rows) error {
		var id, status, ch, purpose string
		if err := rs.Scan(&id, &status, &ch, &purpose); err != nil {
			return err
		}
		out[rapport.MessageID(id)] = MessageState{Status: rapport.MessageStatus(status), Channel: rapport.Channel(ch), Purpose: rapport.Purpose(purpose)}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("message states: %w", err)
	}
	return out, nil
}
