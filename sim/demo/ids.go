package demo

import (
	"fmt"
	"math/rand/v2"
	"sync"
)

// seededIDs makes the demo's ids for patients, their records and campaigns
// from the seed, so that what hashes ids — hold-outs and A/B variants —
// gives the same answer at every run. Like the store's UUIDv7 ids they
// sort by creation (a counter leads) and look like UUIDs; the seeded
// random tail keeps the hashes of successive ids unrelated.
type seededIDs struct {
	mu  sync.Mutex
	n   uint64
	pcg *rand.PCG
}

func newSeededIDs(seed int64, purpose uint64) *seededIDs {
	return &seededIDs{pcg: rand.NewPCG(uint64(seed), purpose)}
}

// clone is a generator that goes on from where s is, for a copy of the
// database s gave ids to.
func (s *seededIDs) clone() *seededIDs {
	s.mu.Lock()
	defer s.mu.Unlock()
	pcg := *s.pcg
	return &seededIDs{n: s.n, pcg: &pcg}
}

// next is the next id: safe for concurrent use, though only a single
// caller gives a sequence that repeats.
func (s *seededIDs) next() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	r := s.pcg.Uint64()
	return fmt.Sprintf("%08x-%04x-7%03x-%04x-%012x", s.n>>16, s.n&0xffff, (r>>52)&0xfff, 0x8000|(r>>36)&0x3fff, r&0xffffffffffff)
}
