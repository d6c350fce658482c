package jobs

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// TestPromoteSkipsJobsGone: a job the list found but that is gone by its
// retry (another job's work deleted it, as an inbound batch does) is not
// an error; the due jobs around it are promoted, the job not yet due is
// not. Before, a simulation stepping its clock failed on it ("promote due
// jobs: not found", seen once in a slow run of TestCampaignPlans).
func TestPromoteSkipsJobsGone(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	jobs := []*rivertype.JobRow{
		{ID: 1, ScheduledAt: now.Add(-time.Hour)},
		{ID: 2, ScheduledAt: now.Add(-time.Minute)},
		{ID: 3, ScheduledAt: now},
		{ID: 4, ScheduledAt: now.Add(time.Second)},
	}
	list := func(context.Context, *river.JobListParams) (*river.JobListResult, error) {
		return &river.JobListResult{Jobs: jobs}, nil
	}
	var retried []int64
	retry := func(_ context.Context, id int64) error {
		if id == 2 {
			return rivertype.ErrNotFound
		}
		retried = append(retried, id)
		return nil
	}
	n, err := promote(context.Background(), now, list, retry)
	if err != nil || n != 2 || !slices.Equal(retried, []int64{1, 3}) {
		t.Errorf("promote = %d, %v, retried %v; want 2, nil, [1 3]", n, err, retried)
	}

	// Any other failure stops it and is reported.
	broken := errors.New("database is locked")
	n, err = promote(context.Background(), now, list, func(_ context.Context, id int64) error {
		if id == 3 {
			return broken
		}
		return nil
	})
	if !errors.Is(err, broken) || n != 2 {
		t.Errorf("promote with a failing retry = %d, %v; want 2, %v", n, err, broken)
	}
}
