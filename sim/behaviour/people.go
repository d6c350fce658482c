package behaviour

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unique"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/sim/population"
	"github.com/rapporthq/rapport/verify"
)

// Population is what the models of one population share: who each person
// is and what each recorded address really is. No run changes it, so the
// demo's two arms read one copy (at 100,000 people, each arm's own copy
// was ~58 MB of its live heap).
type Population struct {
	people []*fact
	byAddr map[string]*address
}

// fact is what a run reads of a person and never changes.
type fact struct {
	id    string
	truth profile // of the main record
	loc   *time.Location
	rxs   []population.TruthPrescription // of the main record
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

// address is a phone number or email address as recorded, and what it
// really is.
type address struct {
	person   int // index in Population.people
	kind     rapport.ContactKind
	status   string // the truth's phone or email status
	lineType string // phones: mobile or landline
}

// populationBuilder makes a Population record by record, so that the
// records need not all be held at once.
type populationBuilder struct {
	pop      *Population
	byPerson map[string]int
	zones    map[string]*time.Location
}

func newPopulationBuilder() *populationBuilder {
	return &populationBuilder{pop: &Population{byAddr: map[string]*address{}}, byPerson: map[string]int{},
		zones: map[string]*time.Location{}}
}

// intern returns one shared copy of s: languages, adherence classes,
// statuses and the like take a handful of values over 100,000 records.
func (b *populationBuilder) intern(s string) string { return unique.Make(s).Value() }

func (b *populationBuilder) profileOf(t *population.TruthRecord) profile {
	tr := t.Traits
	tr.PreferredChannel, tr.DeclineReason = b.intern(tr.PreferredChannel), b.intern(tr.DeclineReason)
	return profile{RecordID: t.RecordID, Language: b.intern(t.Language), Rural: t.Rural, Older: t.Older,
		Adherence: b.intern(t.Adherence), Traits: tr}
}

// prescriptions copies rxs to a slice of their own size (the decoder's
// has room to spare), the drugs' names and codes held once.
func (b *populationBuilder) prescriptions(rxs []population.TruthPrescription) []population.TruthPrescription {
	if len(rxs) == 0 {
		return nil
	}
	out := make([]population.TruthPrescription, len(rxs))
	for k, rx := range rxs {
		rx.RxNorm, rx.Display, rx.Unit = b.intern(rx.RxNorm), b.intern(rx.Display), b.intern(rx.Unit)
		out[k] = rx
	}
	return out
}

// add takes one truth record. Every recorded phone and email is indexed by
// the address rapport will send to (E.164, normalised email); a duplicate
// record's addresses lead to the same person.
func (b *populationBuilder) add(t *population.TruthRecord) error {
	i, ok := b.byPerson[t.PersonID]
	if !ok {
		loc := b.zones[t.Address.TimeZone]
		if loc == nil {
			var err error
			if loc, err = time.LoadLocation(t.Address.TimeZone); err != nil {
				return fmt.Errorf("truth record %s: zone %q: %w", t.RecordID, t.Address.TimeZone, err)
			}
			b.zones[t.Address.TimeZone] = loc
		}
		i = len(b.pop.people)
		b.byPerson[t.PersonID] = i
		b.pop.people = append(b.pop.people, &fact{id: t.PersonID, truth: b.profileOf(t), loc: loc})
	}
	f := b.pop.people[i]
	if t.DuplicateOf == "" {
		f.truth, f.rxs = b.profileOf(t), b.prescriptions(t.Prescriptions)
	}
	for _, ph := range t.Phones {
		if e := verify.Phone(ph.Raw, "US").E164; e != "" {
			b.pop.byAddr[e] = &address{person: i, kind: rapport.ContactPhone, status: b.intern(ph.Status), lineType: b.intern(ph.LineType)}
		}
	}
	if em := t.Email; em != nil {
		if n := verify.Email(em.Raw).Normalised; n != "" {
			status := em.Status
			if !em.Deliverable {
				status = "undeliverable"
			}
			b.pop.byAddr[strings.ToLower(n)] = &address{person: i, kind: rapport.ContactEmail, status: b.intern(status)}
		}
	}
	return nil
}

// NewPopulation makes the population of truth's records.
func NewPopulation(truth []population.TruthRecord) (*Population, error) {
	b := newPopulationBuilder()
	for i := range truth {
		if err := b.add(&truth[i]); err != nil {
			return nil, err
		}
	}
	return b.pop, nil
}

// ReadPopulation makes the population of a truth.ndjson, one record at a
// time: the records themselves (110 MB at 100,000 people) are never all
// held.
func ReadPopulation(r io.Reader) (*Population, error) {
	b := newPopulationBuilder()
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
		if err := b.add(&t); err != nil {
			return nil, fmt.Errorf("truth line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read truth: %w", err)
	}
	return b.pop, nil
}
