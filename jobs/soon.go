package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/rapporthq/rapport"
)

// schedulerLookAhead is how far ahead of its time River's scheduler makes a
// scheduled job available (its interval, 5 s in River v0.51). An available
// job is still not fetched before its scheduled time.
const schedulerLookAhead = 5 * time.Second

// soonAvailable inserts a job due within schedulerLookAhead as available
// with its scheduled time, the state River's scheduler would give it on its
// next pass. Without it a job inserted less than a pass ahead of its time
// (a wake 100 ms away, a launch at now) waits for that pass: up to 5 s late,
// which made a campaign's first message leave 3-4 s after launch.
type soonAvailable struct {
	river.MiddlewareDefaults
	clock rapport.Clock
}

// InsertMany changes the state of the soon-due jobs, then inserts.
func (m *soonAvailable) InsertMany(ctx context.Context, params []*rivertype.JobInsertParams, doInner func(context.Context) ([]*rivertype.JobInsertResult, error)) ([]*rivertype.JobInsertResult, error) {
	horizon := m.clock.Now().Add(schedulerLookAhead)
	for _, p := range params {
		if p.State == rivertype.JobStateScheduled && p.ScheduledAt != nil && !p.ScheduledAt.After(horizon) {
			p.State = rivertype.JobStateAvailable
		}
	}
	return doInner(ctx)
}
