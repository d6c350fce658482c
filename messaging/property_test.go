package messaging_test

// Property tests of the whole pipeline on a real SQLite database, with
// pgregory.net/rapid.
//
// Cost: each check drives the real pipeline (River jobs, transactions,
// simulated time), some tens of milliseconds per step. One database serves
// every check of a property (fresh patients per check; the invariants look
// only at the check's own patients and messages), and rapid's default of
// 100 checks is lowered to propertyChecks — unless -rapid.checks or
// RAPID_CHECKS says otherwise — and by rapid itself to a fifth with -short.

import (
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// propertyChecks is the number of checks per property when not told.
const propertyChecks = 10

var rapidChecksOnce sync.Once

// fewerChecks sets rapid's check count to propertyChecks unless the run
// asked for a number. Every property test calls it before rapid.Check, so
// the flag is set before any check reads it.
func fewerChecks() {
	rapidChecksOnce.Do(func() {
		if os.Getenv("RAPID_CHECKS") != "" {
			return
		}
		set := false
		flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
		if !set {
			_ = flag.Set("rapid.checks", strconv.Itoa(propertyChecks))
		}
	})
}

// sendLog records, for every message the simulator accepted, the clock at
// the moment it was sent.
type sendLog struct {
	mu sync.Mutex
	at map[rapport.MessageID]time.Time
}

func (l *sendLog) note(id string, t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.at[rapport.MessageID(id)] = t
}

func (l *sendLog) get(id rapport.MessageID) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t, ok := l.at[id]
	return t, ok
}

var numbers struct {
	sync.Mutex
	n int
}

// freshNumber returns a phone number no other patient of the test run has.
func freshNumber() string {
	numbers.Lock()
	defer numbers.Unlock()
	numbers.n++
	return fmt.Sprintf("+1737%07d", 2000000+numbers.n)
}

var (
	channels = []rapport.Channel{rapport.ChannelSMS, rapport.ChannelVoice, rapport.ChannelEmail}
	purposes = []rapport.Purpose{rapport.PurposeCare, rapport.PurposeOutreach}
)

