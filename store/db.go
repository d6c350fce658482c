package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/rapporthq/rapport"
)

//go:embed migrations
var migrations embed.FS

// DB is an open rapport database, SQLite or PostgreSQL.
type DB struct {
	dialect Dialect
	clock   rapport.Clock
	dsn     string

	sqlDB *sql.DB       // SQLite: the pool; PostgreSQL: a database/sql view of pool, for migrations
	pool  *pgxpool.Pool // PostgreSQL only
	q     querier       // queries outside a transaction
	ckpt  *checkpointer // SQLite files only
	// side answers short reads that must not queue behind the writer's
	// transaction (see openSideReader); q where there is no such wait.
	side     querier
	sideConn *sql.DB // SQLite files only
}

// Open opens the database named by dsn: "sqlite:PATH" (PATH may be
// ":memory:") or "postgres://…" / "postgresql://…". It does not migrate.
func Open(ctx context.Context, dsn string, clock rapport.Clock) (*DB, error) {
	if clock == nil {
		clock = rapport.SystemClock{}
	}
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"), clock)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn, clock)
	}
	return nil, rapport.Errorf(rapport.EINVALID, "database %q: want sqlite:PATH or postgres://…", redactDSN(dsn))
}

// pageSize is the page size of a new SQLite database. Larger pages make
// B-trees shallower and split less: a 1,000,000-patient import took 37 s
// with SQLite's 4 KB pages, 31 s with 8 KB and 30 s with 16 KB. But every
// small transaction writes whole pages to the WAL: the 100,000-patient demo
// took 5 min 32 s with 4 KB (and a 64 MB cache), 6 min 2 s with 8 KB and
// 6 min 31 s with 16 KB (BENCHMARKS.md). 8 KB is the balance; email and
// SMS got no slower.
const pageSize = 8 << 10

// createPrivate creates a missing database file readable by its owner
// only: it holds patients' data, and SQLite would create it 0644. SQLite
// gives its -wal and -shm files the database file's mode. An existing file
// keeps its mode; in-memory and URI names are left to SQLite.
func createPrivate(path string) error {
	if !isPlainPath(path) {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// isPlainPath reports whether path names a file, not ":memory:" or a URI.
func isPlainPath(path string) bool {
	return !strings.HasPrefix(path, ":") && !strings.HasPrefix(path, "file:") && !strings.Contains(path, "?")
}

func openSQLite(ctx context.Context, path string, clock rapport.Clock) (*DB, error) {
	if path == "" {
		return nil, rapport.Errorf(rapport.EINVALID, "sqlite database path is empty")
	}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)",
		// The page size of a new database (an existing one keeps its own).
		// The driver runs these sorted by name, so WAL mode, which fixes
		// the page size once set, is asked for below.
		fmt.Sprintf("page_size(%d)", pageSize),
		// A 24 MB page cache. Its pages cost about twice that in memory
		// (the C allocator's size classes): the email benchmark peaked at
		// 198 MB with 8 KB pages, and at 343 MB with 16 KB pages and a 64
		// MB cache, no faster. A 100,000-email campaign peaked at 157 MB
		// with 32 MB and at 145 MB with 24 MB, at the same CPU per message
		// (four runs, 231–269 µs either way); a 200,000-patient import took
		// the same time with either.
		// Temporary files: see tempStore.
		"cache_size(-24576)", "temp_store(" + tempStore + ")",
		// See checkpointer.
		fmt.Sprintf("wal_autocheckpoint(%d)", writerCheckpointPages)} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	db, err := sql.Open(cachingDriverName, "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// One connection: SQLite has one writer anyway, and River's SQLite driver
	// asks for it. Nothing may use db while holding a transaction.
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// WAL mode is stored in the file: a connection opened later finds it.
	if _, err := db.ExecContext(ctx, "PRAGMA journal_mode(WAL)"); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: WAL mode: %w", path, err)
	}
	out := &DB{dialect: SQLite, clock: clock, dsn: "sqlite:" + path, sqlDB: db, q: sqlQuerier{q: db}}
	out.side = out.q
	if isPlainPath(path) {
		ckptDSN := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
		if out.ckpt, err = startCheckpointer(ctx, ckptDSN); err != nil {
			db.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
		if out.sideConn, err = openSideReader(ctx, ckptDSN+"&_pragma=query_only(1)"); err != nil {
			out.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
		out.side = sqlQuerier{q: out.sideConn}
	}
	return out, nil
}

func openPostgres(ctx context.Context, dsn string, clock rapport.Clock) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, rapport.Errorf(rapport.EINVALID, "postgres dsn %s: %v", redactDSN(dsn), err)
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	// pgx prepares and caches statements; after five runs PostgreSQL may
	// switch a statement to a generic plan made while a table was empty
	// (early in a bulk import) and scan the whole table ever after. Custom
	// plans see the values and today's table.
	if _, set := cfg.ConnConfig.RuntimeParams["plan_cache_mode"]; !set {
		cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", redactDSN(dsn), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres %s: %w", redactDSN(dsn), err)
	}
	q := pgxQuerier{pool}
	return &DB{dialect: Postgres, clock: clock, dsn: dsn, pool: pool, sqlDB: stdlib.OpenDBFromPool(pool), q: q, side: q}, nil
}

