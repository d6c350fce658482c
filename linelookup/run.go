package linelookup

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/time/rate"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/store"
)

// Provider answers what line a phone number is. A failure is a
// [*channel.Error] saying whether to retry and after how long.
type Provider interface {
	LineType(ctx context.Context, number string) (rapport.LineLookup, error)
}

// DefaultMaxAge is how long an answer is trusted: carriers port numbers,
// and a quarter keeps the cost of Lookup low.
const DefaultMaxAge = 90 * 24 * time.Hour

// Defaults of [Config].
const (
	defaultRate  = 5
	defaultBatch = 50
	maxPerRun    = 100_000
)

// Config is how a run paces itself.
type Config struct {
	// Rate is look-ups per second; 5 when zero.
	Rate float64
	// MaxAge is how old an answer may be before it is asked again;
	// DefaultMaxAge when zero.
	MaxAge time.Duration
	// Batch is how many answers are written at once; 50 when zero.
	Batch int
}

// Runner does runs; its rate limiter lasts across them. It is not for
// concurrent runs (the job that calls it is unique).
type Runner struct {
	DB       *store.DB
	Provider Provider
	// Source is the provider as look-ups store it ("twilio"); Name as
	// reasons and errors say it ("Twilio Lookup").
	Source, Name string
	Config       Config
	limiter      *rate.Limiter
}

// Report says what a run did.
type Report struct {
	Asked, Answered, Failed int
	// Changed counts contact points whose line type changed.
	Changed int
	// Throttled is true when the provider asked the run to stop.
	Throttled bool
}

// Run asks about every number due at now, up to the run's bound, and
// stores what it learns. It returns early, with the report so far, on a
// throttled answer (no error) or on refused credentials (an error).
func (r *Runner) Run(ctx context.Context, now time.Time) (Report, error) {
	cfg := r.config()
	if r.limiter == nil {
		r.limiter = rate.NewLimiter(rate.Limit(cfg.Rate), 1)
	}
	var rep Report
	if err := r.applyCached(ctx, cfg, &rep); err != nil {
		return rep, err
	}
	for rep.Asked < maxPerRun {
		due, err := r.DB.DuePhoneLookups(ctx, now, cfg.MaxAge, cfg.Batch)
		if err != nil {
			return rep, fmt.Errorf("line lookup: %w", err)
		}
		if len(due) == 0 {
			return rep, nil
		}
		stop, err := r.batch(ctx, due, &rep)
		if err != nil || stop {
			return rep, err
		}
	}
	return rep, nil
}

