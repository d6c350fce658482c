package behaviour

import (
	"slices"
	"strings"
	"time"

	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/sim/population"
)

// supply is one prescription of a person and when it is filled next. The
// draws of a fill depend only on the seed, the person, the prescription
// and the fill's number, so a world with reminders and one without fill
// alike until a reminder makes a difference.
type supply struct {
	rx *population.TruthPrescription // in the shared population
	n  int                           // fills so far, before the run included; numbers the draws
	at time.Time                     // the latest fill
	// natural is the next fill had no reminder come, next the next fill;
	// zero when the person stopped taking the medicine.
	natural, next time.Time
	// reminded says a refill reminder for the current supply was delivered.
	reminded bool
}

// Fill is a pharmacy fill in simulated time, for the demo to import as
// the EHR's nightly sync would.
type Fill struct {
	At       time.Time
	RecordID string
	Rx       population.TruthPrescription
	// N numbers the prescription's fills, those before the run included.
	N int
}

// addSupplies takes the prescriptions of p's main record, whose fills go
// on from now.
func (m *Model) addSupplies(p *person, now time.Time) {
	p.supplies = p.supplies[:0]
	for k := range p.rxs {
		rx := &p.rxs[k]
		if rx.Fills == 0 || rx.DaysSupply <= 0 {
			continue
		}
		s := supply{rx: rx, n: rx.Fills, at: rx.LastFill}
		if !rx.Stopped {
			s.draw(m, p, now)
		}
		p.supplies = append(p.supplies, s)
	}
}

// draw sets the fill after s.at, by p's adherence class; one already
// overdue at now (the prescription ran out of refills before the run and
// was renewed) comes within the first week.
func (s *supply) draw(m *Model, p *person, now time.Time) {
	r := m.rng(p.id, "fill/"+s.rx.RequestID, s.n)
	gap, stop := population.NextFillGap(r, p.truth.Adherence, s.rx.AsNeeded)
	s.natural, s.next = time.Time{}, time.Time{}
	if stop {
		return
	}
	at := dayAt(s.at, s.rx.DaysSupply+gap, r, p.loc)
	if !at.After(now) {
		at = dayAt(now, 1+r.IntN(7), r, p.loc)
	}
	s.natural, s.next = at, at
}

// isRefillReminder tells a refill reminder (or its "did you pick it
// up?") by its numbered choices.
func isRefillReminder(msg channel.Message) bool {
	for _, l := range msg.Choices {
		if l == "picked up" {
			return true
		}
	}
	return false
}

// remind takes a refill reminder delivered to p at now: for the supply it
// names (by the drug's name in the text), not yet reminded, a person who
// would fill later — or never — fills days_min to days_max days from now
// instead, with chance on_time_share. Under m.mu.
func (m *Model) remind(now time.Time, msg channel.Message, p *person) {
	for k := range p.supplies {
		s := &p.supplies[k]
		if s.reminded || !strings.Contains(msg.Body, s.rx.Display) {
			continue
		}
		s.reminded = true
		m.stats.RefillReminders++
		f := m.p.Refill
		r := m.rng(p.id, "refill-reminder/"+s.rx.RequestID, s.n)
		if r.Float64() >= f.OnTimeShare {
			continue
		}
		at := dayAt(now, f.DaysMin+r.IntN(f.DaysMax-f.DaysMin+1), r, p.loc)
		if !at.After(now) {
			at = now.Add(time.Hour)
		}
		if s.next.IsZero() || at.Before(s.next) {
			s.next = at
			m.stats.FillsSooner++
		}
	}
}

// DueFills pops the fills due by now, earliest first, and draws each
// prescription's next.
func (m *Model) DueFills(now time.Time) []Fill {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Fill
	for i := range m.people {
		p := &m.people[i]
		for k := range p.supplies {
			s := &p.supplies[k]
			if s.next.IsZero() || s.next.After(now) {
				continue
			}
			s.n++
			out = append(out, Fill{At: s.next, RecordID: p.truth.RecordID, Rx: *s.rx, N: s.n})
			s.at, s.reminded = s.next, false
			s.draw(m, p, now)
			m.stats.Fills++
		}
	}
	slices.SortStableFunc(out, func(a, b Fill) int { return a.At.Compare(b.At) })
	return out
}

// NextFill returns when the earliest fill is due; false when none is.
func (m *Model) NextFill() (time.Time, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var first time.Time
	for i := range m.people {
		for _, s := range m.people[i].supplies {
			if !s.next.IsZero() && (first.IsZero() || s.next.Before(first)) {
				first = s.next
			}
		}
	}
	return first, !first.IsZero()
}