// Dialect reports which database this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Clock returns the clock the store stamps rows with.
func (db *DB) Clock() rapport.Clock { return db.clock }

// String names the database without its password, for logs and banners.
func (db *DB) String() string { return redactDSN(db.dsn) }

// SQLDB returns the database/sql handle: River's SQLite driver runs on it.
func (db *DB) SQLDB() *sql.DB { return db.sqlDB }

// PgxPool returns the pgx pool on PostgreSQL (nil on SQLite): River's pgx driver runs on it.
func (db *DB) PgxPool() *pgxpool.Pool { return db.pool }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.q.queryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping %s: %w", db.dialect, err)
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	if db.pool != nil {
		_ = db.sqlDB.Close()
		db.pool.Close()
		return nil
	}
	// The side reader and the checkpointer first: SQLite checkpoints and
	// removes the WAL when its last connection closes.
	var err error
	if db.sideConn != nil {
		err = db.sideConn.Close()
	}
	if db.ckpt != nil {
		err = errors.Join(err, db.ckpt.close())
	}
	return errors.Join(err, db.sqlDB.Close())
}

// Migrate applies rapport's schema migrations that are not applied yet.
// (The job queue's own tables are migrated by package jobs.)
func (db *DB) Migrate(ctx context.Context) (err error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.dialect))
	if err != nil {
		return fmt.Errorf("migrations for %s: %w", db.dialect, err)
	}
	dialect := goose.DialectSQLite3
	if db.dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, db.sqlDB, sub, goose.WithTableName("rapport_schema_version"))
	if err != nil {
		return fmt.Errorf("migrations for %s: %w", db.dialect, err)
	}
	if db.dialect == SQLite {
		// A migration that rewrites a large table (a dropped column) keeps
		// its statement journal on disk, as an import does: in memory it
		// held the table's pages (1.1 GB for a million patients' contact
		// points). The pool's one connection gets its setting back after.
		if err := db.setTempStore(ctx, "FILE"); err != nil {
			return err
		}
		defer func() { err = errors.Join(err, db.setTempStore(ctx, tempStore)) }()
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate %s: %w", db.dialect, err)
	}
	return nil
}

func (db *DB) setTempStore(ctx context.Context, where string) error {
	if _, err := db.sqlDB.ExecContext(ctx, "PRAGMA temp_store = "+where); err != nil {
		return fmt.Errorf("migrate: temp_store %s: %w", where, err)
	}
	return nil
}

// Tx is a database transaction. Its Now is fixed when it begins.
type Tx struct {
	db    *DB
	q     querier
	sqlTx *sql.Tx
	pgxTx pgx.Tx
	now   time.Time
	// bulkCache is the cache size to restore after a bulk load.
	bulkCache int64
	// bulkLoad is set during a bulk load, on either database (see
	// [Tx.BeginBulkLoad]): shared numbers are counted at its end.
	bulkLoad bool
	// conn is the SQLite connection an import's transaction holds (see
	// [DB.BeginImport]), given back when it ends; nil otherwise.
	conn *sql.Conn
	// sharedDue, in an import's transaction, holds the values whose
	// holders are counted at commit (see [Tx.refreshShared]); nil otherwise.
	sharedDue sharedValues
}

// Begin starts a transaction.
func (db *DB) Begin(ctx context.Context) (*Tx, error) {
	tx := &Tx{db: db, now: db.clock.Now().UTC()}
	if db.pool != nil {
		t, err := db.pool.Begin(ctx)
		if err != nil {
			return nil, fmt.Errorf("begin: %w", err)
		}
		tx.pgxTx, tx.q = t, pgxQuerier{t}
		return tx, nil
	}
	t, err := db.sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	// No per-transaction statements: the connection caches them (stmtcache.go).
	tx.sqlTx, tx.q = t, sqlQuerier{q: t}
	return tx, nil
}

