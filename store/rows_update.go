package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// rowUpdate describes a multi-row UPDATE … FROM (VALUES …): each VALUES
// row holds the key columns that find one row of the table, then the
// values of the columns to set. The form is the same in SQLite (3.33+)
// and PostgreSQL, which both name the columns of VALUES column1, column2, ….
type rowUpdate struct {
	table string
	keys  []string
	// cols are the columns set from the rows' values; "name BOOLEAN" or
	// "name INTEGER" casts the value, which PostgreSQL otherwise takes for
	// text (SQLite stores the same number either way).
	cols []string
	// also are more assignments, with parameters bound before the rows'
	// ("updated_at = ?").
	also string
}

// updateRows updates n rows as u says, in statements of at most maxRows
// rows; row(i, dst) appends row i's keys and values to dst. It returns how
// many rows were changed, which is n when every key was found.
func updateRows(ctx context.Context, q querier, u rowUpdate, alsoArgs []any, n int, row func(i int, dst []any) []any) (int64, error) {
	width := len(u.keys) + len(u.cols)
	per := min(maxRows, (maxParams-len(alsoArgs))/width)
	var one strings.Builder // one VALUES row: (?,?,CAST(? AS BOOLEAN),…)
	set := make([]string, 0, len(u.cols)+1)
	one.WriteByte('(')
	for i := range width {
		if i > 0 {
			one.WriteByte(',')
		}
		if i < len(u.keys) {
			one.WriteByte('?')
			continue
		}
		name, cast, _ := strings.Cut(u.cols[i-len(u.keys)], " ")
		set = append(set, name+" = v.column"+strconv.Itoa(i+1))
		if cast == "" {
			one.WriteByte('?')
		} else {
			one.WriteString("CAST(? AS " + cast + ")")
		}
	}
	one.WriteByte(')')
	if u.also != "" {
		set = append(set, u.also)
	}
	where := make([]string, len(u.keys))
	for i, k := range u.keys {
		where[i] = u.table + "." + k + " = v.column" + strconv.Itoa(i+1)
	}
	head := "UPDATE " + u.table + " SET " + strings.Join(set, ", ") + " FROM (VALUES "
	tail := ") AS v WHERE " + strings.Join(where, " AND ")
	var changed int64
	args := make([]any, 0, len(alsoArgs)+min(n, per)*width)
	for start := 0; start < n; {
		size := groupSize(n-start, per)
		args = append(args[:0], alsoArgs...)
		for i := start; i < start+size; i++ {
			if args = row(i, args); len(args) != len(alsoArgs)+(i-start+1)*width {
				return changed, fmt.Errorf("update %s: row %d has %d values, want %d", u.table, i, len(args)-len(alsoArgs)-(i-start)*width, width)
			}
		}
		c, err := q.exec(ctx, head+strings.TrimSuffix(strings.Repeat(one.String()+",", size), ",")+tail, args...)
		if err != nil {
			return changed, err
		}
		changed += c
		start += size
	}
	return changed, nil
}
