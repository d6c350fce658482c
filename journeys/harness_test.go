package journeys_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/internal/testworld"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/jobs/jobstest"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// start is a Tuesday, 15:00 UTC: 9:00 in Chicago, inside the hours
// messages may go out; whole days later it still is.
var start = time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// ourNumber is the clinic's SMS and voice number.
const ourNumber = testworld.OurNumber

// harness runs the shipped journeys on one fresh database with a manual
// clock, the real pipeline and queue, and the simulator channel.
type harness struct {
	t     *testing.T
	ctx   context.Context
	db    *store.DB
	clock *rapport.ManualClock
	q     *jobs.Queue
	p     *messaging.Pipeline
	e     *journey.Engine
	sim   *simulator.Simulator
}

func setup(t *testing.T, d store.Dialect) *harness {
	t.Helper()
	w := testworld.New(t, d, testworld.Options{Clock: rapport.NewManualClock(start), Journeys: true})
	return &harness{t: t, ctx: w.Ctx, db: w.DB, clock: w.Clock, q: w.Queue, p: w.Pipeline, e: w.Engine, sim: w.Sim}
}

// each runs fn on both databases, in parallel.
func each(t *testing.T, fn func(t *testing.T, h *harness)) {
	t.Parallel()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, setup(t, d))
		})
	}
}

func (h *harness) tx(fn func(tx *store.Tx) error) {
	h.t.Helper()
	if err := h.db.InTx(h.ctx, fn); err != nil {
		h.t.Fatal(err)
	}
}

// patient creates a patient speaking lang with the contact points.
func (h *harness) patient(given, lang string, cps ...rapport.ContactPoint) *rapport.Patient {
	h.t.Helper()
	for i := range cps {
		cps[i].Raw, cps[i].Status, cps[i].Source = cps[i].Value, rapport.StatusValid, rapport.SourceImport
	}
	p := &rapport.Patient{Given: given, Family: "Diaz", Language: lang, TimeZone: "America/Chicago", Contacts: cps}
	h.tx(func(tx *store.Tx) error { return tx.CreatePatients(h.ctx, []*rapport.Patient{p}) })
	return p
}

func mobile(v string) rapport.ContactPoint {
	return rapport.ContactPoint{Kind: rapport.ContactPhone, Value: v, Use: rapport.UseMobile, LineType: rapport.LineMobile}
}

func landline(v string) rapport.ContactPoint {
	return rapport.ContactPoint{Kind: rapport.ContactPhone, Value: v, Use: rapport.UseHome, LineType: rapport.LineLandline}
}

// enroll enrolls patients in a journey now.
func (h *harness) enroll(journeyID string, ps ...*rapport.Patient) {
	h.t.Helper()
	ids := make([]rapport.PatientID, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	h.tx(func(tx *store.Tx) error {
		_, err := h.e.Enroll(h.ctx, tx, journeyID, ids, journey.EnrollOptions{Trigger: "test"})
		return err
	})
	h.idle()
}

// idle waits until no job is due or running.
func (h *harness) idle() {
	h.t.Helper()
	jobstest.WaitIdle(h.t, h.ctx, h.q, 60*time.Second)
}

// advance moves the clock in steps of at most a day, letting due jobs run
// after each step, as time passes for real.
func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	jobstest.Advance(h.t, h.ctx, h.q, h.clock, d, day, 60*time.Second)
}

// sent returns the messages the simulator took for a number or address.
func (h *harness) sent(to string) []channel.Message {
	var out []channel.Message
	for _, m := range h.sim.Sent() {
		if m.To == to {
			out = append(out, m)
		}
	}
	return out
}

// lastSent is the last message sent to a number; it fails when there is none.
func (h *harness) lastSent(to string) channel.Message {
	h.t.Helper()
	ms := h.sent(to)
	if len(ms) == 0 {
		h.t.Fatalf("nothing sent to %s", to)
	}
	return ms[len(ms)-1]
}

// text makes the patient at from answer by SMS, and lets it be processed.
func (h *harness) text(from, body string) {
	h.t.Helper()
	if _, err := simulator.Reply(h.ctx, h.p, rapport.ChannelSMS, from, ourNumber, body); err != nil {
		h.t.Fatal(err)
	}
	h.idle()
}

// press answers a voice call with keypad digits, as the voice webhook does.
func (h *harness) press(m channel.Message, digits string) {
	h.t.Helper()
	if m.Channel != rapport.ChannelVoice {
		h.t.Fatalf("message %s to %s is a %s message, not a call", m.ID, m.To, m.Channel)
	}
	in := &rapport.Inbound{Channel: rapport.ChannelVoice, From: m.To, To: ourNumber, Body: digits, InReplyTo: rapport.MessageID(m.ID)}
	if _, err := h.p.Receive(h.ctx, in); err != nil {
		h.t.Fatal(err)
	}
	h.idle()
}