// TestPropertyConsent: after an opt-out on a channel for a purpose, nothing
// but the opt-out's own confirmation reaches the patient there until they
// opt back in. Actions are STOP and START texts through the inbound path,
// staff-recorded decisions on any channel and purpose, sends on random
// channels and purposes, and clock moves within a few days. The ledger
// orders consents and sends: at each message.sent, the latest consent
// decision recorded before it for the message's channel and purpose must not
// be an opt-out, unless the message is a compliance message.
//
// Opt-outs are also stored without being processed yet (their job runs at
// a later step), and the third patient shares the first one's number: from
// the moment such a STOP is stored until it is processed, no text and no
// outreach call but a compliance message may reach its number, whoever
// the message is for — unless a START from the number is processed in the
// meantime: its owner opted back in.
func TestPropertyConsent(t *testing.T) {
	t.Parallel()
	fewerChecks()
	h := setup(t, store.SQLite)
	check := 0
	rapid.Check(t, func(rt *rapid.T) {
		check++
		type person struct {
			p   *rapport.Patient
			num string
		}
		var people []person
		for range 2 {
			num := freshNumber()
			people = append(people, person{h.patient("en", mobile(num), email(fmt.Sprintf("p%s@example.org", num[1:]))), num})
		}
		shared := people[0].num
		people = append(people, person{h.patient("en", mobile(shared), email(fmt.Sprintf("q%s@example.org", shared[1:]))), shared})
		// pending are opt-outs stored and not yet processed, each with the
		// count of messages the simulator had taken when it was stored and,
		// once a START from its number has been processed after it, the
		// count then: the owner opted back in, which ends the wait.
		type pendingStop struct {
			in           *rapport.Inbound
			sentN, until int
		}
		var pending []pendingStop
		processFirst := func() {
			w := pending[0]
			pending = pending[1:]
			sent := h.sim.Sent()
			if w.until >= 0 {
				sent = sent[:w.until]
			}
			for _, sm := range sent[w.sentN:] {
				if sm.To != w.in.From {
					continue
				}
				m := h.message(rapport.MessageID(sm.ID))
				if !m.Compliance && (m.Channel == rapport.ChannelSMS || (m.Channel == rapport.ChannelVoice && m.Purpose == rapport.PurposeOutreach)) {
					rt.Fatalf("%s message %q for %s sent while %q from %s waited to be processed", m.Channel, m.Body, m.Purpose, w.in.Body, w.in.From)
				}
			}
			h.process(w.in)
			h.idle()
		}
		steps := rapid.IntRange(2, 10).Draw(rt, "steps")
		for i := range steps {
			who := people[rapid.IntRange(0, len(people)-1).Draw(rt, "patient")]
			send := func() {
				req := messaging.Request{PatientID: who.p.ID, Purpose: rapid.SampledFrom(purposes).Draw(rt, "purpose"),
					Content: en(fmt.Sprintf("check %d step %d", check, i))}
				req.Urgent = req.Purpose == rapport.PurposeCare && rapid.Bool().Draw(rt, "urgent") // only care may be urgent
				if k := rapid.IntRange(0, len(channels)).Draw(rt, "channel"); k < len(channels) {
					req.Channels = []rapport.Channel{channels[k]}
				}
				h.send(req)
				h.idle()
			}
			switch rapid.IntRange(0, 6).Draw(rt, "action") {
			case 5:
				in := h.storeInbound(who.num, rapid.SampledFrom([]string{"STOP", "Alto!", "unsubscribe", "CANCEL"}).Draw(rt, "pending stop"))
				pending = append(pending, pendingStop{in, len(h.sim.Sent()), -1})
				// and a message for someone, often at that number, while it waits
				who = people[rapid.IntRange(0, len(people)-1).Draw(rt, "patient")]
				send()
			case 6:
				if len(pending) > 0 {
					processFirst()
				}
			case 0:
				h.reply(rapport.ChannelSMS, who.num, rapid.SampledFrom([]string{"STOP", "stop", "ALTO", "Parar", "unsubscribe"}).Draw(rt, "stop"))
			case 1:
				for i := range pending {
					if pending[i].in.From == who.num && pending[i].until < 0 {
						pending[i].until = len(h.sim.Sent())
					}
				}
				h.reply(rapport.ChannelSMS, who.num, rapid.SampledFrom([]string{"START", "yes", "UNSTOP", "inicio"}).Draw(rt, "start"))
			case 2:
				c := rapport.Consent{PatientID: who.p.ID, Channel: rapid.SampledFrom(channels).Draw(rt, "channel"), Purpose: rapid.SampledFrom(purposes).Draw(rt, "purpose"),
					Decision: rapid.SampledFrom([]rapport.ConsentDecision{rapport.OptOut, rapport.OptIn}).Draw(rt, "decision"), Source: rapport.SourceStaff}
				h.tx(func(tx *store.Tx) error { return tx.RecordConsent(h.ctx, &c) })
			case 3:
				send()
			case 4:
				h.advance(time.Duration(rapid.IntRange(1, 3*24*60).Draw(rt, "minutes")) * time.Minute)
			}
		}
		h.advance(2 * 24 * time.Hour) // let what waits for quiet hours and caps go
		for len(pending) > 0 {
			processFirst()
		}
		h.advance(2 * 24 * time.Hour) // and what waited for those opt-outs

		sentIDs := map[string]bool{}
		for _, m := range h.sim.Sent() {
			sentIDs[m.ID] = true
		}
		for _, who := range people {
			evs, err := h.db.FindEvents(h.ctx, rapport.EventFilter{PatientID: who.p.ID, Limit: 100000})
			if err != nil {
				rt.Fatal(err)
			}
			type key struct {
				ch rapport.Channel
				pu rapport.Purpose
			}
			state := map[key]string{}
			for _, e := range evs {
				switch e.Kind {
				case rapport.EventConsentRecorded:
					var c struct{ Purpose, Decision string }
					if err := json.Unmarshal(e.Payload, &c); err != nil {
						rt.Fatal(err)
					}
					state[key{e.Channel, rapport.Purpose(c.Purpose)}] = c.Decision
				case rapport.EventMessageSent:
					var s struct {
						Message rapport.MessageID `json:"message"`
					}
					if err := json.Unmarshal(e.Payload, &s); err != nil {
						rt.Fatal(err)
					}
					m := h.message(s.Message)
					if !sentIDs[string(m.ID)] {
						rt.Fatalf("ledger says %s was sent; the simulator never got it", m.ID)
					}
					delete(sentIDs, string(m.ID))
					if !m.Compliance && state[key{m.Channel, m.Purpose}] == string(rapport.OptOut) {
						rt.Fatalf("%s message %q for %s sent after an opt-out (event %d)", m.Channel, m.Body, m.Purpose, e.Seq)
					}
				}
			}
		}
	})
}

