package store

import (
	"strconv"
	"strings"
	"sync"
)

// Dialect names a supported database.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

var rebound sync.Map // query text with ? → query text with $n

// rebind turns the shared SQL's ? placeholders into PostgreSQL's $1, $2, …
// Queries are written without ? inside string literals, so a plain scan is enough.
func rebind(q string) string {
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	out := b.String()
	if len(q) < 4096 { // do not cache the long generated multi-row inserts
		rebound.Store(q, out)
	}
	return out
}

// placeholders returns "(?,?,?),(?,?,?)" for rows × cols, for multi-row inserts.
func placeholders(rows, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	return strings.TrimSuffix(strings.Repeat(one+",", rows), ",")
}
