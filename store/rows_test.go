package store

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestRebind(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"SELECT ? , ?", "SELECT $1 , $2"},
		{"VALUES (?2,?,?1),(?,?,?1)", "VALUES ($2,$3,$1),($4,$5,$1)"},
		{"VALUES (?1,?3,?),(?2,?,?)", "VALUES ($1,$3,$4),($2,$5,$6)"},
		{"WHERE a = ?10 AND b = ?", "WHERE a = $10 AND b = $11"},
	} {
		if got := rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestInsertRowsShared: rows with values marked same — equal in every row
// or not — come back from SQLite exactly as written, and on PostgreSQL
// ([rebind]) every placeholder names the argument SQLite binds to it.
func TestInsertRowsShared(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testSQLite(t, false)
	const cols = 5
	if _, err := db.q.exec(ctx, "CREATE TABLE t (run INTEGER, i INTEGER, c0 TEXT, c1 TEXT, c2 TEXT, c3 TEXT, c4 TEXT)"); err != nil {
		t.Fatal(err)
	}
	run := 0
	rapid.Check(t, func(t *rapid.T) {
		run++
		n := rapid.IntRange(1, 600).Draw(t, "rows")
		marked := rapid.SliceOfN(rapid.Bool(), cols, cols).Draw(t, "marked")
		// Few distinct values, so that marked columns are often equal throughout.
		rows := rapid.SliceOfN(rapid.SliceOfN(rapid.SampledFrom([]string{"a", "b", ""}), cols, cols), n, n).Draw(t, "values")
		var texts []string
		offset := 0 // the first row of the next statement
		q := querierFunc{sqlQuerier: db.q.(sqlQuerier), seen: func(q string, args []any) {
			texts = append(texts, q)
			binds := pgBinds(t, q, args)
			for k, v := range binds {
				r, c := offset+k/(cols+2), k%(cols+2)
				want := any(run)
				if c == 1 {
					want = r
				} else if c > 1 {
					want = rows[r][c-2]
				}
				if v != want {
					t.Fatalf("on PostgreSQL row %d column %d would get %v, want %v: %q", r, c, v, want, q)
				}
			}
			offset += len(binds) / (cols + 2)
		}}
		err := insertRows(ctx, q, "INSERT INTO t (run, i, c0, c1, c2, c3, c4) VALUES ", "", cols+2, n, func(i int, a []any) []any {
			a = append(a, same{run}, i)
			for c, v := range rows[i] {
				if marked[c] {
					a = append(a, same{v})
				} else {
					a = append(a, v)
				}
			}
			return a
		})
		if err != nil {
			t.Fatal(err)
		}
		rs, err := db.q.query(ctx, "SELECT i, c0, c1, c2, c3, c4 FROM t WHERE run = ? ORDER BY i", run)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		got := 0
		for rs.Next() {
			var i int
			v := make([]string, cols)
			if err := rs.Scan(&i, &v[0], &v[1], &v[2], &v[3], &v[4]); err != nil {
				t.Fatal(err)
			}
			if i != got || strings.Join(v, "|") != strings.Join(rows[i], "|") {
				t.Fatalf("row %d came back as %d %q, want %q (statements %q)", got, i, v, rows[got], texts)
			}
			got++
		}
		if got != n {
			t.Fatalf("%d rows back, want %d", got, n)
		}
	})
}

// querierFunc passes statements through, showing each to seen first.
type querierFunc struct {
	sqlQuerier
	seen func(q string, args []any)
}

func (q querierFunc) exec(ctx context.Context, text string, args ...any) (int64, error) {
	q.seen(text, args)
	return q.sqlQuerier.exec(ctx, text, args...)
}

var dollar = regexp.MustCompile(`\$(\d+)`)

// pgBinds returns, for each placeholder of a multi-row insert in the order
// written, the argument PostgreSQL binds to it once [rebind] has turned it
// into $n.
func pgBinds(t *rapid.T, q string, args []any) []any {
	values := q[strings.Index(q, "VALUES ")+len("VALUES "):]
	var out []any
	for _, m := range dollar.FindAllStringSubmatch(rebind(values), -1) {
		n, _ := strconv.Atoi(m[1])
		if n < 1 || n > len(args) {
			t.Fatalf("placeholder $%d of %d arguments in %q", n, len(args), values)
		}
		out = append(out, args[n-1])
	}
	return out
}