func (h *harness) events(pid rapport.PatientID, kind rapport.EventKind) []rapport.Event {
	h.t.Helper()
	evs, err := h.db.FindEvents(h.ctx, rapport.EventFilter{PatientID: pid, Kind: kind})
	if err != nil {
		h.t.Fatal(err)
	}
	return evs
}

// path is the steps a patient went through in a journey, from the ledger:
// the first step of each enrollment, then every journey.step, then the end
// step a journey.ended names (entering an end step writes no journey.step).
func (h *harness) path(pid rapport.PatientID, journeyID string) []string {
	h.t.Helper()
	evs, err := h.db.FindEvents(h.ctx, rapport.EventFilter{PatientID: pid})
	if err != nil {
		h.t.Fatal(err)
	}
	var steps []string
	for _, ev := range evs {
		if ev.Journey != journeyID || (ev.Kind != rapport.EventJourneyEnrolled && ev.Kind != rapport.EventJourneyStep && ev.Kind != rapport.EventJourneyEnded) {
			continue
		}
		var p struct{ Step string }
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			h.t.Fatal(err)
		}
		if ev.Kind == rapport.EventJourneyEnded && len(steps) > 0 && steps[len(steps)-1] == p.Step {
			continue // ended where the path already is
		}
		steps = append(steps, p.Step)
	}
	return steps
}

// stepsOf is the step each of a patient's events of kind in a journey
// names, in ledger order.
func (h *harness) stepsOf(pid rapport.PatientID, kind rapport.EventKind, journeyID string) []string {
	h.t.Helper()
	var steps []string
	for _, ev := range h.events(pid, kind) {
		var p struct{ Step string }
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			h.t.Fatal(err)
		}
		if ev.Journey == journeyID {
			steps = append(steps, p.Step)
		}
	}
	return steps
}

// outcome is one journey.outcome event's payload.
type outcome struct {
	Outcome  string `json:"outcome"`
	Reason   string `json:"reason"`
	Verbatim string `json:"verbatim"`
}

// outcomes are a patient's outcomes in a journey, in ledger order.
func (h *harness) outcomes(pid rapport.PatientID, journeyID string) []outcome {
	h.t.Helper()
	var out []outcome
	for _, ev := range h.events(pid, rapport.EventJourneyOutcome) {
		if ev.Journey != journeyID {
			continue
		}
		var o outcome
		if err := json.Unmarshal(ev.Payload, &o); err != nil {
			h.t.Fatal(err)
		}
		out = append(out, o)
	}
	return out
}

// wantPath checks a patient's path in a journey.
func (h *harness) wantPath(who string, p *rapport.Patient, journeyID, want string) {
	h.t.Helper()
	if got := strings.Join(h.path(p.ID, journeyID), " "); got != want {
		h.t.Errorf("%s in %s: path\n  %s\nwant\n  %s", who, journeyID, got, want)
	}
}

// wantOutcomes checks a patient's outcomes in a journey.
func (h *harness) wantOutcomes(who string, p *rapport.Patient, journeyID string, want ...outcome) {
	h.t.Helper()
	got := h.outcomes(p.ID, journeyID)
	if len(got) != len(want) {
		h.t.Errorf("%s in %s: outcomes %+v, want %+v", who, journeyID, got, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			h.t.Errorf("%s in %s: outcome %+v, want %+v", who, journeyID, got[i], want[i])
		}
	}
}

// enrollments are a patient's enrollments in a journey.
func (h *harness) enrollments(p *rapport.Patient, journeyID string) []*rapport.Enrollment {
	h.t.Helper()
	all, err := h.db.FindPatientEnrollments(h.ctx, p.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []*rapport.Enrollment
	for _, en := range all {
		if en.Journey == journeyID {
			out = append(out, en)
		}
	}
	return out
}

// inbox lists a patient's staff inbox items.
func (h *harness) inbox(p *rapport.Patient) []*rapport.InboxItem {
	h.t.Helper()
	items, err := h.db.FindInboxItems(h.ctx, rapport.InboxFilter{Limit: 1000})
	if err != nil {
		h.t.Fatal(err)
	}
	var out []*rapport.InboxItem
	for _, it := range items {
		if it.PatientID == p.ID {
			out = append(out, it)
		}
	}
	return out
}

type channelMessage = channel.Message
