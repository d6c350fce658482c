package journey

import (
	"context"
	"fmt"
	"time"

	"github.com/rapporthq/rapport/store"
)

// rewakePage is how many overdue enrollments one transaction re-schedules.
const rewakePage = 1000

// Rewake schedules a wake job for every live enrollment whose wake time
// passed more than grace ago: a safety net, run when a server or worker
// starts, for enrollments whose job was lost (a bug, or jobs deleted by
// hand). A duplicate of a job still queued is harmless: whichever runs
// second finds the enrollment moved on. It returns how many it scheduled.
func (e *Engine) Rewake(ctx context.Context, grace time.Duration) (int, error) {
	before := e.Clock.Now().Add(-grace)
	after, n := "", 0
	for {
		var page int
		err := e.DB.InTx(ctx, func(tx *store.Tx) error {
			ens, err := tx.FindOverdueEnrollments(ctx, before, after, rewakePage)
			if err != nil {
				return err
			}
			b := e.newBatch(tx)
			for _, en := range ens {
				b.wake(en)
			}
			if page = len(ens); page > 0 {
				after = ens[page-1].ID
			}
			return b.flush(ctx)
		})
		if err != nil {
			return n, fmt.Errorf("rewake overdue enrollments: %w", err)
		}
		n += page
		if page < rewakePage {
			return n, nil
		}
	}
}
