package jobs

import (
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// OneAtATime are the insert options of a periodic run of which one may
// exist at a time: a run waiting, running or about to be retried blocks
// another insert of its kind. Completed runs do not (River's default
// unique states include completed, which would allow one run ever).
func OneAtATime(maxAttempts int) river.InsertOpts {
	return river.InsertOpts{MaxAttempts: maxAttempts, UniqueOpts: river.UniqueOpts{ByQueue: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}
