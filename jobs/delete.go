package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/rapporthq/rapport/store"
)

// DeleteWaitingTx deletes, inside tx, the jobs of the kind among ids that
// wait to run (available, scheduled, retryable or pending): jobs whose work
// another job did in tx. Running jobs are left alone, and so, on
// PostgreSQL, are jobs another transaction holds; their work must find
// it done. It returns how many it deleted.
func (q *Queue) DeleteWaitingTx(ctx context.Context, tx *store.Tx, kind string, ids []int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	n, err := q.c.deleteWaitingTx(ctx, tx, kind, ids)
	if err != nil {
		return n, fmt.Errorf("delete %d %s jobs: %w", len(ids), kind, err)
	}
	return n, nil
}

func (r riverClient[TTx]) deleteWaitingTx(ctx context.Context, tx *store.Tx, kind string, ids []int64) (int, error) {
	const page = 500 // River deletes at most First(n) a call
	n := 0
	for start := 0; start < len(ids); start += page {
		chunk := ids[start:min(start+page, len(ids))]
		params := river.NewJobDeleteManyParams().IDs(chunk...).Kinds(kind).First(len(chunk)).
			States(rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStateRetryable, rivertype.JobStatePending)
		res, err := r.c.JobDeleteManyTx(ctx, r.txOf(tx), params)
		if err != nil {
			return n, err
		}
		n += len(res.Jobs)
	}
	return n, nil
}
