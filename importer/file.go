package importer

import (
	"context"
	"io"
)

// readFunc reads one file, handing each record to add, each bad record to
// bad and each resource of a type rapport does not import to skip.
type readFunc func(r io.Reader, add func(*record) error, bad func(typ, where string, err error) error, skip func(typ string)) error

// importFile imports one file in one transaction: all of it, or — with
// ContinueOnError — all its good records. A failed file leaves the database
// as it was.
func (im *Importer) importFile(ctx context.Context, name string, r io.Reader, read readFunc) (Summary, error) {
	sum := newSummary()
	sum.Files = 1
	tx, err := im.DB.Begin(ctx)
	if err != nil {
		return sum, err
	}
	defer tx.Rollback(ctx)
	b := newBatch(im, tx, name, &sum)
	err = read(r,
		func(rec *record) error { return b.add(ctx, rec) },
		func(typ, where string, err error) error { return b.reject(typ, where, err) },
		func(typ string) { sum.Unsupported[typ]++ })
	if err == nil {
		err = b.flush(ctx)
	}
	if err == nil {
		_, sum.WaitingRefs, err = tx.ResolvePendingRefs(ctx)
	}
	if err == nil {
		err = tx.Commit(ctx)
	}
	if err != nil {
		// Nothing of the file is kept: its counts would mislead.
		failed := newSummary()
		failed.Files = 1
		return failed, err
	}
	return sum, nil
}