// zones are patient time zones for the quiet-hours property: US zones with
// and without daylight saving, and one in Europe (which changes on other dates).
var zones = []string{"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"America/Anchorage", "Pacific/Honolulu", "Europe/Madrid"}

// TestPropertyQuietHours: no message other than an urgent care or compliance
// one reaches a patient outside 08:00–21:00 on their wall clock. Requests
// come at random times (the clock starts before the US spring-forward and
// moves on across checks), with random requested times, purposes (outreach
// is capped) and urgency. The clock is moved in random steps but never past
// the next planned send, as real time would not skip it; what the property
// then tests is the plan and the job schedule, not the size of a step.
func TestPropertyQuietHours(t *testing.T) {
	t.Parallel()
	fewerChecks()
	h := setup(t, store.SQLite)
	h.clock.Set(time.Date(2026, 3, 6, 3, 17, 0, 0, time.UTC))
	log := &sendLog{at: map[rapport.MessageID]time.Time{}}
	h.sim.Behave = func(m channel.Message) (channel.Result, error) {
		log.note(m.ID, h.clock.Now())
		return channel.Result{ProviderID: "Q" + m.ID, Status: string(rapport.MessageDelivered)}, nil
	}
	rapid.Check(t, func(rt *rapid.T) {
		h.advance(time.Duration(rapid.IntRange(0, 3*24*60).Draw(rt, "start offset minutes")) * time.Minute)
		n := rapid.IntRange(1, 3).Draw(rt, "patients")
		var pts []*rapport.Patient
		for range n {
			zone := rapid.SampledFrom(zones).Draw(rt, "zone")
			p := &rapport.Patient{Given: "Ana", Family: "Ruiz", Language: "es", TimeZone: zone,
				Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: "x", Value: freshNumber(), Use: rapport.UseMobile,
					LineType: rapport.LineMobile, Status: rapport.StatusValid, Source: rapport.SourceImport}}}
			h.tx(func(tx *store.Tx) error { return tx.CreatePatients(h.ctx, []*rapport.Patient{p}) })
			pts = append(pts, p)
		}
		var mine []rapport.MessageID
		steps := rapid.IntRange(1, 8).Draw(rt, "steps")
		for range steps {
			if rapid.IntRange(0, 2).Draw(rt, "action") > 0 {
				req := messaging.Request{PatientID: rapid.SampledFrom(pts).Draw(rt, "patient").ID, Purpose: rapid.SampledFrom(purposes).Draw(rt, "purpose"),
					Content: en("hello")}
				req.Urgent = req.Purpose == rapport.PurposeCare && rapid.IntRange(0, 7).Draw(rt, "urgent") == 0 // only care may be urgent
				if off := rapid.IntRange(-60, 48*60).Draw(rt, "not before minutes"); off > 0 {
					req.NotBefore = h.clock.Now().Add(time.Duration(off) * time.Minute)
				}
				m := h.send(req)
				mine = append(mine, m.ID)
				h.idle()
			} else {
				advanceNoFurtherThanDue(h, mine, time.Duration(rapid.IntRange(1, 24*60).Draw(rt, "minutes"))*time.Minute)
			}
		}
		for range 100 { // drain: every planned send happens within this check
			if !advanceNoFurtherThanDue(h, mine, 24*time.Hour) {
				break
			}
		}
		for _, id := range mine {
			m := h.message(id)
			if m.Status == rapport.MessageQueued {
				rt.Fatalf("message %s still queued for %v", id, m.NotBefore)
			}
			at, ok := log.get(id)
			if !ok || m.SkipsQuietHours() {
				continue
			}
			var zone string
			for _, p := range pts {
				if p.ID == m.PatientID {
					zone = p.TimeZone
				}
			}
			loc, err := time.LoadLocation(zone)
			if err != nil {
				rt.Fatal(err)
			}
			if !messaging.DefaultPolicy().Quiet.Allowed(at, loc) {
				rt.Fatalf("%s message sent at %v local (%s), planned for %v", m.Purpose, at.In(loc), zone, m.NotBefore.In(loc))
			}
		}
	})
}

// advanceNoFurtherThanDue moves the clock by d, or less, to the earliest
// planned time of the queued messages among ids when that comes first. It
// reports whether any of them was still queued.
func advanceNoFurtherThanDue(h *harness, ids []rapport.MessageID, d time.Duration) bool {
	h.t.Helper()
	now := h.clock.Now()
	queued := false
	for _, id := range ids {
		m := h.message(id)
		if m.Status != rapport.MessageQueued {
			continue
		}
		queued = true
		if wait := m.NotBefore.Sub(now); wait < d {
			d = max(wait, 0)
		}
	}
	h.advance(d)
	return queued
}

