package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// promote makes the scheduled and retryable jobs that list finds due at now
// available through retry, in order of due time, and returns how many it
// moved. A job gone between the list and its retry is skipped: work done
// for it by another job deletes it (an inbound message's job, when a batch
// took the message), and a simulation promoting at that moment must not
// fail for it.
func promote(ctx context.Context, now time.Time,
	list func(context.Context, *river.JobListParams) (*river.JobListResult, error),
	retry func(context.Context, int64) error) (int, error) {
	const page = 500
	n := 0
	params := river.NewJobListParams().States(rivertype.JobStateScheduled, rivertype.JobStateRetryable).
		OrderBy(river.JobListOrderByScheduledAt, river.SortOrderAsc).First(page)
	for {
		res, err := list(ctx, params)
		if err != nil {
			return n, err
		}
		for _, j := range res.Jobs {
			if j.ScheduledAt.After(now) {
				return n, nil
			}
			switch err := retry(ctx, j.ID); {
			case errors.Is(err, rivertype.ErrNotFound):
				continue
			case err != nil:
				return n, err
			}
			n++
		}
		if len(res.Jobs) < page {
			return n, nil
		}
		params = params.After(res.LastCursor)
	}
}
