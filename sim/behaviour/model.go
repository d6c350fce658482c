package behaviour

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/rapporthq/rapport"
)

// Model is the simulated population. It is safe for concurrent use.
type Model struct {
	p     Params
	seed  int64
	clock rapport.Clock

	pop    *Population
	people []person // parallel to pop.people
	awake  [2]int   // minutes of the day

	mu      sync.Mutex
	agenda  agenda
	actions []WorldEvent // enrolments that answers caused, in time order
	// wrongSaid holds the reassigned numbers whose owner said "wrong
	// number" already.
	wrongSaid map[*address]bool
	stats     Stats
}

// person is one real person and what the model remembers of them.
type person struct {
	*fact

	// state, under Model.mu
	received   int  // messages delivered to them
	unanswered int  // of those, not answered
	offered    int  // offers received (yes/no questions)
	declined   bool // said no to an offer
	stated     bool // stated a reason: declined in words or answered "why not?"
	heard      bool // received an answer to the reason stated
	listened   bool // stated a reason and heard an answer to it
	followed   bool // enrolled after a yes
	// supplies are the person's prescriptions and their next fills.
	supplies []supply
}

// New builds a model of pop's people: their state starts afresh, and clock
// dates deliveries and answers; its time now is when the prescriptions'
// fills go on from. Models of one population share it and change nothing
// in it.
func New(pop *Population, p Params, seed int64, clock rapport.Clock) (*Model, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("behaviour model: %w", err)
	}
	m := &Model{p: p, seed: seed, clock: clock, pop: pop, people: make([]person, len(pop.people)), wrongSaid: map[*address]bool{}}
	m.awake[0], m.awake[1] = minuteOfDay(p.Delay.AwakeFrom), minuteOfDay(p.Delay.AwakeUntil)
	now := clock.Now()
	for i, f := range pop.people {
		m.people[i].fact = f
		m.addSupplies(&m.people[i], now)
	}
	return m, nil
}

// People is the number of real people in the model.
func (m *Model) People() int { return len(m.people) }

// lookup finds the address rapport sent to, and its person; a nil address
// when the address is nobody's.
func (m *Model) lookup(addr string) (*address, *person) {
	a := m.pop.byAddr[addr]
	if a == nil {
		a = m.pop.byAddr[strings.ToLower(addr)]
	}
	if a == nil {
		return nil, nil
	}
	return a, &m.people[a.person]
}

func minuteOfDay(hhmm string) int {
	t, _ := time.Parse("15:04", hhmm)
	return t.Hour()*60 + t.Minute()
}

// rng returns the PCG stream of a person (or address) for a purpose and
// its n-th use, seeded from the model's seed: independent of the order in
// which messages arrive.
func (m *Model) rng(key string, purpose string, n int) *rand.Rand {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s/%s/%d", m.seed, key, purpose, n)
	a := h.Sum64()
	fmt.Fprintf(h, "/second")
	return rand.New(rand.NewPCG(mix(a), mix(h.Sum64())))
}

// mix is SplitMix64's finaliser: nearby hashes give unrelated PCG seeds.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
