package behaviour

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/sim/population"
	"github.com/rapporthq/rapport/verify"
)

// clinicalTruth is truth with the prescriptions and fills of everyone.
func clinicalTruth(t testing.TB, people int, seed int64) []population.TruthRecord {
	t.Helper()
	g, err := population.NewGenerator(seed, population.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	var out []population.TruthRecord
	for i := range people {
		p := g.Person(i, true)
		for k := range p.Records {
			out = append(out, g.Truth(p, k))
		}
	}
	return out
}

// remindAll sends, at the clock's time, a refill reminder by SMS for every
// prescription of every main record with a working mobile, and returns
// the record ids reached.
func remindAll(t *testing.T, m *Model, tr []population.TruthRecord) map[string]bool {
	t.Helper()
	reached := map[string]bool{}
	for i, rec := range tr {
		if rec.DuplicateOf != "" || len(rec.Prescriptions) == 0 {
			continue
		}
		for _, ph := range rec.Phones {
			if ph.Status != population.PhoneOK || ph.LineType != "mobile" {
				continue
			}
			for j, rx := range rec.Prescriptions {
				body := fmt.Sprintf("Valley Clinic: your %s may run out soon. Time for a refill. Reply 1 when you have picked it up, 2 if not yet.", rx.Display)
				if _, err := m.Behave(channel.Message{ID: fmt.Sprint("r", i, "-", j), Channel: rapport.ChannelSMS, To: verify.Phone(ph.Raw, "US").E164,
					From: "+15125550199", Body: body, Choices: map[string]string{"1": "picked up", "2": "not yet"}}); err != nil {
					t.Fatalf("record %d: %v", i, err)
				}
			}
			reached[rec.RecordID] = true
			break
		}
	}
	return reached
}

// nextFills is every supply's next fill, by record and prescription.
func nextFills(m *Model) map[string]time.Time {
	out := map[string]time.Time{}
	for _, p := range m.people {
		for _, s := range p.supplies {
			out[p.truth.RecordID+"/"+s.rx.RequestID] = s.next
		}
	}
	return out
}

// The same seed with and without refill reminders: a reminded person
// never fills later, fills sooner on average when the effect is on, and
// the share brought forward follows on_time_share.
func TestRefillRemindersBringFillsForward(t *testing.T) {
	t.Parallel()
	tr := clinicalTruth(t, 1500, 31)
	horizon := start.AddDate(0, 0, 365) // "never" counts as a year away
	days := func(at time.Time) float64 {
		if at.IsZero() {
			at = horizon
		}
		return at.Sub(start).Hours() / 24
	}
	for _, c := range []struct {
		share      float64
		lo, hi     float64 // bounds of the share of late supplies brought forward
		wantSooner bool
	}{
		{0, 0, 0, false},
		{0.18, 0.10, 0.26, true},
		{1, 1, 1, true},
	} {
		t.Run(fmt.Sprint(c.share), func(t *testing.T) {
			t.Parallel()
			p := DefaultParams()
			p.Refill.OnTimeShare = c.share
			reminded, _ := model(t, tr, p, 5)
			plain, _ := model(t, tr, p, 5)
			before := nextFills(plain)
			reached := remindAll(t, reminded, tr)
			after := nextFills(reminded)
			soonest := start.AddDate(0, 0, p.Refill.DaysMax+1)
			var late, forward int
			var sumBefore, sumAfter float64
			for _, person := range reminded.people {
				if !reached[person.truth.RecordID] {
					continue
				}
				for _, s := range person.supplies {
					key := person.truth.RecordID + "/" + s.rx.RequestID
					b, a := before[key], after[key]
					if days(a) > days(b) {
						t.Fatalf("%s: fills later with a reminder (%v, not %v)", key, a, b)
					}
					sumBefore, sumAfter = sumBefore+days(b), sumAfter+days(a)
					if b.IsZero() || b.After(soonest) {
						late++
						if days(a) < days(b) {
							forward++
						}
					}
				}
			}
			if late < 200 {
				t.Fatalf("only %d late supplies among the reminded: the test needs more people", late)
			}
			got := float64(forward) / float64(late)
			t.Logf("%d of %d late supplies brought forward; mean days to the next fill %.1f reminded, %.1f not", forward, late, sumAfter/float64(late), sumBefore/float64(late))
			if got < c.lo || got > c.hi {
				t.Errorf("%d of %d late supplies brought forward (%.2f): want %.2f to %.2f", forward, late, got, c.lo, c.hi)
			}
			if sooner := sumAfter < sumBefore; sooner != c.wantSooner {
				t.Errorf("mean days to the next fill %.2f reminded, %.2f not: sooner %v, want %v", sumAfter/float64(late), sumBefore/float64(late), sooner, c.wantSooner)
			}
		})
	}
}

// Fills come due in time order, each prescription's next drawn after it,
// and the same seed gives the same fills.
func TestDueFills(t *testing.T) {
	t.Parallel()
	tr := clinicalTruth(t, 300, 32)
	run := func() []Fill {
		m, clock := model(t, tr, DefaultParams(), 7)
		var all []Fill
		for day := range 90 {
			now := start.AddDate(0, 0, day+1)
			clock.Set(now)
			fs := m.DueFills(now)
			for i, f := range fs {
				if f.At.After(now) || (i > 0 && f.At.Before(fs[i-1].At)) {
					t.Fatalf("day %d: fill %d at %v out of order or not yet due", day, i, f.At)
				}
			}
			all = append(all, fs...)
		}
		return all
	}
	a, b := run(), run()
	if len(a) < 100 {
		t.Fatalf("%d fills over 90 days for 300 people: want more", len(a))
	}
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Error("the same seed gave different fills")
	}
	for _, f := range a {
		if f.At.Before(start) || f.N <= f.Rx.Fills {
			t.Fatalf("fill %+v: before the run, or numbered among the history", f)
		}
	}
}
