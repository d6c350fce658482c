package importer

import (
	"hash/maphash"

	"github.com/rapporthq/rapport"
)

// written remembers, during a bulk load, which patient resource ids and
// identifiers the file has written, as 64-bit hashes (8 bytes each, where a
// million strings would take tens of megabytes). A batch whose ids and
// identifiers are all new needs no lookup: the database held nothing else.
// A hash that matches — a repeat, or rarely another key with the same hash —
// sends the batch to the database, which answers exactly.
type written struct {
	seed   maphash.Seed
	ids    map[uint64]struct{}
	idents map[uint64]struct{}
}

func newWritten() *written {
	return &written{seed: maphash.MakeSeed(), ids: map[uint64]struct{}{}, idents: map[uint64]struct{}{}}
}

func (w *written) idHash(id string) uint64 { return maphash.String(w.seed, id) }

func (w *written) identHash(id rapport.Identifier) uint64 {
	var h maphash.Hash
	h.SetSeed(w.seed)
	h.WriteString(id.System)
	h.WriteByte(0)
	h.WriteString(id.Value)
	return h.Sum64()
}

// anyID reports whether any of ids may have been written.
func (w *written) anyID(ids []string) bool {
	for _, id := range ids {
		if _, ok := w.ids[w.idHash(id)]; ok {
			return true
		}
	}
	return false
}

// anyIdent reports whether any of ids may have been written.
func (w *written) anyIdent(ids []rapport.Identifier) bool {
	for _, id := range ids {
		if _, ok := w.idents[w.identHash(id)]; ok {
			return true
		}
	}
	return false
}

func (w *written) addID(id string)                { w.ids[w.idHash(id)] = struct{}{} }
func (w *written) addIdent(id rapport.Identifier) { w.idents[w.identHash(id)] = struct{}{} }
