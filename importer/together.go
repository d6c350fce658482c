package importer

import (
	"bytes"
	"context"
	"fmt"
	"sync"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/fhir"
)

// Together imports Bundles posted one at a time, as a live feed sends them:
// one changed patient a request, from many connections at once. The
// Bundles of one source that arrive while an import of that source runs
// wait for it, then go into the database together, in one transaction,
// each counted on its own. The transaction's fixed costs — its statements
// per batch, its commit writing the WAL's pages — are then shared, where
// one transaction a Bundle queued every request behind SQLite's one
// connection.
//
// Bundles of patients, their encounters, conditions and appointments are
// imported together (see [Importer.importParts]); others alone, as is any
// Bundle of a group that failed: an error in one imports each of the group
// alone after, so each is answered as it would have been alone, its error
// naming its own entry. A Bundle is imported all or nothing either way.
//
// The zero value is ready to use. The importers given to one Together must
// differ in nothing but their Source and Actor.
type Together struct {
	mu      sync.Mutex
	waiting map[togetherKey][]*posted
}

// maxTogether and maxTogetherBytes bound what one transaction takes: a
// feed's Bundles of one patient are ~1 KB; a large Bundle goes alone.
const (
	maxTogether      = 100
	maxTogetherBytes = 1 << 20
)

// togetherKey is what Bundles imported together share: who sent them.
type togetherKey struct {
	source string
	actor  rapport.Actor
}

// posted is a Bundle waiting to be imported.
type posted struct {
	ctx  context.Context
	im   *Importer
	body []byte
	name string
	done chan result
}

type result struct {
	sum Summary
	err error
}

// Import imports a Bundle (body, named name in errors) with im, together
// with the Bundles of the same source and actor that wait at the same time;
// types are the resource types of its entries, as the caller read them. It
// returns when the Bundle is imported, or when ctx ends (the Bundle may
// then still be imported).
func (t *Together) Import(ctx context.Context, im Importer, body []byte, name string, types []string) (Summary, error) {
	im.ContinueOnError, im.Rejects, im.Progress = false, nil, nil // all or nothing
	if !importedTogether(types) {
		return im.ImportFHIRReader(ctx, bytes.NewReader(body), name, fhir.KindBundle)
	}
	p := &posted{ctx: ctx, im: &im, body: body, name: name, done: make(chan result, 1)}
	key := togetherKey{source: im.source()}
	if im.Actor != nil {
		key.actor = *im.Actor
	}
	t.mu.Lock()
	if t.waiting == nil {
		t.waiting = map[togetherKey][]*posted{}
	}
	q, leading := t.waiting[key]
	t.waiting[key] = append(q, p)
	t.mu.Unlock()
	if !leading {
		go t.lead(key)
	}
	select {
	case r := <-p.done:
		return r.sum, r.err
	case <-ctx.Done():
		return newSummary(), ctx.Err()
	}
}

// importedTogether reports whether a Bundle of entries of the types may
// share an import with others.
func importedTogether(types []string) bool {
	for _, typ := range types {
		if !togetherTypes[typ] {
			return false
		}
	}
	return len(types) > 0
}

// lead imports the Bundles waiting under key, a group at a time, until none
// waits. A key is in waiting, its list empty or not, while it has a leader.
func (t *Together) lead(key togetherKey) {
	for {
		t.mu.Lock()
		group := t.take(key)
		if len(group) == 0 {
			delete(t.waiting, key)
			t.mu.Unlock()
			return
		}
		t.mu.Unlock()
		importGroup(group)
	}
}

// take removes the Bundles waiting under key that one transaction takes,
// in the order they came, passing over those whose caller has gone.
func (t *Together) take(key togetherKey) []*posted {
	q := t.waiting[key]
	var group []*posted
	n, size := 0, 0
	for ; n < len(q) && len(group) < maxTogether; n++ {
		p := q[n]
		if p.ctx.Err() != nil {
			continue
		}
		if len(group) > 0 && size+len(p.body) > maxTogetherBytes {
			break
		}
		size += len(p.body)
		group = append(group, p)
	}
	t.waiting[key] = q[n:]
	return group
}

// importGroup imports a group in one transaction, or each alone when that
// fails. A panic fails the group's Bundles, as it would fail their requests.
func importGroup(group []*posted) {
	defer func() {
		if v := recover(); v != nil {
			for _, p := range group {
				select {
				case p.done <- result{sum: newSummary(), err: fmt.Errorf("import a Bundle: panic: %v", v)}:
				default: // answered already
				}
			}
		}
	}()
	// The group's import is not its first caller's to cancel.
	ctx := context.WithoutCancel(group[0].ctx)
	if len(group) > 1 {
		parts := make([]part, len(group))
		for i, p := range group {
			parts[i] = part{name: p.name, r: bytes.NewReader(p.body), read: fhirReader(p.name, fhir.KindBundle)}
		}
		sums, err := group[0].im.importParts(ctx, parts)
		if err == nil {
			for i, p := range group {
				p.done <- result{sum: sums[i]}
			}
			return
		}
	}
	for _, p := range group {
		sum, err := p.im.ImportFHIRReader(p.ctx, bytes.NewReader(p.body), p.name, fhir.KindBundle)
		p.done <- result{sum: sum, err: err}
	}
}
