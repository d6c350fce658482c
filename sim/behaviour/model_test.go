package behaviour

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/sim/population"
	"github.com/rapporthq/rapport/verify"
)

var start = time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC) // 09:00 in Chicago

func truth(t testing.TB, people int, seed int64) []population.TruthRecord {
	t.Helper()
	g, err := population.NewGenerator(seed, population.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	var out []population.TruthRecord
	for i := range people {
		p := g.Person(i, false)
		for k := range p.Records {
			out = append(out, g.Truth(p, k))
		}
	}
	return out
}

func model(t testing.TB, tr []population.TruthRecord, p Params, seed int64) (*Model, *rapport.ManualClock) {
	t.Helper()
	clock := rapport.NewManualClock(start)
	pop, err := NewPopulation(tr)
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(pop, p, seed, clock)
	if err != nil {
		t.Fatal(err)
	}
	return m, clock
}

var offer = map[string]string{"1": "yes", "2": "no"}

// offers sends an SMS offer to the first recorded phone of every main
// record whose phone has the given status, and returns the results.
func offers(m *Model, tr []population.TruthRecord, status string) (results []error) {
	for i, t := range tr {
		if t.DuplicateOf != "" {
			continue
		}
		for _, ph := range t.Phones {
			if ph.Status != status {
				continue
			}
			_, err := m.Behave(channel.Message{ID: fmt.Sprint("m", i), Channel: rapport.ChannelSMS, To: verify.Phone(ph.Raw, "US").E164,
				From: "+15125550199", Language: t.Language, Body: "Interested? Reply 1 yes, 2 no", Choices: offer})
			results = append(results, err)
			break
		}
	}
	return results
}

func TestReproducible(t *testing.T) {
	t.Parallel()
	tr := truth(t, 400, 7)
	run := func(seed int64) []Reply {
		m, _ := model(t, tr, DefaultParams(), seed)
		offers(m, tr, "ok")
		return m.Due(start.Add(30 * 24 * time.Hour))
	}
	a, b := run(1), run(1)
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed gave different answers (%d vs %d)", len(a), len(b))
	}
	if reflect.DeepEqual(a, run(2)) {
		t.Error("another seed gave the same answers")
	}
	for i := 1; i < len(a); i++ {
		if a[i].At.Before(a[i-1].At) {
			t.Fatalf("Due out of order at %d", i)
		}
	}
}

// Two models over one population (the demo's two arms) keep their people's
// state apart: what the first lived through, the second did not — each
// answers, says "wrong number" and fills as a model with a population of
// its own would.
func TestSharedPopulation(t *testing.T) {
	t.Parallel()
	tr := clinicalTruth(t, 400, 7)
	pop, err := NewPopulation(tr)
	if err != nil {
		t.Fatal(err)
	}
	live := func(m *Model) ([]Reply, []Fill) {
		offers(m, tr, "ok")
		offers(m, tr, "reassigned")
		remindAll(t, m, tr)
		offers(m, tr, "ok") // asked again: state (offered, declined) counts
		return m.Due(start.Add(30 * 24 * time.Hour)), m.DueFills(start.Add(60 * 24 * time.Hour))
	}
	p := DefaultParams()
	p.WrongNum = 1
	first, err := New(pop, p, 1, rapport.NewManualClock(start))
	if err != nil {
		t.Fatal(err)
	}
	second, err := New(pop, p, 1, rapport.NewManualClock(start))
	if err != nil {
		t.Fatal(err)
	}
	alone, _ := model(t, tr, p, 1)
	r1, f1 := live(first)
	r2, f2 := live(second)
	ra, fa := live(alone)
	if len(r1) == 0 || len(f1) == 0 || !reflect.DeepEqual(r2, ra) || !reflect.DeepEqual(f2, fa) || !reflect.DeepEqual(r1, r2) {
		t.Fatalf("the second model over a shared population answered %d times and filled %d, alone %d and %d, the first %d and %d",
			len(r2), len(f2), len(ra), len(fa), len(r1), len(f1))
	}
	if first.Stats() != second.Stats() {
		t.Errorf("stats: first %+v, second %+v", first.Stats(), second.Stats())
	}
}