// TestPropertyNoDuplicates: with transient provider failures (some with
// Retry-After), no message is accepted by the provider twice, and every
// message ends delivered, or failed once its deadline passed without the
// provider ever accepting it.
func TestPropertyNoDuplicates(t *testing.T) {
	t.Parallel()
	fewerChecks()
	h := setup(t, store.SQLite)
	h.p.Policy.GiveUpAfter = 2 * time.Hour // short deadlines keep each check short
	var (
		mu       sync.Mutex
		attempts = map[string]int{}
		accepted = map[string]int{}
		seed     uint64
		failPct  int
	)
	h.sim.Behave = func(m channel.Message) (channel.Result, error) {
		mu.Lock()
		defer mu.Unlock()
		attempts[m.ID]++
		f := fnv.New64a()
		fmt.Fprintf(f, "%d/%s/%d", seed, m.Body, attempts[m.ID])
		if r := f.Sum64(); int(r%100) < failPct {
			ce := &channel.Error{Kind: channel.ErrRetryable, Code: "20429", Msg: "try later"}
			if r&(1<<20) != 0 {
				ce.RetryAfter = time.Duration(r>>32%600) * time.Second
			}
			return channel.Result{}, ce
		}
		accepted[m.ID]++
		return channel.Result{ProviderID: "D" + m.ID, Status: string(rapport.MessageDelivered)}, nil
	}
	check := 0
	rapid.Check(t, func(rt *rapid.T) {
		check++
		mu.Lock()
		seed, failPct = rapid.Uint64().Draw(rt, "seed"), rapid.IntRange(0, 90).Draw(rt, "fail percent")
		mu.Unlock()
		var pts []*rapport.Patient
		for range rapid.IntRange(1, 3).Draw(rt, "patients") {
			pts = append(pts, h.patient("en", mobile(freshNumber())))
		}
		var reqs []messaging.Request
		for k := range rapid.IntRange(1, 12).Draw(rt, "messages") {
			reqs = append(reqs, messaging.Request{PatientID: rapid.SampledFrom(pts).Draw(rt, "patient").ID, Purpose: rapport.PurposeCare, Urgent: true,
				Content: en(fmt.Sprintf("check %d message %d", check, k))})
		}
		var msgs []*rapport.Message
		h.tx(func(tx *store.Tx) (err error) { msgs, err = h.p.SendMany(h.ctx, tx, reqs); return err })
		h.idle()
		step := 10 * time.Second
		for range 40 {
			done := true
			for _, m := range msgs {
				if !h.message(m.ID).Status.Final() {
					done = false
				}
			}
			if done {
				break
			}
			h.advance(step)
			step = min(2*step, time.Hour)
		}
		mu.Lock()
		defer mu.Unlock()
		for _, m := range msgs {
			got := h.message(m.ID)
			n := accepted[string(m.ID)]
			switch {
			case n > 1:
				rt.Fatalf("message %s accepted %d times (%d attempts)", m.ID, n, attempts[string(m.ID)])
			case got.Status == rapport.MessageDelivered && n == 1:
			case got.Status == rapport.MessageFailed && n == 0 && !got.UpdatedAt.Before(got.Deadline):
			default:
				rt.Fatalf("message %s: status %s (%s) at %v, deadline %v, accepted %d times in %d attempts",
					m.ID, got.Status, got.StatusReason, got.UpdatedAt, got.Deadline, n, attempts[string(m.ID)])
			}
		}
	})
}

// TestRetryRespectsQuietHours: a message that fails for a while just before
// 21:00 must not be retried into the night; its retry waits for 08:00.
func TestRetryRespectsQuietHours(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		h.clock.Set(time.Date(2026, 3, 4, 2, 58, 0, 0, time.UTC)) // 20:58 in Chicago
		var sentAt []time.Time
		var mu sync.Mutex
		h.sim.Behave = func(m channel.Message) (channel.Result, error) {
			mu.Lock()
			defer mu.Unlock()
			sentAt = append(sentAt, h.clock.Now())
			if len(sentAt) == 1 {
				return channel.Result{}, &channel.Error{Kind: channel.ErrRetryable, Code: "20429", RetryAfter: 30 * time.Minute, Msg: "too many requests"}
			}
			return channel.Result{ProviderID: "R" + m.ID, Status: string(rapport.MessageDelivered)}, nil
		}
		p := h.patient("en", mobile("+15125550801"))
		m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Content: en("Your lab results are in")})
		h.idle()
		for range 12 {
			h.advance(time.Hour)
			if h.message(m.ID).Status.Final() {
				break
			}
		}
		loc, _ := time.LoadLocation("America/Chicago")
		mu.Lock()
		defer mu.Unlock()
		for i, at := range sentAt {
			if !messaging.DefaultPolicy().Quiet.Allowed(at, loc) {
				t.Errorf("attempt %d at %v local, in quiet hours", i+1, at.In(loc).Format("15:04"))
			}
		}
		if got := h.message(m.ID); got.Status != rapport.MessageDelivered {
			t.Errorf("message: %+v", got)
		}
	})
}
