package importer

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rapporthq/rapport"
)

// readFunc reads one file, handing each record, bad record, skipped
// resource or undecoded NDJSON line to s in file order.
type readFunc func(r io.Reader, s *sink) error

// importFile imports one file in one transaction: all of it, or — with
// ContinueOnError — all its good records. A failed file leaves the database
// as it was.
//
// One goroutine reads the file into pieces, a pool decodes and prepares them
// (JSON mapping, content hash, phone checks: see [Importer.prepare]) and the
// calling goroutine alone writes, taking the pieces in file order, so "first
// wins" and clash reports do not depend on scheduling.
func (im *Importer) importFile(ctx context.Context, name string, r io.Reader, read readFunc) (Summary, error) {
	sum := newSummary()
	sum.Files = 1
	tx, err := im.DB.BeginImport(ctx)
	if err != nil {
		return sum, err
	}
	defer tx.Rollback(ctx)
	tx.AllOrNothing() // any error below fails the whole file

	readCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := startPipeline(readCtx, r, read, im.prepareFunc(tx.Now()))
	defer p.wait()

	b := newBatch(im, tx, name, &sum)
	if b.bulk, err = tx.BeginBulkLoad(ctx); err != nil {
		return sum, err
	}
	err = func() error {
		for pc := range p.ordered {
			<-pc.done
			for _, e := range pc.events {
				var err error
				switch {
				case e.deleted != "":
					b.lists.delete(e.typ, e.deleted)
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
	if rerr := p.wait(); err == nil && rerr != nil {
		err = rerr
	}
	if err == nil {
		err = b.flush(ctx)
	}
	if err == nil {
		err = b.endUnlisted(ctx)
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

// prepareFunc returns the work on a record that needs no database, run by
// the pool: the content hash (before anything is added to the record), then,
// for patients and caregivers, the judgement of their contact points and
// validation.
func (im *Importer) prepareFunc(now time.Time) func(*record) {
	return func(r *record) {
		r.hash = contentHash(r)
		switch d := r.data.(type) {
		case *rapport.Patient:
			im.verifyContacts(r, d, now)
			if err := d.Validate(); err != nil {
				r.invalid = fmt.Errorf("%s: %w", r.where, err)
			}
		case *rapport.Caregiver:
			im.prepareCaregiver(r, d, now)
		}
	}
}