// TestRates checks the draws against the parameters, on a flat model where
// the chance of answering is the person's responsiveness.
func TestRates(t *testing.T) {
	t.Parallel()
	tr := truth(t, 5000, 3)
	p := DefaultParams()
	for _, m := range []map[string]float64{p.Reply.Channel, p.Reply.Rural, p.Reply.Urban, p.Reply.Older, p.Reply.Younger} {
		for k := range m {
			m[k] = 1
		}
	}
	p.Reply.Preferred, p.Reply.Fatigue, p.Reply.Evening, p.Reply.Max, p.Stop = 1, 1, 1, 1, 0.05
	p.Form.DeclineWords, p.Delay.LateShare = 0, 0.1
	m, _ := model(t, tr, p, 11)

	var wantAnswer, n float64
	for _, rec := range tr {
		if rec.DuplicateOf != "" {
			continue
		}
		for _, ph := range rec.Phones {
			if ph.Status == "ok" && ph.LineType == "mobile" {
				wantAnswer += rec.Traits.Responsiveness
				n++
				break
			}
		}
	}
	for _, err := range offers(m, tr, "ok") {
		_ = err // landlines fail: counted below
	}
	s := m.Stats()
	if s.Delivered == 0 || math.Abs(float64(s.Delivered)-n) > 0.02*n {
		t.Fatalf("delivered %d, want about %.0f (ok mobiles)", s.Delivered, n)
	}
	within(t, "answer rate", float64(s.Answered)/float64(s.Delivered), wantAnswer/n, 0.03)
	within(t, "STOP share", float64(s.Stops)/float64(s.Answered), p.Stop, 0.015)
	within(t, "late share", float64(s.Late)/float64(s.Answered), p.Delay.LateShare, 0.025)

	// Declines among answers to the offer: the mean propensity of those who answered.
	replies := m.Due(start.Add(60 * 24 * time.Hour))
	if len(replies) != s.Answered {
		t.Fatalf("%d replies queued, %d answered", len(replies), s.Answered)
	}
	var wantDecline float64
	var no, yes int
	for _, r := range replies {
		_, p := m.lookup(r.From)
		switch strings.ToLower(r.Body) {
		case "stop", "parar":
			continue
		case "2", "no", "no thanks", "no gracias":
			no++
		default:
			yes++
		}
		wantDecline += p.truth.Traits.DeclinePropensity
	}
	within(t, "decline share", float64(no)/float64(no+yes), wantDecline/float64(no+yes), 0.03)
}

func within(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.3f, want %.3f ± %.3f", what, got, want, tol)
	} else {
		t.Logf("%s = %.3f (want %.3f)", what, got, want)
	}
}

func TestProviderAnswers(t *testing.T) {
	t.Parallel()
	tr := truth(t, 3000, 5)
	m, _ := model(t, tr, DefaultParams(), 1)
	for _, c := range []struct{ status, code string }{{"disconnected", "30005"}, {"landline", "30006"}} {
		errs := offers(m, tr, c.status)
		if len(errs) == 0 {
			t.Fatalf("no %s number in the population", c.status)
		}
		for _, err := range errs {
			ce, ok := err.(*channel.Error)
			if !ok || ce.Code != c.code || ce.Kind != channel.ErrBadAddress {
				t.Fatalf("%s: error %v, want bad address with code %s", c.status, err, c.code)
			}
		}
	}
	// A reassigned number is delivered and never answered as the patient.
	before := m.Pending()
	for _, err := range offers(m, tr, "reassigned") {
		if ce, ok := err.(*channel.Error); err != nil && (!ok || ce.Code != "30006") { // a reassigned landline takes no text
			t.Fatal(err)
		}
	}
	if m.Pending() < before {
		t.Fatal("agenda shrank")
	}
	for _, r := range m.Due(start.Add(90 * 24 * time.Hour)) {
		if a, _ := m.lookup(r.From); a.status == "reassigned" && !strings.Contains(strings.ToLower(r.Body), "wrong") && !strings.Contains(strings.ToLower(r.Body), "equivocado") {
			t.Errorf("reassigned number answered %q", r.Body)
		}
	}
	// A dead mailbox bounces.
	for _, rec := range tr {
		if rec.Email != nil && !rec.Email.Deliverable {
			_, err := m.Behave(channel.Message{ID: "e1", Channel: rapport.ChannelEmail, To: verify.Email(rec.Email.Raw).Normalised, Body: "hi"})
			if ce, ok := err.(*channel.Error); !ok || ce.Code != "550" {
				t.Fatalf("undeliverable email: %v, want code 550", err)
			}
			break
		}
	}
}