// InTx runs fn in a transaction, committing when fn returns nil and rolling
// back otherwise.
func (db *DB) InTx(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback(ctx)
		return err
	}
	return tx.Commit(ctx)
}

// AllOrNothing declares that the transaction is never kept after a failed
// statement: the caller rolls it back on any error (an import file is all or
// nothing). SQLite then writes no statement journal — which copies every
// page a multi-row INSERT touches, a sixth of a bulk import's writing time —
// because a failing statement rolls back the whole transaction instead of
// only itself. PostgreSQL aborts the whole transaction on any error anyway.
func (tx *Tx) AllOrNothing() {
	if s, ok := tx.q.(sqlQuerier); ok {
		s.allOrNothing = true
		tx.q = s
	}
}

// Now is the time fixed when the transaction began.
func (tx *Tx) Now() time.Time { return tx.now }

// SQLTx is the database/sql transaction on SQLite (nil on PostgreSQL), for River's InsertTx.
func (tx *Tx) SQLTx() *sql.Tx { return tx.sqlTx }

// PgxTx is the pgx transaction on PostgreSQL (nil on SQLite), for River's InsertTx.
func (tx *Tx) PgxTx() pgx.Tx { return tx.pgxTx }

// Commit commits the transaction.
func (tx *Tx) Commit(ctx context.Context) error {
	if err := tx.EndBulkLoad(ctx); err != nil {
		return err
	}
	if err := tx.countDueShared(ctx); err != nil {
		return err
	}
	var err error
	if tx.pgxTx != nil {
		err = tx.pgxTx.Commit(ctx)
	} else {
		err = tx.sqlTx.Commit()
		err = errors.Join(err, tx.release())
	}
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Rollback aborts the transaction. Rolling back a finished transaction is a no-op.
func (tx *Tx) Rollback(ctx context.Context) error {
	if tx.pgxTx != nil {
		return tx.pgxTx.Rollback(ctx)
	}
	defer tx.release() //nolint:errcheck // the rollback's own error comes first
	err := tx.sqlTx.Rollback()
	if err != nil && err != sql.ErrTxDone &&
		// An all-or-nothing transaction is already rolled back by its failed statement.
		!strings.Contains(err.Error(), "no transaction is active") {
		return err
	}
	if tx.bulk() != nil && err != sql.ErrTxDone {
		// Rolled back here or by its failed statement: the settings are the
		// connection's, not the transaction's.
		tx.setBulk(nil)
		if _, err := tx.connExec(ctx, tx.bulkRestore()); err != nil {
			return fmt.Errorf("rollback: end bulk load: %w", err)
		}
	}
	return nil
}

func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// RefreshCampaignStats updates the planner's statistics of the tables a
// campaign grows (messages, enrollments) on PostgreSQL; see RefreshStats.
// On a fresh database the first large campaign otherwise reads a patient's
// recent messages (frequency caps) and updates sent ones by scanning the
// whole table, until autovacuum's next pass.
func (tx *Tx) RefreshCampaignStats(ctx context.Context) error {
	if tx.pgxTx == nil {
		return nil
	}
	if _, err := tx.q.exec(ctx, "ANALYZE messages, enrollments"); err != nil {
		return fmt.Errorf("refresh statistics: %w", err)
	}
	return nil
}

// PatientsEstimate is how many patients PostgreSQL's statistics say the
// database holds (0 when never measured; always 0 on SQLite, whose planner
// needs no statistics refreshed): cheap, from the catalog.
func (tx *Tx) PatientsEstimate(ctx context.Context) (int64, error) {
	if tx.pgxTx == nil {
		return 0, nil
	}
	var n int64
	if err := tx.q.queryRow(ctx, "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'patients'::regclass").Scan(&n); err != nil {
		return 0, fmt.Errorf("estimate patients: %w", err)
	}
	return n, nil
}

// RefreshStats updates the planner's statistics of the tables a bulk
// import grows, inside the import's transaction (which sees its own rows).
// PostgreSQL otherwise plans lookups as if the tables were still empty and
// scans them whole; SQLite's planner needs no help. The importer calls it
// as the tables double.
func (tx *Tx) RefreshStats(ctx context.Context) error {
	if tx.pgxTx == nil {
		return nil
	}
	if _, err := tx.q.exec(ctx, "ANALYZE patients, patient_identifiers, contact_points, source_records, resource_identifiers"); err != nil {
		return fmt.Errorf("refresh statistics: %w", err)
	}
	return nil
}
