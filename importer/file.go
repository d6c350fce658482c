package importer

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rapporthq/rapport"
)

// readFunc reads one file, handing each record to add, each bad record to
// bad and each resource of a type rapport does not import to skip.
type readFunc func(r io.Reader, add func(*record) error, bad func(typ, where string, err error) error, skip func(typ string)) error

// event is what the reading goroutine hands the writing one: a record ready
// to write (hashed, contact points judged), a rejected record, or a skip.
type event struct {
	rec     *record
	typ     string
	where   string
	err     error
	skipped bool
}

const chunkSize = 256

// importFile imports one file in one transaction: all of it, or — with
// ContinueOnError — all its good records. A failed file leaves the database
// as it was.
//
// Reading, mapping, hashing and judging contact points run on one goroutine
// and the database writes on another, so an import keeps two cores busy.
func (im *Importer) importFile(ctx context.Context, name string, r io.Reader, read readFunc) (Summary, error) {
	sum := newSummary()
	sum.Files = 1
	tx, err := im.DB.Begin(ctx)
	if err != nil {
		return sum, err
	}
	defer tx.Rollback(ctx)
	tx.AllOrNothing() // any error below fails the whole file
	now := tx.Now()

	readCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan []event, 4)
	readErr := make(chan error, 1)
	go func() {
		defer close(chunks)
		var chunk []event
		send := func(e event) error {
			chunk = append(chunk, e)
			if len(chunk) < chunkSize {
				return nil
			}
			select {
			case chunks <- chunk:
				chunk = make([]event, 0, chunkSize)
				return nil
			case <-readCtx.Done():
				return readCtx.Err()
			}
		}
		err := read(r,
			func(rec *record) error { im.prepare(rec, now); return send(event{rec: rec}) },
			func(typ, where string, err error) error { return send(event{typ: typ, where: where, err: err}) },
			func(typ string) { _ = send(event{typ: typ, skipped: true}) })
		if err == nil && len(chunk) > 0 {
			select {
			case chunks <- chunk:
			case <-readCtx.Done():
				err = readCtx.Err()
			}
		}
		readErr <- err
	}()

	b := newBatch(im, tx, name, &sum)
	if b.bulk, err = tx.BeginBulkLoad(ctx); err != nil {
		return sum, err
	}
	err = func() error {
		for chunk := range chunks {
			for _, e := range chunk {
				var err error
				switch {
				case e.skipped:
					sum.Unsupported[e.typ]++
				case e.err != nil:
					err = b.reject(e.typ, e.where, e.err)
				default:
					err = b.add(ctx, e.rec)
				}
				if err != nil {
					return err
				}
			}
		}
		return nil
	}()
	cancel() // stops the reader if the writer failed
	for range chunks {
	}
	if rerr := <-readErr; err == nil && rerr != nil {
		err = rerr
	}
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

// prepare does a record's work that needs no database, on the reading
// goroutine: the content hash (before anything is added to the record),
// then, for patients, the judgement of their contact points and validation.
func (im *Importer) prepare(r *record, now time.Time) {
	r.hash = contentHash(r)
	if p, ok := r.data.(*rapport.Patient); ok {
		im.verifyContacts(r, p, now)
		if err := p.Validate(); err != nil {
			r.invalid = fmt.Errorf("%s: %w", r.where, err)
		}
	}
}
