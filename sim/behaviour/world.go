package behaviour

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"
)

// Event kinds of [WorldEvent].
const (
	// Booking: the person books an appointment on their own.
	Booking = "booking"
	// Visit: the person had a visit at the clinic, now finished.
	Visit = "visit"
	// Enrolment: the person, having said yes, enrolled in the offered
	// service (came to the fitting).
	Enrolment = "enrolment"
)

// WorldEvent is something a person does without being messaged.
type WorldEvent struct {
	At   time.Time
	Kind string
	// RecordID is the person's main record: the FHIR Patient id of the export.
	RecordID string
}

// World draws, for the days from start, the bookings and visits of every
// person: bookings with weekly hazard spontaneous_engagement ×
// booking_factor, visits with weekly hazard visit_rate, at most one of
// each per person, in daytime local hours. It depends only on the seed and
// the population — not on messages — so a hold-out books as often as the
// rest would have without rapport. Events come in time order.
func (m *Model) World(start time.Time, days int) []WorldEvent {
	var out []WorldEvent
	weeks := float64(days) / 7
	for _, p := range m.pop.people {
		r := m.rng(p.id, "world", 0)
		for _, e := range []struct {
			kind   string
			hazard float64
		}{
			{Booking, p.truth.Traits.SpontaneousEngagement * m.p.World.BookingFactor},
			{Visit, m.p.World.VisitRate},
		} {
			u := r.Float64()
			if e.hazard <= 0 {
				continue
			}
			w := -math.Log(1-u) / e.hazard // weeks until it happens
			if w >= weeks {
				continue
			}
			at := dayAt(start, int(w*7), r, p.loc)
			if e.kind == Visit {
				// Visits of a day are reported finished together (17:00 UTC:
				// late morning in every US zone), as an EHR's daily batch.
				at = start.UTC().Truncate(24*time.Hour).AddDate(0, 0, int(w*7)).Add(17 * time.Hour)
			}
			if at.Before(start) {
				at = start
			}
			out = append(out, WorldEvent{At: at, Kind: e.kind, RecordID: p.truth.RecordID})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// dayAt is a daytime minute, local time, days after start.
func dayAt(start time.Time, days int, r *rand.Rand, loc *time.Location) time.Time {
	day := start.In(loc).AddDate(0, 0, days)
	return time.Date(day.Year(), day.Month(), day.Day(), 9+r.IntN(8), r.IntN(60), 0, 0, loc)
}

// follow may turn p's yes, answered at now, into an enrolment later.
func (m *Model) follow(p *person, now time.Time) {
	f := m.p.Follow
	if p.followed || f.Share <= 0 {
		return
	}
	r := m.rng(p.id, "follow", 0)
	if r.Float64() >= f.Share {
		return
	}
	p.followed = true
	at := dayAt(now, f.DaysMin+r.IntN(f.DaysMax-f.DaysMin+1), r, p.loc)
	i := sort.Search(len(m.actions), func(i int) bool { return m.actions[i].At.After(at) })
	m.actions = slices.Insert(m.actions, i, WorldEvent{At: at, Kind: Enrolment, RecordID: p.truth.RecordID})
}

// DueActions pops the enrolments due by now, earliest first.
func (m *Model) DueActions(now time.Time) []WorldEvent {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := sort.Search(len(m.actions), func(i int) bool { return m.actions[i].At.After(now) })
	out := slices.Clone(m.actions[:i])
	m.actions = m.actions[i:]
	return out
}

// NextAction returns when the earliest enrolment is due; false when none is.
func (m *Model) NextAction() (time.Time, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.actions) == 0 {
		return time.Time{}, false
	}
	return m.actions[0].At, true
}
