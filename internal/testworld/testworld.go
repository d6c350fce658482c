// Package testworld wires rapport's real components for tests: a fresh
// database on a manual clock, the messaging pipeline with the simulator as
// every channel, a started job queue and, when asked, the journey engine
// with the shipped journeys.
package testworld

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/journeys"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/store"
)

// The clinic of every test world.
const (
	OrgName   = "Valley Clinic"
	OrgPhone  = "+15125550100"
	OurNumber = "+15125550199" // SMS and voice sender
	OurEmail  = "care@valley.example"
)

// Options say what world to build.
type Options struct {
	// Clock is the world's clock (required).
	Clock *rapport.ManualClock
	// Poll is the queue's poll interval (0: 20 ms); MaxWorkers its
	// concurrency (0: the queue's default).
	Poll       time.Duration
	MaxWorkers int
	// Journeys adds the journey engine, its workers and the shipped
	// journeys (plus Extra definitions), as the pipeline's reply handler.
	Journeys bool
	Extra    []*journey.Definition
	// Held leaves the queue stopped: jobs wait until the test works them
	// by calling a worker itself.
	Held bool
}

// World is the wired components; the queue stops when the test ends.
type World struct {
	Ctx      context.Context
	DB       *store.DB
	Clock    *rapport.ManualClock
	Queue    *jobs.Queue
	Pipeline *messaging.Pipeline
	Engine   *journey.Engine // nil without Options.Journeys
	Sim      *simulator.Simulator
}

// New builds a world on a fresh database of dialect d.
func New(tb testing.TB, d store.Dialect, o Options) *World {
	tb.Helper()
	w := &World{Ctx: context.Background(), Clock: o.Clock, Sim: simulator.New()}
	w.DB = dbtest.Open(tb, d, w.Clock)
	w.Pipeline = &messaging.Pipeline{DB: w.DB, Clock: w.Clock, Policy: messaging.DefaultPolicy(), Keywords: rules.DefaultCatalogue(),
		Org: messaging.Org{Name: OrgName, Phone: OrgPhone},
		Senders: map[rapport.Channel]*messaging.Sender{
			rapport.ChannelSMS:   {Sender: w.Sim, From: OurNumber},
			rapport.ChannelVoice: {Sender: w.Sim, From: OurNumber},
			rapport.ChannelEmail: {Sender: w.Sim, From: OurEmail},
		}}
	workers := river.NewWorkers()
	river.AddWorker(workers, messaging.NewSendWorker(w.Pipeline))
	river.AddWorker(workers, messaging.NewProcessWorker(w.Pipeline))
	if o.Journeys {
		w.Engine = &journey.Engine{DB: w.DB, Pipeline: w.Pipeline, Clock: w.Clock}
		w.Pipeline.Replies = w.Engine
		river.AddWorker(workers, journey.NewWakeWorker(w.Engine))
		river.AddWorker(workers, journey.NewLaunchWorker(w.Engine))
		river.AddWorker(workers, journey.NewTriggerWorker(w.Engine))
		river.AddWorker(workers, journey.NewScheduleWorker(w.Engine))
	}
	poll := o.Poll
	if poll == 0 {
		poll = 20 * time.Millisecond
	}
	q, err := jobs.New(w.DB, jobs.Config{Workers: workers, PollInterval: poll, TestOnly: true, MaxWorkers: o.MaxWorkers})
	if err != nil {
		tb.Fatal(err)
	}
	w.Queue, w.Pipeline.Queue = q, q
	if w.Engine != nil {
		w.Engine.Queue = q
		defs, err := journeys.Load()
		if err != nil {
			tb.Fatal(err)
		}
		if err := w.Engine.Register(w.Ctx, append(defs, o.Extra...)...); err != nil {
			tb.Fatal(err)
		}
	}
	if o.Held {
		return w
	}
	if err := q.Start(w.Ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { q.Stop(context.Background()) })
	return w
}
