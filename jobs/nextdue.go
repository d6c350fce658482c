package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// NextDue returns the earliest time a job waits for: the scheduled time of
// the first scheduled, retryable or available job, leaving out the kinds in
// skip (pollers that reschedule themselves every minute and would make a
// simulation crawl). ok is false when no job waits. A simulation moves its
// manual clock to it, so no simulated minute passes with nothing to do and
// no job is due unseen.
func (q *Queue) NextDue(ctx context.Context, skip ...string) (at time.Time, ok bool, err error) {
	switch c := q.c.(type) {
	case riverClient[*sql.Tx]:
		at, ok, err = nextDue(ctx, c.c, skip)
	case riverClient[pgx.Tx]:
		at, ok, err = nextDue(ctx, c.c, skip)
	default:
		return time.Time{}, false, fmt.Errorf("next due job: unknown client %T", q.c)
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due job: %w", err)
	}
	return at, ok, nil
}

func nextDue[TTx any](ctx context.Context, c *river.Client[TTx], skip []string) (time.Time, bool, error) {
	params := river.NewJobListParams().
		States(rivertype.JobStateScheduled, rivertype.JobStateRetryable, rivertype.JobStateAvailable).
		OrderBy(river.JobListOrderByScheduledAt, river.SortOrderAsc).First(len(skip) + 1)
	for {
		res, err := c.JobList(ctx, params)
		if err != nil {
			return time.Time{}, false, err
		}
		for _, j := range res.Jobs {
			if !slices.Contains(skip, j.Kind) {
				return j.ScheduledAt, true, nil
			}
		}
		if len(res.Jobs) < len(skip)+1 {
			return time.Time{}, false, nil
		}
		params = params.After(res.LastCursor)
	}
}
