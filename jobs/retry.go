package jobs

import (
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/rapporthq/rapport"
)

// retryPolicy retries failed jobs with exponential backoff and full jitter,
// on the queue's clock (River's default policy reads the wall clock, which
// a simulation's clock does not follow): about 5s, 10s, 20s, … capped at an
// hour. Work with deadlines of its own (a message's) gives up by itself.
type retryPolicy struct {
	clock rapport.Clock
}

const (
	retryBase = 5 * time.Second
	retryMax  = time.Hour
)

func (p retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	return p.clock.Now().Add(backoff(len(job.Errors), rand.Float64()))
}

// backoff is the wait before the retry after n errors, for a jitter draw u
// in [0, 1): uniformly between half and all of base·2ⁿ, capped.
func backoff(n int, u float64) time.Duration {
	d := retryMax
	if n < 20 {
		d = min(retryBase<<n, retryMax)
	}
	return d/2 + time.Duration(u*float64(d/2))
}
