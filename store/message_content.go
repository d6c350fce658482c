package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/rapporthq/rapport"
)

// contentID names a message text by its hash, so that messages with the
// same text share one row of message_contents.
func contentID(t rapport.MessageText) string {
	h := sha256.New()
	for _, s := range []string{t.Subject, t.Body, t.HTML} {
		var n [8]byte
		for i, l := 0, uint64(len(s)); i < 8; i, l = i+1, l>>8 {
			n[i] = byte(l)
		}
		h.Write(n[:]) // lengths first: no two texts hash alike by shifting a boundary
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// putContents writes message texts that are not stored yet. It asks
// first which are: on PostgreSQL an INSERT … ON CONFLICT DO NOTHING of a
// row that exists still waits for any transaction inserting the same key,
// so concurrent sends of one campaign's text would queue behind each other
// (and could deadlock with the other locks they hold) if each inserted it.
func (tx *Tx) putContents(ctx context.Context, byID map[string]rapport.MessageText) error {
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	stored, err := findContents(ctx, tx.q, ids) // a batch holds few distinct texts
	if err != nil {
		return err
	}
	ids = slices.DeleteFunc(ids, func(id string) bool { _, ok := stored[id]; return ok })
	slices.Sort(ids) // a stable order of row locks on PostgreSQL
	err = insertRows(ctx, tx.q, "INSERT INTO message_contents (id, subject, body, html) VALUES ", " ON CONFLICT (id) DO NOTHING", 4, len(ids),
		func(i int, a []any) []any {
			t := byID[ids[i]]
			return append(a, ids[i], t.Subject, t.Body, t.HTML)
		})
	if err != nil {
		return fmt.Errorf("insert message contents: %w", err)
	}
	return nil
}

// findContents returns the message texts with the given ids.
func findContents(ctx context.Context, q querier, ids []string) (map[string]rapport.MessageText, error) {
	distinct := slices.Compact(slices.Sorted(slices.Values(ids)))
	out := make(map[string]rapport.MessageText, len(distinct))
	const chunk = 500
	for start := 0; start < len(distinct); start += chunk {
		in, args := inClause(distinct[start:min(start+chunk, len(distinct))])
		rs, err := q.query(ctx, "SELECT id, subject, body, html FROM message_contents WHERE id IN ("+in+")", args...)
		if err != nil {
			return nil, fmt.Errorf("find message contents: %w", err)
		}
		for rs.Next() {
			var id string
			var t rapport.MessageText
			if err := rs.Scan(&id, &t.Subject, &t.Body, &t.HTML); err != nil {
				rs.Close()
				return nil, fmt.Errorf("find message contents: %w", err)
			}
			out[id] = t
		}
		err = rs.Err()
		rs.Close()
		if err != nil {
			return nil, fmt.Errorf("find message contents: %w", err)
		}
	}
	return out, nil
}
