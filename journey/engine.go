package journey

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// Engine runs journeys: it enrolls patients, advances enrollments through
// their steps with jobs, takes replies from the messaging pipeline (it is
// the pipeline's ReplyHandler) and launches campaigns.
type Engine struct {
	DB       *store.DB
	Queue    *jobs.Queue
	Pipeline *messaging.Pipeline
	Clock    rapport.Clock
	// TimeScale divides every wait and delay of every journey: 1440 turns
	// a day into a minute, for trying journeys in real time (serve's
	// RAPPORT_TIME_SCALE). Zero or one means real durations.
	TimeScale float64
	// Logger logs journeys marked broken (slog.Default if nil).
	Logger *slog.Logger
	// LaunchPages, when set, is how many pages of a campaign's segment a
	// launch job enrolls before it hands over to the next job, in place of
	// the real-time launchBudget. A simulation whose report its seed fixes
	// sets it: split by the machine's speed, a launch interleaved its pages
	// with the sends differently from run to run (the demo at 100,000).
	LaunchPages int

	mu       sync.RWMutex
	versions map[string]map[int]*Definition
	broken   map[string]Broken // by id@version
}

// Register validates definitions and saves them as versions of their
// journeys. A version already saved with other content is an ECONFLICT: a
// changed journey needs a new version number. A scheduled journey gets its
// schedule job (one per journey, however often it is registered).
func (e *Engine) Register(ctx context.Context, defs ...*Definition) error {
	for _, d := range defs {
		if err := e.DB.SaveJourneyVersion(ctx, d.ID, d.Version, string(d.Source)); err != nil {
			return fmt.Errorf("journey %s (%s): %w", d.ID, d.File, err)
		}
		e.add(d)
		if latest, _ := e.Definition(d.ID, 0); latest == d && d.Trigger.Schedule != nil {
			if _, err := e.Queue.Insert(ctx, river.InsertManyParams{Args: ScheduleArgs{Journey: d.ID}, InsertOpts: scheduleOpts(time.Time{})}); err != nil {
				return fmt.Errorf("schedule journey %s: %w", d.ID, err)
			}
		}
	}
	return nil
}

// Load reads every stored journey version, so enrollments started on an
// older version finish on it after a restart.
func (e *Engine) Load(ctx context.Context) error {
	vs, err := e.DB.FindJourneyVersions(ctx)
	if err != nil {
		return err
	}
	for _, v := range vs {
		d, err := Parse(fmt.Sprintf("%s@%d", v.Journey, v.Version), []byte(v.Definition))
		if err != nil {
			return fmt.Errorf("stored journey %s version %d: %w", v.Journey, v.Version, err)
		}
		e.add(d)
	}
	return nil
}

func (e *Engine) add(d *Definition) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.versions == nil {
		e.versions = map[string]map[int]*Definition{}
	}
	if e.versions[d.ID] == nil {
		e.versions[d.ID] = map[int]*Definition{}
	}
	e.versions[d.ID][d.Version] = d
}

// Definition returns a journey's version, or its latest for version 0.
func (e *Engine) Definition(id string, version int) (*Definition, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	vs := e.versions[id]
	if version == 0 {
		for v := range vs {
			version = max(version, v)
		}
	}
	if d := vs[version]; d != nil {
		return d, nil
	}
	return nil, rapport.Errorf(rapport.ENOTFOUND, "journey %s version %d not found", id, version)
}

// Journeys lists the latest version of every journey, by id.
func (e *Engine) Journeys() []*Definition {
	e.mu.RLock()
	ids := make([]string, 0, len(e.versions))
	for id := range e.versions {
		ids = append(ids, id)
	}
	e.mu.RUnlock()
	sort.Strings(ids)
	out := make([]*Definition, 0, len(ids))
	for _, id := range ids {
		if d, err := e.Definition(id, 0); err == nil {
			out = append(out, d)
		}
	}
	return out
}

// scaled is d divided by the engine's time scale.
func (e *Engine) scaled(d time.Duration) time.Duration {
	if e.TimeScale <= 1 {
		return d
	}
	return time.Duration(float64(d) / e.TimeScale)
}
