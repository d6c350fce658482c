package importer

import (
	"context"
	"errors"
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
func (im *Importer) importFile(ctx context.Context, name string, r io.Reader, read readFunc) (Summary, error) {
	sums, err := im.importParts(ctx, []part{{name: name, r: r, read: read}})
	return sums[0], err
}

// part is one of the files an import writes in one transaction.
type part struct {
	name string
	r    io.Reader
	read readFunc
}

// importParts imports files in one transaction, counting each on its own,
// all or — with ContinueOnError — all their good records; on an error
// nothing of any of them is kept. More than one part is for Bundles of
// the types in togetherTypes (see [Together]): what other resources bring
// (regimens, ended caregivers) is counted per batch, not per record, so
// they fail such an import with errNotTogether.
//
// One goroutine reads the files into pieces, a pool decodes and prepares
// them (JSON mapping, content hash, phone checks: see [Importer.prepare])
// and the calling goroutine alone writes, taking the pieces in file order,
// so "first wins" and clash reports do not depend on scheduling.
func (im *Importer) importParts(ctx context.Context, parts []part) ([]Summary, error) {
	sums := failedSummaries(len(parts))
	tx, err := im.DB.BeginImport(ctx)
	if err != nil {
		return sums, err
	}
	defer tx.Rollback(ctx)
	tx.AllOrNothing() // any error below fails the whole import

	readCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := startPipeline(readCtx, nil, readParts(parts), im.prepareFunc(tx.Now()))
	defer p.wait()

	b := newBatch(im, tx, parts[0].name, &sums[0])
	if b.bulk, err = tx.BeginBulkLoad(ctx); err != nil {
		return sums, err
	}
	err = func() error {
		cur := 0
		for pc := range p.ordered {
			<-pc.done
			for _, e := range pc.events {
				if len(parts) > 1 {
					if err := b.nextOfGroup(ctx, e, cur); err != nil {
						return err
					}
					cur = e.part
				}
				b.file, b.sum = parts[e.part].name, &sums[e.part]
				if err := b.take(ctx, e); err != nil {
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
	var waiting int
	if err == nil {
		_, waiting, err = tx.ResolvePendingRefs(ctx)
	}
	if err == nil {
		err = tx.Commit(ctx)
	}
	if err != nil {
		// Nothing of the files is kept: their counts would mislead.
		return failedSummaries(len(parts)), err
	}
	for i := range sums {
		sums[i].WaitingRefs = waiting // the references still waiting, whoever brought them
	}
	return sums, nil
}

// togetherTypes are the resources whose outcomes are counted per record,
// so that several parts can share an import (see [Together]).
var togetherTypes = map[string]bool{"Patient": true, "Encounter": true, "Condition": true, "Appointment": true}

// take adds an event's record to the batch, or counts what the event says
// happened instead, on the summary of the file being read.
func (b *batch) take(ctx context.Context, e event) error {
	switch {
	case e.deleted != "":
		b.lists.delete(e.typ, e.deleted)
	case e.skipped:
		b.sum.Unsupported[e.typ]++
	case e.err != nil:
		return b.reject(e.typ, e.where, e.err)
	default:
		e.rec.sum = b.sum
		return b.add(ctx, e.rec)
	}
	return nil
}

// nextOfGroup applies the rules of an import of several parts to e, whose
// part follows part prev: its type must be one imported together, and a
// part's records may find what the parts before it wrote, never what a
// later one brings (alone, an encounter of a patient not imported yet is
// refused), so records that refer are written before the next part's.
func (b *batch) nextOfGroup(ctx context.Context, e event, prev int) error {
	if (e.rec != nil && !togetherTypes[e.rec.typ]) || e.deleted != "" {
		return errNotTogether
	}
	if e.part != prev && b.holdsReferrers() {
		return b.flush(ctx)
	}
	return nil
}

// errNotTogether fails an import of several parts that holds a resource
// of another type, or a deletion.
var errNotTogether = errors.New("import together: a Bundle holds a resource imported alone")

// failedSummaries are the counts of files of which nothing was kept.
func failedSummaries(n int) []Summary {
	sums := make([]Summary, n)
	for i := range sums {
		sums[i] = newSummary()
		sums[i].Files = 1
	}
	return sums
}

// readParts reads the parts one after the other, each event marked with its part.
func readParts(parts []part) readFunc {
	return func(_ io.Reader, s *sink) error {
		for i, p := range parts {
			s.part = i
			if err := p.read(p.r, s); err != nil {
				return err
			}
		}
		return nil
	}
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
