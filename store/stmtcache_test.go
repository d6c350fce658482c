package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"testing"

	"modernc.org/sqlite"
)

func init() {
	sql.Register("sqlite-rapport-cache2", &cachingDriver{d: &sqlite.Driver{}, size: 2})
}

// openCache2 opens a database on one connection whose cache holds two
// statements.
func openCache2(t *testing.T) (*sql.DB, func() *cachingConn) {
	t.Helper()
	db, err := sql.Open("sqlite-rapport-cache2", "file:"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	conn := func() *cachingConn {
		var cc *cachingConn
		c, err := db.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Raw(func(dc any) error { cc = dc.(*cachingConn); return nil }); err != nil {
			t.Fatal(err)
		}
		return cc
	}
	return db, conn
}

func cached(cc *cachingConn) []string {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	var qs []string
	for e := cc.lru.Front(); e != nil; e = e.Next() {
		qs = append(qs, e.Value.(*cachedStmt).query)
	}
	return qs
}

func TestStmtCacheReusesAndEvicts(t *testing.T) {
	t.Parallel()
	db, conn := openCache2(t)
	mustExec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
	for i := range 5 {
		mustExec(t, db, "INSERT INTO t (v) VALUES (?)", fmt.Sprint("v", i))
	}
	if got := cached(conn()); len(got) != 2 || got[0] != "INSERT INTO t (v) VALUES (?)" {
		t.Fatalf("cache after five inserts of one text: %q, want the insert first of two", got)
	}
	var n int
	for _, q := range []string{"SELECT count(*) FROM t", "SELECT count(*) FROM t WHERE v <> ''", "SELECT count(*) FROM t WHERE id > 0"} {
		if err := db.QueryRow(q).Scan(&n); err != nil || n != 5 {
			t.Fatalf("%s: %d, %v; want 5", q, n, err)
		}
	}
	got := cached(conn())
	if len(got) != 2 || got[0] != "SELECT count(*) FROM t WHERE id > 0" || got[1] != "SELECT count(*) FROM t WHERE v <> ''" {
		t.Fatalf("cache after three queries: %q, want the last two, newest first", got)
	}
}

// A query whose text is being read by open rows gets a statement of its
// own: resetting the shared one would end the first reader's rows.
func TestStmtCacheNestedSameQuery(t *testing.T) {
	t.Parallel()
	db, _ := openCache2(t)
	mustExec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY)")
	for range 3 {
		mustExec(t, db, "INSERT INTO t DEFAULT VALUES")
	}
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = "SELECT id FROM t WHERE id >= ? ORDER BY id"
	outer, err := tx.Query(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var pairs []string
	for outer.Next() {
		var a int
		if err := outer.Scan(&a); err != nil {
			t.Fatal(err)
		}
		inner, err := tx.Query(q, a)
		if err != nil {
			t.Fatal(err)
		}
		for inner.Next() {
			var b int
			if err := inner.Scan(&b); err != nil {
				t.Fatal(err)
			}
			pairs = append(pairs, fmt.Sprint(a, b))
		}
		if err := inner.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	if want := "[1 1 1 2 1 3 2 2 2 3 3 3]"; fmt.Sprint(pairs) != want {
		t.Fatalf("pairs %v, want %s", pairs, want)
	}
}

// A statement cached before the schema changed still answers after it.
func TestStmtCacheSchemaChange(t *testing.T) {
	t.Parallel()
	db, _ := openCache2(t)
	mustExec(t, db, "CREATE TABLE t (a TEXT)")
	mustExec(t, db, "INSERT INTO t (a) VALUES ('x')")
	cols := func() int {
		rs, err := db.Query("SELECT * FROM t")
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		c, err := rs.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return len(c)
	}
	if n := cols(); n != 1 {
		t.Fatalf("%d columns, want 1", n)
	}
	mustExec(t, db, "ALTER TABLE t ADD COLUMN b TEXT")
	if n := cols(); n != 2 {
		t.Fatalf("after ALTER TABLE: %d columns, want 2", n)
	}
}

func TestStmtCacheErrorLeavesStatementUsable(t *testing.T) {
	t.Parallel()
	db, _ := openCache2(t)
	mustExec(t, db, "CREATE TABLE t (id TEXT PRIMARY KEY)")
	const ins = "INSERT INTO t (id) VALUES (?)"
	mustExec(t, db, ins, "a")
	if _, err := db.Exec(ins, "a"); err == nil {
		t.Fatal("duplicate key inserted")
	}
	mustExec(t, db, ins, "b")
	var n int
	if err := db.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil || n != 2 {
		t.Fatalf("count %d, %v; want 2", n, err)
	}
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

var _ driver.QueryerContext = (*cachingConn)(nil)
var _ driver.ExecerContext = (*cachingConn)(nil)
