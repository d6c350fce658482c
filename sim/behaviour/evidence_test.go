package behaviour

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
)

// Each effect that lets the evidence run against asking again, on one
// person, with the effect's parameter on and off.
func TestEvidenceEffects(t *testing.T) {
	t.Parallel()
	tr := truth(t, 50, 21)
	m, _ := model(t, tr, DefaultParams(), 1)
	f := *m.people[0].fact // a copy: the population is shared
	f.truth.Traits.DeclinePropensity, f.truth.Traits.Responsiveness = 0.3, 0.5
	base := person{fact: &f}
	fresh := func(f func(p *person)) *person {
		p := base
		p.received, p.unanswered, p.offered = 1, 0, 0
		if f != nil {
			f(&p)
		}
		return &p
	}
	msg := channel.Message{Channel: rapport.ChannelSMS, Choices: offer}
	now := start
	for _, c := range []struct {
		name        string
		first, then float64
	}{
		{"a second decline is more likely after a first",
			m.declineChance(fresh(nil), StepOffer, false),
			m.declineChance(fresh(func(p *person) { p.declined, p.offered = true, 1 }), StepReoffer, false)},
		{"opt-out rises with the messages received",
			m.stopChance(fresh(nil), false),
			m.stopChance(fresh(func(p *person) { p.received = 6 }), false)},
		{"silence rises with the messages received",
			1 - m.chance(msg, fresh(nil), StepOffer, now),
			1 - m.chance(msg, fresh(func(p *person) { p.received = 6 }), StepOffer, now)},
		{"an offer ignoring a stated reason is declined more",
			m.declineChance(fresh(nil), StepOffer, false),
			m.declineChance(fresh(func(p *person) { p.stated = true }), StepOffer, m.annoyed(fresh(func(p *person) { p.stated = true }), StepOffer))},
		{"an offer ignoring a stated reason brings more STOPs",
			m.stopChance(fresh(nil), false),
			m.stopChance(fresh(func(p *person) { p.stated = true }), m.annoyed(fresh(func(p *person) { p.stated = true }), StepOffer))},
		{"an offer ignoring a stated reason is answered less",
			1 - m.chance(msg, fresh(nil), StepOffer, now),
			1 - m.chance(msg, fresh(func(p *person) { p.stated = true }), StepOffer, now)},
	} {
		if !(c.then > c.first) {
			t.Errorf("%s: %.3f after, %.3f before: want more", c.name, c.then, c.first)
		}
	}
	heard := fresh(func(p *person) { p.stated, p.heard = true, true })
	if m.annoyed(heard, StepReoffer) {
		t.Error("a person whose reason was answered is annoyed by the re-offer")
	}
}

// Through Behave: with everyone at decline propensity 0.3, a re-offer to
// the first decliners is declined far more often than the first offer.
func TestRepeatDecline(t *testing.T) {
	t.Parallel()
	tr := truth(t, 3000, 23)
	for i := range tr {
		tr[i].Traits.DeclinePropensity = 0.3
	}
	p := DefaultParams()
	p.Reply.Max, p.Stop, p.Form.DeclineWords = 1, 0, 0 // every decline bare: no reason stated, no annoyance
	m, _ := model(t, tr, p, 3)
	offers(m, tr, "ok")
	first := m.Stats()
	for to, a := range m.pop.byAddr {
		if m.people[a.person].declined && a.kind == rapport.ContactPhone && a.status == "ok" && a.lineType == "mobile" {
			m.Behave(channel.Message{ID: "re", Channel: rapport.ChannelSMS, To: to, Choices: offer})
		}
	}
	again := m.Stats()
	p1 := float64(first.Declines) / float64(first.Declines+first.Accepts)
	p2 := float64(again.Declines-first.Declines) / float64(again.Declines-first.Declines+again.Accepts-first.Accepts)
	within(t, "first decline", p1, 0.3, 0.04)
	within(t, "decline again", p2, 1-0.7*(1-p.Repeat), 0.06)
}

// The shipped worlds parse, and the pessimistic one changes no mind.
func TestNamedParams(t *testing.T) {
	t.Parallel()
	for _, name := range Worlds() {
		p, err := NamedParams(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if name == "pessimistic" {
			for k, v := range p.MindChange {
				if v != 0 {
					t.Errorf("pessimistic mind_change.%s = %g, want 0", k, v)
				}
			}
		}
	}
	if len(Worlds()) != 3 {
		t.Errorf("worlds %v, want default, optimistic, pessimistic", Worlds())
	}
	if _, err := NamedParams("nowhere"); err == nil {
		t.Error("an unknown world is accepted")
	}
}

// A yes becomes an enrolment for the follow-through share of those who
// say it, once each, days_min to days_max days later; with share 0, never.
func TestFollowThrough(t *testing.T) {
	t.Parallel()
	tr := truth(t, 2000, 29)
	for _, share := range []float64{0, 0.53, 1} {
		p := DefaultParams()
		p.Follow.Share = share
		m, _ := model(t, tr, p, 4)
		offers(m, tr, "ok")
		accepts := m.Stats().Accepts
		acts := m.DueActions(start.Add(30 * 24 * time.Hour))
		if _, ok := m.NextAction(); ok {
			t.Errorf("share %g: actions left after day 30", share)
		}
		seen := map[string]bool{}
		for i, a := range acts {
			if a.Kind != Enrolment || seen[a.RecordID] || a.At.Before(start.Add(time.Duration(p.Follow.DaysMin-1)*24*time.Hour)) ||
				a.At.After(start.Add(time.Duration(p.Follow.DaysMax+1)*24*time.Hour)) || (i > 0 && a.At.Before(acts[i-1].At)) {
				t.Fatalf("share %g: action %d %+v: want one enrolment per person, in its days, in time order", share, i, a)
			}
			seen[a.RecordID] = true
		}
		if accepts == 0 {
			t.Fatal("nobody accepted")
		}
		within(t, "enrolments per yes", float64(len(acts))/float64(accepts), share, 0.06)
	}
}
