package store

import (
	"context"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
)

const lineLookupCols = "number, provider, line_type, provider_type, carrier, error_code, looked_up_at, attempts, retry_at, last_error"

// DuePhoneLookups returns up to limit phone numbers, in E.164, that a
// line-type look-up is due for at now: held by a contact point that is not
// invalid or opted out, and never looked up, or looked up before now minus
// maxAge, or failed with its retry time come.
func (db *DB) DuePhoneLookups(ctx context.Context, now time.Time, maxAge time.Duration, limit int) ([]string, error) {
	rs, err := db.q.query(ctx, "SELECT DISTINCT cp.value FROM contact_points cp LEFT JOIN phone_lookups l ON l.number = cp.value "+
		"WHERE cp.kind = 'phone' AND cp.value <> '' AND cp.status NOT IN ('invalid', 'opted_out') "+
		"AND (l.number IS NULL OR (l.retry_at <= ? AND (l.looked_up_at IS NULL OR l.looked_up_at < ?))) ORDER BY cp.value LIMIT ?",
		now.UTC(), now.Add(-maxAge).UTC(), limit)
	if err != nil {
		return nil, fmt.Errorf("find due phone lookups: %w", err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var n string
		if err := rs.Scan(&n); err != nil {
			return nil, fmt.Errorf("scan due phone lookup: %w", err)
		}
		out = append(out, n)
	}
	return out, rs.Err()
}

// UnappliedLineLookups returns up to limit cached answers, by number, that
// a phone contact point holding the number does not show yet: one added
// (imported, say) after its number was looked up, whose line type the
// numbering plan left open (empty, unknown, fixed or mobile). A line type
// delivery taught is not open, and is left to the next look-up.
func (db *DB) UnappliedLineLookups(ctx context.Context, limit int) ([]rapport.LineLookup, error) {
	rs, err := db.q.query(ctx, "SELECT DISTINCT l.number, l.line_type, l.provider_type, l.looked_up_at FROM phone_lookups l "+
		"JOIN contact_points cp ON cp.value = l.number AND cp.kind = 'phone' "+
		"WHERE l.line_type <> '' AND l.looked_up_at IS NOT NULL AND cp.line_type IN ('', 'unknown', 'fixed_or_mobile') "+
		"AND cp.line_type <> l.line_type AND cp.status NOT IN ('invalid', 'opted_out') ORDER BY l.number LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("find unapplied phone lookups: %w", err)
	}
	defer rs.Close()
	var out []rapport.LineLookup
	for rs.Next() {
		var l rapport.LineLookup
		var lt string
		if err := rs.Scan(&l.Number, &lt, &l.ProviderType, timeOf{&l.LookedUpAt}); err != nil {
			return nil, fmt.Errorf("scan unapplied phone lookup: %w", err)
		}
		l.LineType = rapport.LineType(lt)
		out = append(out, l)
	}
	return out, rs.Err()
}

// PutLineLookups stores look-up results, replacing earlier ones of the
// same numbers.
func (tx *Tx) PutLineLookups(ctx context.Context, ls []rapport.LineLookup) error {
	err := insertRows(ctx, tx.q, "INSERT INTO phone_lookups ("+lineLookupCols+") VALUES ",
		" ON CONFLICT (number) DO UPDATE SET provider = excluded.provider, line_type = excluded.line_type, provider_type = excluded.provider_type, "+
			"carrier = excluded.carrier, error_code = excluded.error_code, looked_up_at = excluded.looked_up_at, attempts = excluded.attempts, "+
			"retry_at = excluded.retry_at, last_error = excluded.last_error", 10, len(ls), func(i int, a []any) []any {
			l := ls[i]
			return append(a, l.Number, l.Provider, string(l.LineType), l.ProviderType, l.Carrier, l.ErrorCode, tnull(l.LookedUpAt),
				l.Attempts, l.RetryAt.UTC(), l.LastError)
		})
	if err != nil {
		return fmt.Errorf("store phone lookups: %w", err)
	}
	return nil
}

// FindLineLookups returns the cached look-ups of numbers, by number;
// numbers never looked up are absent.
func (tx *Tx) FindLineLookups(ctx context.Context, numbers []string) (map[string]rapport.LineLookup, error) {
	out := map[string]rapport.LineLookup{}
	if len(numbers) == 0 {
		return out, nil
	}
	in, args := inClause(numbers)
	rs, err := tx.q.query(ctx, "SELECT "+lineLookupCols+" FROM phone_lookups WHERE number IN ("+in+")", args...)
	if err != nil {
		return nil, fmt.Errorf("find phone lookups: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var l rapport.LineLookup
		var lt string
		if err := rs.Scan(&l.Number, &l.Provider, &lt, &l.ProviderType, &l.Carrier, &l.ErrorCode, timeOf{&l.LookedUpAt},
			&l.Attempts, timeOf{&l.RetryAt}, &l.LastError); err != nil {
			return nil, fmt.Errorf("scan phone lookup: %w", err)
		}
		l.LineType = rapport.LineType(lt)
		out[l.Number] = l
	}
	return out, rs.Err()
}

// SetLineTypeOfNumber gives every phone contact point holding number the
// line type lt, with reason as evidence and a ledger event for each that
// changes. It returns how many changed.
func (tx *Tx) SetLineTypeOfNumber(ctx context.Context, number string, lt rapport.LineType, reason string) (int, error) {
	cps, err := tx.FindContactPointsByValue(ctx, rapport.ContactPhone, number)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range cps {
		if c.LineType == lt {
			continue
		}
		if err := tx.SetContactLineType(ctx, c.ID, lt, reason); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