func TestAnswersWhileAwake(t *testing.T) {
	t.Parallel()
	tr := truth(t, 1000, 9)
	m, clock := model(t, tr, DefaultParams(), 4)
	clock.Set(start.Add(11 * time.Hour)) // 20:00 in Chicago: late answers run into the night
	offers(m, tr, "ok")
	for _, r := range m.Due(start.Add(30 * 24 * time.Hour)) {
		_, p := m.lookup(r.From)
		lt := r.At.In(p.loc)
		mod := lt.Hour()*60 + lt.Minute()
		if mod < m.awake[0] || mod >= m.awake[1]+0 && mod > m.awake[1] {
			t.Errorf("answer at %s local, outside waking hours", lt.Format("15:04"))
		}
	}
}

func TestMindChange(t *testing.T) {
	t.Parallel()
	tr := truth(t, 2000, 13)
	p := DefaultParams()
	for k := range p.MindChange {
		p.MindChange[k] = 1 // everyone listened to changes their mind
	}
	p.Reply.Max, p.Stop = 1, 0
	m, _ := model(t, tr, p, 2)
	ask := map[string]string{"1": "cost", "2": "no_need", "3": "distrust_privacy", "4": "no_internet_device", "5": "no_time"}
	for to, a := range m.pop.byAddr {
		ps := &m.people[a.person]
		ps.declined, ps.offered = true, 1
		if a.kind != rapport.ContactPhone || a.status != "ok" || a.lineType != "mobile" {
			continue
		}
		m.Behave(channel.Message{ID: "q", Channel: rapport.ChannelSMS, To: to, Choices: ask})
		m.Behave(channel.Message{ID: "a", Channel: rapport.ChannelSMS, To: to, Body: "We can help with that."}) // the answer to the reason
		if ps.listened {
			m.Behave(channel.Message{ID: "r", Channel: rapport.ChannelSMS, To: to, Choices: offer})
		}
	}
	if s := m.Stats(); s.MindChanges == 0 || s.Declines != 0 {
		t.Errorf("with mind_change 1, stats %v: want minds changed and no decline at the re-offer", s)
	}
}

func TestWorld(t *testing.T) {
	t.Parallel()
	tr := truth(t, 3000, 17)
	m, _ := model(t, tr, DefaultParams(), 5)
	a, b := m.World(start, 90), m.World(start, 90)
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Fatalf("world not reproducible or empty (%d events)", len(a))
	}
	var bookings int
	var want float64
	factor := DefaultParams().World.BookingFactor
	for _, p := range m.people {
		want += 1 - math.Exp(-p.truth.Traits.SpontaneousEngagement*factor*90/7)
	}
	for i, e := range a {
		if e.At.Before(start) || !e.At.Before(start.Add(91*24*time.Hour)) || (i > 0 && e.At.Before(a[i-1].At)) {
			t.Fatalf("event %d at %v: outside the window or out of order", i, e.At)
		}
		if e.Kind == Booking {
			bookings++
		}
	}
	within(t, "bookings per person", float64(bookings)/float64(len(m.people)), want/float64(len(m.people)), 0.02)
}

func TestParseParams(t *testing.T) {
	t.Parallel()
	if _, err := ParseParams("ok.yaml", []byte("stop: 0.02\n")); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"stpo: 0.02\n", "stop: 2\n", "delay: {awake_from: \"22:00\", awake_until: \"07:00\"}\n", "reply: {channel: {sms: 1}}\n"} {
		if _, err := ParseParams("bad.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "bad.yaml") {
			t.Errorf("%q: error %v, want one naming the file", bad, err)
		}
	}
}

// A model file is read from wherever a user points --model: a nested-alias
// document must fail at once, not expand.
func TestParseParamsRefusesAliases(t *testing.T) {
	t.Parallel()
	doc := "x: &a [1,1,1,1,1,1,1,1,1]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nz: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nstop: 0.02\n"
	_, err := ParseParams("laughs.yaml", []byte(doc))
	if err == nil || !strings.Contains(err.Error(), "laughs.yaml") || !strings.Contains(err.Error(), "anchors and aliases are not allowed") {
		t.Fatalf("error %v, want one naming the file and refusing aliases", err)
	}
}

func FuzzParseParams(f *testing.F) {
	f.Add([]byte("stop: 0.02\n"))
	f.Add([]byte("reply: {max: 0.5}\nmind_change: {cost: 1}\n"))
	f.Add(defaultModel)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseParams("fuzz.yaml", data)
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("parsed params fail validation: %v", err)
		}
	})
}
