package store

import (
	"context"
	"strings"
)

// CachedQueries lists the statements db's SQLite connection has prepared
// and still caches (see stmtcache.go): the statements it ran lately.
func CachedQueries(ctx context.Context, db *DB) ([]string, error) {
	conn, err := db.sqlDB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var out []string
	err = conn.Raw(func(dc any) error {
		c := dc.(*cachingConn)
		c.mu.Lock()
		defer c.mu.Unlock()
		for q := range c.byQuery {
			out = append(out, q)
		}
		return nil
	})
	return out, err
}

// QueryPlan is SQLite's EXPLAIN QUERY PLAN of q, every parameter bound to
// "x", one step a line.
func QueryPlan(ctx context.Context, db *DB, q string) (string, error) {
	args := make([]any, strings.Count(q, "?"))
	for i := range args {
		args[i] = "x"
	}
	rs, err := db.sqlDB.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		return "", err
	}
	defer rs.Close()
	var b strings.Builder
	for rs.Next() {
		var id, parent, notused int
		var detail string
		if err := rs.Scan(&id, &parent, &notused, &detail); err != nil {
			return "", err
		}
		b.WriteString(detail + "\n")
	}
	return b.String(), rs.Err()
}
