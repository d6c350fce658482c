package behaviour

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/sim/population"
	"github.com/rapporthq/rapport/verify"
)

// Model is the simulated population. It is safe for concurrent use.
type Model struct {
	p     Params
	seed  int64
	clock rapport.Clock

	people []*person
	byAddr map[string]*address
	awake  [2]int // minutes of the day

	mu      sync.Mutex
	agenda  agenda
	actions []WorldEvent // enrolments that answers caused, in time order
	stats   Stats
}

// person is one real person and what the model remembers of them.
type person struct {
	id    string
	truth profile // of the main record
	loc   *time.Location

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
	supplies []*supply
}

// profile is what the model reads of a person's truth record, copied: the
// whole records (names, addresses, every phone's story) held for the run
// were most of the demo's memory at 100,000 patients.
type profile struct {
	RecordID     string
	Language     string
	Rural, Older bool
	Adherence    string
	Traits       population.Traits
}

func profileOf(t *population.TruthRecord) profile {
	return profile{RecordID: t.RecordID, Language: t.Language, Rural: t.Rural, Older: t.Older, Adherence: t.Adherence, Traits: t.Traits}
}

// address is a phone number or email address as recorded, and what it
// really is.
type address struct {
	p        *person
	kind     rapport.ContactKind
	status   string // the truth's phone or email status
	lineType string // phones: mobile or landline
	wrongSay bool   // a reassigned number's owner said "wrong number" already
}

// ReadTruth reads truth.ndjson.
func ReadTruth(r io.Reader) ([]population.TruthRecord, error) {
	var out []population.TruthRecord
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for line := 1; sc.Scan(); line++ {
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		var t population.TruthRecord
		if err := json.Unmarshal(sc.Bytes(), &t); err != nil {
			return nil, fmt.Errorf("truth line %d: %w", line, err)
		}
		out = append(out, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read truth: %w", err)
	}
	return out, nil
}

// New builds the model of the people in truth. Every recorded phone and
// email is indexed by the address rapport will send to (E.164, normalised
// email); a duplicate record's addresses lead to the same person. clock
// dates deliveries and answers, and its time now is when the
// prescriptions' fills go on from. The model keeps what it needs of truth, not
// truth itself.
func New(truth []population.TruthRecord, p Params, seed int64, clock rapport.Clock) (*Model, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("behaviour model: %w", err)
	}
	m := &Model{p: p, seed: seed, clock: clock, byAddr: map[string]*address{}}
	m.awake[0], m.awake[1] = minuteOfDay(p.Delay.AwakeFrom), minuteOfDay(p.Delay.AwakeUntil)
	byPerson := map[string]*person{}
	zones := map[string]*time.Location{}
	for i := range truth {
		t := &truth[i]
		ps := byPerson[t.PersonID]
		if ps == nil {
			loc := zones[t.Address.TimeZone]
			if loc == nil {
				var err error
				if loc, err = time.LoadLocation(t.Address.TimeZone); err != nil {
					return nil, fmt.Errorf("truth record %s: zone %q: %w", t.RecordID, t.Address.TimeZone, err)
				}
				zones[t.Address.TimeZone] = loc
			}
			ps = &person{id: t.PersonID, truth: profileOf(t), loc: loc}
			byPerson[t.PersonID] = ps
			m.people = append(m.people, ps)
		}
		if t.DuplicateOf == "" {
			ps.truth = profileOf(t)
			m.addSupplies(ps, t.Prescriptions, clock.Now())
		}
		for _, ph := range t.Phones {
			if e := verify.Phone(ph.Raw, "US").E164; e != "" {
				m.byAddr[e] = &address{p: ps, kind: rapport.ContactPhone, status: ph.Status, lineType: ph.LineType}
			}
		}
		if em := t.Email; em != nil {
			if n := verify.Email(em.Raw).Normalised; n != "" {
				status := em.Status
				if !em.Deliverable {
					status = "undeliverable"
				}
				m.byAddr[strings.ToLower(n)] = &address{p: ps, kind: rapport.ContactEmail, status: status}
			}
		}
	}
	return m, nil
}

// People is the number of real people in the model.
func (m *Model) People() int { return len(m.people) }

func (m *Model) lookup(addr string) *address {
	if a := m.byAddr[addr]; a != nil {
		return a
	}
	return m.byAddr[strings.ToLower(addr)]
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
