package store

import (
	"context"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxRows is the most rows one multi-row statement carries. Statements are
// prepared once per transaction and reused, so row counts come from a small
// fixed set: maxRows, then powers of two for the remainder. (A statement per
// distinct count would pile up thousands of prepared statements in a bulk
// import, and hundreds of megabytes with them.)
const maxRows = 256

// maxParams keeps multi-row statements under both databases' limits on bound
// parameters (SQLite 32766, PostgreSQL 65535).
const maxParams = 30000

// same marks a value of a multi-row insert that may be the same in every
// row: the transaction's time, a source's name, an event's kind. When it is,
// in every row of a statement, insertRows binds it once instead of once per
// row. Each bound value costs the SQLite driver a copy into C memory; a
// patient import binds about a quarter fewer.
type same struct{ v any }

// insertRows inserts n rows of cols values each, with prefix (the INSERT
// … VALUES) and suffix (an ON CONFLICT clause, or ""). row(i, dst) appends
// row i's values to dst and returns it; a value wrapped in [same] must be
// wrapped at the same place in every row. On PostgreSQL, copyMin rows or
// more without a suffix go by COPY ([copyRows]).
func insertRows(ctx context.Context, q querier, prefix, suffix string, cols, n int, row func(i int, dst []any) []any) error {
	if p, ok := q.(pgxQuerier); ok && suffix == "" && n >= copyMin {
		if c, ok := p.q.(copier); ok {
			return copyRows(ctx, c, prefix, cols, n, row)
		}
	}
	per := min(maxRows, maxParams/cols)
	vals := make([]any, 0, min(n, per)*cols)
	args := make([]any, 0, min(n, per)*cols)
	for start := 0; start < n; {
		size := groupSize(n-start, per)
		vals = vals[:0]
		for i := start; i < start+size; i++ {
			if vals = row(i, vals); len(vals) != (i-start+1)*cols {
				return fmt.Errorf("insert rows: row %d has %d values, want %d", i, len(vals)-(i-start)*cols, cols)
			}
		}
		shared, err := sharedColumns(vals, cols)
		if err != nil {
			return err
		}
		args = packArgs(args[:0], vals, cols, shared)
		if _, err := q.exec(ctx, prefix+rowPlaceholders(size, cols, shared)+suffix, args...); err != nil {
			return err
		}
		start += size
	}
	return nil
}

// sharedColumns returns the columns whose values are marked [same] and
// equal in every row of vals, as a bit set.
func sharedColumns(vals []any, cols int) (uint64, error) {
	var shared uint64
	for c := range min(cols, 64) {
		first, ok := vals[c].(same)
		if !ok {
			continue
		}
		all := true
		for r := cols + c; r < len(vals); r += cols {
			v, ok := vals[r].(same)
			if !ok {
				return 0, fmt.Errorf("insert rows: column %d is marked same in the first row only", c)
			}
			if all && !equalValue(first.v, v.v) {
				all = false
			}
		}
		if all {
			shared |= 1 << c
		}
	}
	return shared, nil
}

// equalValue compares bound values; times by instant and zone name, as
// they are stored with their zone.
func equalValue(a, b any) bool {
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb) && ta.Location().String() == tb.Location().String()
	}
	defer func() { _ = recover() }() // an uncomparable value is never shared
	return a == b
}

// packArgs appends the arguments of one statement: the shared columns'
// values first (parameters 1, 2, …), then every other value in row order.
// Values marked same that are not shared are unwrapped.
func packArgs(dst, vals []any, cols int, shared uint64) []any {
	for c := range min(cols, 64) {
		if shared&(1<<c) != 0 {
			dst = append(dst, vals[c].(same).v)
		}
	}
	for i, v := range vals {
		c := i % cols
		if c < 64 && shared&(1<<c) != 0 {
			continue
		}
		if s, ok := v.(same); ok {
			v = s.v
		}
		dst = append(dst, v)
	}
	return dst
}

type placeholderKey struct {
	rows, cols int
	shared     uint64
}

var placeholderTexts sync.Map // placeholderKey → string

// rowPlaceholders returns the VALUES list of rows × cols parameters, the
// shared columns naming parameters ?1, ?2, … (in column order) in every
// row. The first other parameter is numbered after them; the rest are
// plain ?, which both SQLite and [rebind] number one past the highest so
// far.
func rowPlaceholders(rows, cols int, shared uint64) string {
	if shared == 0 {
		return placeholders(rows, cols)
	}
	key := placeholderKey{rows, cols, shared}
	if s, ok := placeholderTexts.Load(key); ok {
		return s.(string)
	}
	num := map[int]int{} // shared column → parameter
	for c := range min(cols, 64) {
		if shared&(1<<c) != 0 {
			num[c] = len(num) + 1
		}
	}
	var b strings.Builder
	first := true
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('?')
			if k, ok := num[c]; ok {
				b.WriteString(strconv.Itoa(k))
			} else if first {
				b.WriteString(strconv.Itoa(len(num) + 1))
				first = false
			}
		}
		b.WriteByte(')')
	}
	s := b.String()
	placeholderTexts.Store(key, s)
	return s
}

// groupSize is how many of the rows left one statement takes: per, or the
// largest power of two below it when fewer are left, so that a few
// statement shapes serve every count (and stay in the statement cache).
func groupSize(left, per int) int {
	if left >= per {
		return per
	}
	return 1 << (bits.Len(uint(left)) - 1)
}
