package importer

import (
	"hash/maphash"

	"github.com/rapporthq/rapport"
)

// written remembers, during a bulk load, which patient resource ids and
// identifiers the file has written, as 64-bit hashes. A batch whose ids and
// identifiers are all new needs no lookup: the database held nothing else.
// A hash that matches — a repeat, or rarely another key with the same hash —
// sends the batch to the database, which answers exactly.
type written struct {
	seed maphash.Seed
	set  hashSet
}

func newWritten() *written { return &written{seed: maphash.MakeSeed()} }

// Ids and identifiers share one set: their hashes start from different bytes.
func (w *written) idHash(id string) uint64 {
	var h maphash.Hash
	h.SetSeed(w.seed)
	h.WriteByte('r')
	h.WriteString(id)
	return h.Sum64()
}

func (w *written) identHash(id rapport.Identifier) uint64 {
	var h maphash.Hash
	h.SetSeed(w.seed)
	h.WriteByte('i')
	h.WriteString(id.System)
	h.WriteByte(0)
	h.WriteString(id.Value)
	return h.Sum64()
}

// anyID reports whether any of ids may have been written.
func (w *written) anyID(ids []string) bool {
	for _, id := range ids {
		if w.set.has(w.idHash(id)) {
			return true
		}
	}
	return false
}

// anyIdent reports whether any of ids may have been written.
func (w *written) anyIdent(ids []rapport.Identifier) bool {
	for _, id := range ids {
		if w.set.has(w.identHash(id)) {
			return true
		}
	}
	return false
}

func (w *written) addID(id string)                { w.set.add(w.idHash(id)) }
func (w *written) addIdent(id rapport.Identifier) { w.set.add(w.identHash(id)) }

// hashSet is a set of 64-bit hashes in one flat open-addressed table, at
// most three-quarters full: 8 to 16 bytes per hash, where a Go map of a
// million uint64 keys took about 35 (a million-patient load held two).
// The hashes are already uniform, so they index the table as they are.
type hashSet struct {
	slots []uint64 // 0 is empty; the hash 0 is stored as 1
	n     int
}

func (s *hashSet) has(h uint64) bool {
	if h == 0 {
		h = 1
	}
	if len(s.slots) == 0 {
		return false
	}
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case h:
			return true
		case 0:
			return false
		}
	}
}

func (s *hashSet) add(h uint64) {
	if h == 0 {
		h = 1
	}
	if 4*(s.n+1) > 3*len(s.slots) {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case h:
			return
		case 0:
			s.slots[i] = h
			s.n++
			return
		}
	}
}

func (s *hashSet) grow() {
	old := s.slots
	s.slots = make([]uint64, max(1024, 2*len(old)))
	s.n = 0
	for _, h := range old {
		if h != 0 {
			s.add(h)
		}
	}
}
