package store

import (
	"container/list"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"reflect"
	"sync"

	"modernc.org/sqlite"
)

// cachingDriverName is modernc's SQLite driver with a statement cache per
// connection. River's SQLite driver, and every query run outside a
// transaction, pass SQL text to database/sql without preparing it, and
// modernc then parses each statement anew: a quarter of the CPU of a
// simulated quarter went to SQLite's parser. Caching the prepared
// statement by its text makes a repeated query a bind and a step.
const cachingDriverName = "sqlite-rapport"

// stmtCacheSize bounds the statements kept per connection. Queries whose
// text varies (IN lists of any length) push out the least recently used.
const stmtCacheSize = 256

func init() {
	sql.Register(cachingDriverName, &cachingDriver{d: &sqlite.Driver{}, size: stmtCacheSize})
}

type cachingDriver struct {
	d    driver.Driver
	size int
}

func (d *cachingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.d.Open(name)
	if err != nil {
		return nil, err
	}
	for _, need := range []any{(*driver.ConnPrepareContext)(nil), (*driver.ConnBeginTx)(nil), (*driver.SessionResetter)(nil), (*driver.Validator)(nil)} {
		if !reflect.TypeOf(c).Implements(reflect.TypeOf(need).Elem()) {
			c.Close()
			return nil, fmt.Errorf("sqlite driver connection %T lacks %T", c, need)
		}
	}
	return &cachingConn{Conn: c, size: d.size, byQuery: map[string]*list.Element{}, lru: list.New()}, nil
}

// cachingConn is a connection whose Exec and Query without a prepared
// statement reuse one prepared earlier for the same text. A cached
// statement in use by open rows is not shared: a second query with the
// same text while the first is read gets a statement of its own.
// database/sql uses a connection from one goroutine at a time, and the
// mutex guards the cache against rows closed from another.
type cachingConn struct {
	driver.Conn
	size int

	mu      sync.Mutex
	byQuery map[string]*list.Element // of *cachedStmt
	lru     *list.List               // front: most recently used
}

type cachedStmt struct {
	query string
	s     driver.Stmt
	inUse bool
	// evicted: dropped from the cache while in use; closed when released.
	evicted bool
}

// acquire returns a statement for query: the cached one when free, else
// a fresh one (cached when nothing holds the text yet). release must be
// called when it is no longer used.
func (c *cachingConn) acquire(ctx context.Context, query string) (*cachedStmt, error) {
	c.mu.Lock()
	if e, ok := c.byQuery[query]; ok {
		cs := e.Value.(*cachedStmt)
		if !cs.inUse {
			cs.inUse = true
			c.lru.MoveToFront(e)
			c.mu.Unlock()
			return cs, nil
		}
		c.mu.Unlock()
		s, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
		if err != nil {
			return nil, err
		}
		return &cachedStmt{query: query, s: s, inUse: true, evicted: true}, nil
	}
	c.mu.Unlock()
	s, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	cs := &cachedStmt{query: query, s: s, inUse: true}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byQuery[query] = c.lru.PushFront(cs)
	for c.lru.Len() > c.size {
		old := c.lru.Back()
		c.evictLocked(old)
	}
	return cs, nil
}

func (c *cachingConn) evictLocked(e *list.Element) {
	cs := e.Value.(*cachedStmt)
	c.lru.Remove(e)
	delete(c.byQuery, cs.query)
	cs.evicted = true
	if !cs.inUse {
		_ = cs.s.Close()
	}
}

func (c *cachingConn) release(cs *cachedStmt) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cs.inUse = false
	if cs.evicted {
		_ = cs.s.Close()
	}
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.acquire(ctx, query)
	if err != nil {
		return nil, err
	}
	defer c.release(cs)
	return cs.s.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.acquire(ctx, query)
	if err != nil {
		return nil, err
	}
	r, err := cs.s.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		c.release(cs)
		return nil, err
	}
	return &cachedRows{Rows: r, c: c, cs: cs}, nil
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *cachingConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

// Close finalizes the cached statements, then closes the connection.
func (c *cachingConn) Close() error {
	c.mu.Lock()
	for c.lru.Len() > 0 {
		c.evictLocked(c.lru.Back())
	}
	c.mu.Unlock()
	return c.Conn.Close()
}

// cachedRows gives its statement back to the cache when closed, and
// passes on the column type information database/sql asks rows for.
type cachedRows struct {
	driver.Rows
	c    *cachingConn
	cs   *cachedStmt
	once sync.Once
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.once.Do(func() { r.c.release(r.cs) })
	return err
}

func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *cachedRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *cachedRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *cachedRows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}
