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
// numbered as SQLite numbers them: ?N is parameter N, and a plain ? is one
// past the highest number so far. Queries are written without ? inside
// string literals, so a plain scan is enough.
func rebind(q string) string {
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	high := 0
	for i := 0; i < len(q); i++ {
		if q[i] != '?' {
			b.WriteByte(q[i])
			continue
		}
		j := i + 1
		for j < len(q) && q[j] >= '0' && q[j] <= '9' {
			j++
		}
		n := high + 1
		if j > i+1 {
			n, _ = strconv.Atoi(q[i+1 : j])
		}
		high = max(high, n)
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n))
		i = j - 1
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
