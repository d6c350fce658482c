package store

import (
	"context"
	"database/sql"
	"fmt"
)

// openSideReader opens read-only connections to the SQLite file at dsn for
// reads that must not wait for the writer: every request checks its token,
// and on the one connection each check queued behind whatever transaction
// held it (a live feed's import of fifty patients, ~15 ms), after which
// the request missed the next import too. In WAL mode a reader sees what
// is committed while a writer works.
func openSideReader(ctx context.Context, dsn string) (*sql.DB, error) {
	// Its statements cached, as the writer's are: a check is one query.
	db, err := sql.Open(cachingDriverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("side reader: %w", err)
	}
	db.SetMaxOpenConns(2)
	db.SetMaxIdleConns(2)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("side reader: %w", err)
	}
	return db, nil
}
