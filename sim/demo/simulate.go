package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/fhir"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/sim/behaviour"
)

const (
	// replyQuantum lets answers and world events wait a little so that
	// those close together are taken in one step of the clock. Jobs are
	// never late: the clock stops at every job's time, so a message
	// scheduled for 20:59 is not sent at 21:05.
	replyQuantum = 20 * time.Minute
	// wakeQuantum lets journey wake-ups (ends of waits and delays) run up
	// to this late, so that those close together share a step; the
	// messages they queue are still planned for quiet hours at that time.
	wakeQuantum = 30 * time.Minute
	// worldQuantum does the same for bookings and visits, which the EHR
	// reports in batches anyway (and each import has a fixed cost).
	worldQuantum = 12 * time.Hour
	// maxStep bounds a step, so pollers that were left out of NextDue
	// still run and the progress moves.
	maxStep = 24 * time.Hour
	// idleTimeout is how long, in wall time, a step may go without any job
	// returning before the run is declared stuck. (A step's length grows
	// with the population: launching a 100,000-patient campaign takes
	// minutes, each job returning well within this.)
	idleTimeout = 2 * time.Minute
)

// Job kinds, by how the clock treats them: it stops exactly for exact
// ones; wake-ups may run up to wakeQuantum late. The trigger poller,
// which reschedules itself every simulated minute, does not stop the
// clock: it runs at every step.
var (
	exactKinds = []string{messaging.SendArgs{}.Kind(), messaging.ProcessArgs{}.Kind(), journey.LaunchArgs{}.Kind()}
	wakeKinds  = []string{journey.WakeArgs{}.Kind()}
)

// simulate moves the clock from start to end: at each step it feeds the
// answers and world events due, lets the queue finish everything due,
// then jumps to the next job's time (or the next answer, a little later).
func (w *world) simulate(ctx context.Context, end time.Time) error {
	events := w.model.World(w.start, w.cfg.Days)
	wi, day := 0, 0
	for {
		now := w.clock.Now()
		var due []behaviour.WorldEvent
		for wi < len(events) && !events[wi].At.After(now) {
			due = append(due, events[wi])
			wi++
		}
		due = append(due, w.model.DueActions(now)...)
		err := w.step(ctx, func(ctx context.Context) error {
			if err := w.happen(ctx, due); err != nil {
				return err
			}
			// Pharmacy fills stop no clock: they come with the next step, at
			// most maxStep later, as a nightly sync would bring them.
			if err := w.dispense(ctx, w.model.DueFills(now)); err != nil {
				return err
			}
			if err := w.remindRefills(ctx, now); err != nil {
				return err
			}
			return w.answer(ctx, w.model.Due(now))
		})
		if err != nil {
			return err
		}
		w.steps++
		if d := int(now.Sub(w.start) / (24 * time.Hour)); d > day || !now.Before(end) {
			day = min(d, w.cfg.Days)
			if w.cfg.Progress != nil {
				w.cfg.Progress(w.strategy, day, w.cfg.Days)
			}
		}
		if !now.Before(end) {
			return nil
		}
		next := earliest(end, now.Add(maxStep))
		// Jobs other than wake-ups run exactly on time (a send job at 20:59
		// must not run at 21:05); wake-ups, answers and world events may
		// wait a little so that those close together share a step.
		if t, ok, err := w.q.NextDue(ctx, exactKinds...); err != nil {
			return err
		} else if ok && t.Before(next) {
			next = t
		}
		if t, ok, err := w.q.NextDue(ctx, wakeKinds...); err != nil {
			return err
		} else if ok {
			next = earliest(next, t.Add(wakeQuantum))
		}
		if t, ok := w.model.Next(); ok {
			next = earliest(next, t.Add(replyQuantum))
		}
		if wi < len(events) {
			next = earliest(next, events[wi].At.Add(worldQuantum))
		}
		if t, ok := w.model.NextAction(); ok {
			next = earliest(next, t.Add(worldQuantum))
		}
		if !next.After(now) {
			next = now.Add(time.Second)
		}
		w.clock.Set(next)
	}
}

// step makes the jobs due by now available, feeds the step's answers and
// events, and lets the queue work until it has nothing left to do.
//
// The due jobs are made available before the feed, not after: River may
// fetch a job while the simulation holds the queue, and a job fetched runs
// first once the queue is let. Fetched before or during the feed, it is
// then still the job due earliest, as it would be if fetched after, for a
// fed job is queued at this time, after every job already due. Made
// available only after the feed, a job due at this very time (a wait's
// end) ran before or after an answer fed at it (that answer's job) as
// River's polling fell: two 100,000-patient demos once differed by a
// patient.
func (w *world) step(ctx context.Context, feed func(context.Context) error) error {
	if _, err := w.q.ScheduleDue(ctx); err != nil {
		return err
	}
	if err := feed(ctx); err != nil {
		return err
	}
	return w.settle(ctx)
}

