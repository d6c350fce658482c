package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// tempStore is where SQLite keeps a connection's temporary files: statement
// and savepoint journals (every multi-row statement in a transaction keeps
// one, and each inbound reply's savepoint) and small temporary B-trees. In
// memory they save a write system call a page: 4% of a campaign's CPU per
// message, more in the demo. An import runs with them on disk (see
// [DB.BeginImport]).
const tempStore = "MEMORY"

// BeginImport starts the transaction of an import file. On SQLite it holds
// the connection with temporary files on disk: a bulk load's index builds
// sort a million rows in runs that would otherwise stay in memory (hundreds
// of megabytes). The setting cannot change inside a transaction, so it is
// set before and given back when the transaction ends.
//
// An import's transaction counts who shares a phone number or email once,
// at its commit (see [Tx.refreshShared]).
func (db *DB) BeginImport(ctx context.Context) (*Tx, error) {
	if db.pool != nil {
		tx, err := db.Begin(ctx)
		if err == nil {
			tx.sharedDue = sharedValues{}
		}
		return tx, err
	}
	conn, err := db.sqlDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin import: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA temp_store = FILE"); err != nil {
		conn.Close()
		return nil, fmt.Errorf("begin import: temporary files: %w", err)
	}
	tx := &Tx{db: db, now: db.clock.Now().UTC(), conn: conn, sharedDue: sharedValues{}}
	t, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("begin import: %w", err), tx.release())
	}
	tx.sqlTx, tx.q = t, sqlQuerier{q: t}
	return tx, nil
}

// release gives back the connection an import's transaction held, its
// temporary files in memory again. Releasing twice is a no-op.
func (tx *Tx) release() error {
	if tx.conn == nil {
		return nil
	}
	_, err := tx.conn.ExecContext(context.Background(), "PRAGMA temp_store = "+tempStore)
	err = errors.Join(err, tx.conn.Close())
	tx.conn = nil
	if err != nil {
		return fmt.Errorf("end import: %w", err)
	}
	return nil
}

// connExec runs q outside the transaction on its connection: the one an
// import holds, or any.
func (tx *Tx) connExec(ctx context.Context, q string) (sql.Result, error) {
	if tx.conn != nil {
		return tx.conn.ExecContext(ctx, q)
	}
	return tx.db.sqlDB.ExecContext(ctx, q)
}
