package importer

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// batch collects records of one file and writes them together, in the file's
// transaction. Patients go first, so records in the same batch can refer to them.
type batch struct {
	im *Importer
	tx *store.Tx
	// file and sum are those of the file being read: a record carries its
	// own summary, as a batch may hold records of several (see
	// [Importer.importParts]).
	file string
	sum  *Summary
	recs []*record
	seen map[string]bool // type/id in this batch: a repeat flushes first
	// refs caches resolved practitioner, location and prescription references
	// for the whole file: they repeat on every encounter.
	refs map[string]string
	// pend holds clinical records written together at the end of a batch.
	pend pending
	// flushes counts written batches and flushed the records they held, to
	// refresh planner statistics as the file's rows double the tables;
	// before is how many patients the database held (an estimate), read at
	// the first batch.
	flushes, flushed int
	before           int64
	// bulk is set while the file loads into a database that held no
	// patients (see [store.Tx.BeginBulkLoad]). Everything the database then
	// holds came from this file, so lookups are only needed for what the
	// file wrote: written remembers it.
	bulk    bool
	written *written
	// lists are the patients' caregivers as the file lists them.
	lists caregiverLists
}

func newBatch(im *Importer, tx *store.Tx, file string, sum *Summary) *batch {
	return &batch{im: im, tx: tx, file: file, sum: sum, seen: map[string]bool{}, refs: map[string]string{}, written: newWritten(),
		pend: newPending(), lists: newCaregiverLists()}
}

func (b *batch) add(ctx context.Context, r *record) error {
	key := r.typ + "/" + r.id
	if b.seen[key] || len(b.recs) >= b.im.batchSize() {
		if err := b.flush(ctx); err != nil {
			return err
		}
	}
	b.seen[key] = true
	b.recs = append(b.recs, r)
	return nil
}

// reject records a bad record: an error that aborts the file by default, a
// line in the reject report with ContinueOnError.
func (b *batch) reject(typ, where string, err error) error {
	if !b.im.ContinueOnError {
		return err
	}
	b.sum.counts(typ).Rejected++
	if b.im.Rejects != nil {
		line, _ := json.Marshal(RejectedRecord{File: b.file, Where: where, Resource: typ, Reason: rapport.ErrorMessage(err)})
		if _, werr := b.im.Rejects.Write(append(line, '\n')); werr != nil {
			return fmt.Errorf("write reject report: %w", werr)
		}
	}
	return nil
}

// holdsReferrers reports whether the batch holds records other than
// patients: records that refer to a patient.
func (b *batch) holdsReferrers() bool {
	for _, r := range b.recs {
		if r.typ != "Patient" {
			return true
		}
	}
	return false
}

func (b *batch) flush(ctx context.Context) error {
	if len(b.recs) == 0 {
		return nil
	}
	var patients, directory, clinical []*record
	for _, r := range b.recs {
		switch r.data.(type) {
		case *rapport.Patient:
			patients = append(patients, r)
		case *rapport.Practitioner, *rapport.Location:
			directory = append(directory, r)
		default:
			clinical = append(clinical, r)
		}
	}
	if err := b.refreshStats(ctx); err != nil {
		return err
	}
	b.flushed += len(b.recs)
	b.recs, b.seen = b.recs[:0], map[string]bool{}
	known, err := b.writePatients(ctx, patients)
	if err != nil {
		return err
	}
	for _, r := range patients {
		switch {
		case known[r.id] == "":
		case r.listsCaregivers:
			b.lists.patients[known[r.id]] = true // a CRM row naming no caregiver lists none
		case b.im.FullExport:
			b.lists.named[known[r.id]] = true
		}
	}
	if err := b.writeRecords(ctx, directory, nil); err != nil {
		return err
	}
	return b.writeRecords(ctx, clinical, known)
}

// refreshStats has PostgreSQL's planner statistics refreshed inside the
// file's transaction (which sees its own rows) when the file has grown the
// tables past what the statistics describe: at its 2nd, 4th, 8th… batch,
// once it has written more records than the database held patients when
// it began. A Bundle of one from a live feed, or a nightly delta into a
// large database, never pays for an ANALYZE: of the five tables of a
// large database it takes about half a second, and concurrent imports'
// ANALYZEs of the same tables wait for each other.
func (b *batch) refreshStats(ctx context.Context) error {
	b.flushes++
	if b.flushes == 1 {
		n, err := b.tx.PatientsEstimate(ctx)
		if err != nil {
			return err
		}
		b.before = n
	}
	if !statsDue(b.flushes, b.flushed, b.before) {
		return nil
	}
	return b.tx.RefreshStats(ctx)
}

// statsDue says whether the statistics are refreshed before batch number
// flushes (from 1), flushed records having been written, into a database
// that held before patients.
func statsDue(flushes, flushed int, before int64) bool {
	return flushes >= 2 && flushes&(flushes-1) == 0 && int64(flushed) > before
}

// event is the ledger event for a created or updated record.
func (b *batch) event(kind rapport.EventKind, pid rapport.PatientID, r *record, changed []string) rapport.Event {
	payload, _ := json.Marshal(struct {
		Type    string   `json:"type"`
		Source  string   `json:"source"`
		ID      string   `json:"id"`
		Changed []string `json:"changed,omitempty"`
	}{r.typ, b.im.source(), r.id, changed})
	return rapport.Event{PatientID: pid, Kind: kind, Payload: payload}
}