// settle makes due jobs available (those the feed queued for a time
// already past), lets them work and waits until the queue has nothing left
// to do at this time; it holds jobs back again before it returns, so that
// none starts while the clock moves and the next step is fed.
func (w *world) settle(ctx context.Context) error {
	if _, err := w.q.ScheduleDue(ctx); err != nil {
		return err
	}
	w.track.let()
	defer w.track.hold()
	deadline := time.Now().Add(idleTimeout)
	for {
		// While work is under way, wait for it to return rather than ask
		// the database; the queue is asked only when nothing is at work.
		working, changed := w.track.busy()
		n := working
		if working == 0 {
			var err error
			if n, err = w.track.unfinished(ctx, w.q.AnyUnfinished); err != nil {
				return err
			}
			if n == 0 {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return w.stuck(ctx, working)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
			deadline = time.Now().Add(idleTimeout)
		case <-time.After(time.Millisecond):
		}
	}
}

// stuck is the error of a step that waited idleTimeout for a job to
// return: it names the jobs it waited for, so that a run stuck at scale
// (once, at 100,000 patients) says why.
func (w *world) stuck(ctx context.Context, working int) error {
	var waiting []jobs.UnfinishedJob
	_, err := w.track.unfinished(ctx, func(ctx context.Context, done func(int64, int) bool) (int, error) {
		var err error
		waiting, err = w.q.UnfinishedJobs(ctx, done, 5)
		return len(waiting), err
	})
	names := make([]string, len(waiting))
	for i, j := range waiting {
		names[i] = j.String()
	}
	return errors.Join(fmt.Errorf("simulated %s: none of the %d jobs at work returned for %s; unfinished: %s",
		w.clock.Now().Format(time.RFC3339), working, idleTimeout, strings.Join(names, "; ")), err)
}

// answer feeds simulated answers through the pipeline's inbound path, as a
// provider's webhook would: texts and emails from the person's address,
// keypad digits naming the call.
func (w *world) answer(ctx context.Context, replies []behaviour.Reply) error {
	for _, r := range replies {
		if r.Channel == rapport.ChannelVoice {
			in := &rapport.Inbound{Channel: r.Channel, From: r.From, To: r.To, Body: r.Body, InReplyTo: rapport.MessageID(r.InReplyTo)}
			if _, err := w.p.Receive(ctx, in); err != nil {
				return fmt.Errorf("voice answer: %w", err)
			}
			continue
		}
		if _, err := simulator.Reply(ctx, w.p, r.Channel, r.From, r.To, r.Body); err != nil {
			return fmt.Errorf("%s answer: %w", r.Channel, err)
		}
	}
	return nil
}

// happen imports what people did, as the EHR would report it: a booked
// appointment, a finished visit, an enrolment after a yes.
func (w *world) happen(ctx context.Context, events []behaviour.WorldEvent) error {
	if len(events) == 0 {
		return nil
	}
	var b bytes.Buffer
	for _, e := range events {
		at := e.At.UTC()
		switch e.Kind {
		case behaviour.Booking:
			visit := at.AddDate(0, 0, 7)
			fmt.Fprintf(&b, `{"resourceType":"Appointment","id":"sim-booking-%s","status":"booked","description":"Booked by the patient",`+
				`"start":%q,"end":%q,"participant":[{"actor":{"reference":"Patient/%s"},"status":"accepted"}]}`+"\n",
				e.RecordID, visit.Format(time.RFC3339), visit.Add(20*time.Minute).Format(time.RFC3339), e.RecordID)
		case behaviour.Enrolment:
			// The fitting that enrols the patient, reported when it happened.
			fmt.Fprintf(&b, `{"resourceType":"Appointment","id":"sim-enrolment-%s","status":"fulfilled","description":"Remote blood-pressure monitoring: cuff fitting",`+
				`"start":%q,"end":%q,"participant":[{"actor":{"reference":"Patient/%s"},"status":"accepted"}]}`+"\n",
				e.RecordID, at.Format(time.RFC3339), at.Add(20*time.Minute).Format(time.RFC3339), e.RecordID)
		case behaviour.Visit:
			fmt.Fprintf(&b, `{"resourceType":"Encounter","id":"sim-visit-%s","status":"finished",`+
				`"class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},`+
				`"subject":{"reference":"Patient/%s"},"period":{"start":%q,"end":%q}}`+"\n",
				e.RecordID, e.RecordID, at.Add(-30*time.Minute).Format(time.RFC3339), at.Format(time.RFC3339))
		}
	}
	if _, err := w.ehr.ImportFHIRReader(ctx, &b, "simulated-events.ndjson", fhir.KindNDJSON); err != nil {
		return fmt.Errorf("import simulated events: %w", err)
	}
	return nil
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