// applyCached gives contact points added since their number was looked up
// the cached answer, without asking the provider again.
func (r *Runner) applyCached(ctx context.Context, cfg Config, rep *Report) error {
	for range maxPerRun / cfg.Batch {
		ls, err := r.DB.UnappliedLineLookups(ctx, cfg.Batch)
		if err != nil {
			return fmt.Errorf("line lookup: %w", err)
		}
		if len(ls) == 0 {
			return nil
		}
		err = r.DB.InTx(ctx, func(tx *store.Tx) error {
			for _, l := range ls {
				cps, err := tx.FindContactPointsByValue(ctx, rapport.ContactPhone, l.Number)
				if err != nil {
					return err
				}
				for _, c := range cps {
					if !undecided(c.LineType) || c.LineType == l.LineType {
						continue
					}
					if err := tx.SetContactLineType(ctx, c.ID, l.LineType, r.reason(l)); err != nil {
						return err
					}
					rep.Changed++
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("line lookup: apply cached answers: %w", err)
		}
	}
	return nil
}

// undecided reports whether a line type is one the numbering plan left open,
// which a cached answer may fill in.
func undecided(lt rapport.LineType) bool {
	return lt == "" || lt == rapport.LineUnknown || lt == rapport.LineFixedMobile
}

// batch asks about numbers and writes the answers and failures in one
// transaction. stop says the run should end (throttled or refused).
func (r *Runner) batch(ctx context.Context, numbers []string, rep *Report) (stop bool, err error) {
	var prev map[string]rapport.LineLookup
	if err := r.DB.InTx(ctx, func(tx *store.Tx) (err error) {
		prev, err = tx.FindLineLookups(ctx, numbers)
		return err
	}); err != nil {
		return false, fmt.Errorf("line lookup: %w", err)
	}
	var out []rapport.LineLookup
	var fatal error
	for _, n := range numbers {
		if err := r.limiter.Wait(ctx); err != nil {
			break // cancelled: write what came
		}
		rep.Asked++
		l, err := r.Provider.LineType(ctx, n)
		if err == nil {
			l.Number, l.RetryAt = n, l.LookedUpAt
			if l.Provider == "" {
				l.Provider = r.Source
			}
			out = append(out, l)
			rep.Answered++
			continue
		}
		if ctx.Err() != nil {
			break // the job is ending: the number stays due as it was
		}
		rep.Failed++
		out = append(out, failed(prev[n], r.Source, n, err, r.DB.Clock().Now()))
		var ce *channel.Error
		if errors.As(err, &ce) && errors.Is(ce, channel.ErrPermanent) {
			fatal = fmt.Errorf("line lookup: %s: %w", r.Name, err)
			break
		}
		if errors.As(err, &ce) && ce.RetryAfter > 0 {
			rep.Throttled = true
			break
		}
	}
	changed, err := r.store(context.WithoutCancel(ctx), out)
	rep.Changed += changed
	if err != nil {
		return true, err
	}
	if fatal != nil {
		return true, fatal
	}
	return rep.Throttled || ctx.Err() != nil, nil
}

// store writes look-ups and applies the answered line types.
func (r *Runner) store(ctx context.Context, ls []rapport.LineLookup) (int, error) {
	if len(ls) == 0 {
		return 0, nil
	}
	changed := 0
	err := r.DB.InTx(ctx, func(tx *store.Tx) error {
		changed = 0
		if err := tx.PutLineLookups(ctx, ls); err != nil {
			return err
		}
		for _, l := range ls {
			if l.LineType == "" || l.LastError != "" {
				continue
			}
			n, err := tx.SetLineTypeOfNumber(ctx, l.Number, l.LineType, r.reason(l))
			if err != nil {
				return err
			}
			changed += n
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("line lookup: store answers: %w", err)
	}
	return changed, nil
}

// reason is the evidence a changed contact point carries, such as
// "Twilio Lookup 2026-03-02: landline".
func (r *Runner) reason(l rapport.LineLookup) string {
	return fmt.Sprintf("%s %s: %s", r.Name, l.LookedUpAt.UTC().Format(time.DateOnly), l.ProviderType)
}

// failed is the cached look-up of number after err: the earlier answer, if
// any, kept; one more attempt; the retry time Retry-After or a backoff.
func failed(prev rapport.LineLookup, source, number string, err error, now time.Time) rapport.LineLookup {
	l := prev
	l.Number = number
	if l.Provider == "" {
		l.Provider = source
	}
	l.Attempts++
	wait := backoff(l.Attempts)
	var ce *channel.Error
	if errors.As(err, &ce) && ce.RetryAfter > 0 {
		wait = ce.RetryAfter
	}
	l.RetryAt, l.LastError = now.Add(wait), err.Error()
	return l
}

// backoff is the wait after the nth failure in a row: 10 minutes,
// doubling, capped at a week.
func backoff(n int) time.Duration {
	const first, most = 10 * time.Minute, 7 * 24 * time.Hour
	if n > 12 {
		return most
	}
	return min(first<<(n-1), most)
}

func (r *Runner) config() Config {
	c := r.Config
	if c.Rate <= 0 {
		c.Rate = defaultRate
	}
	if c.MaxAge <= 0 {
		c.MaxAge = DefaultMaxAge
	}
	if c.Batch <= 0 {
		c.Batch = defaultBatch
	}
	return c
}
