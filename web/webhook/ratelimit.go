package webhook

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/rapporthq/rapport"
)

// Limit is a token bucket: Burst requests at once, then one every Every.
type Limit struct {
	Burst int
	Every time.Duration
}

// DefaultUnsubscribeLimit lets a client make 10 unsubscribe requests with
// a token that is not genuine at once, then one every 6 seconds: plenty
// for a mistyped link, little for a script. Genuine tokens are not limited.
var DefaultUnsubscribeLimit = Limit{Burst: 10, Every: 6 * time.Second}

// maxClients is how many client buckets are kept before idle ones are
// dropped, bounding memory under a flood of addresses.
const maxClients = 10000

// limiter keeps one token bucket per client IP, in this process's memory:
// it protects one server process, not a cluster (each process allows its
// own burst). That is enough for what it guards against, a client
// guessing tokens; the tokens' MAC is the real guard.
type limiter struct {
	limit Limit
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(l Limit, now func() time.Time) *limiter {
	if l.Burst < 1 {
		l.Burst = 1
	}
	if l.Every <= 0 {
		l.Every = time.Second
	}
	return &limiter{limit: l, now: now, buckets: map[string]*bucket{}}
}

// allow takes a token from key's bucket. When there is none it returns
// false and how long until there is one.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxClients {
			l.prune(now)
		}
		b = &bucket{tokens: float64(l.limit.Burst), at: now}
		l.buckets[key] = b
	}
	if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens = math.Min(float64(l.limit.Burst), b.tokens+float64(elapsed)/float64(l.limit.Every))
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(l.limit.Every))
}

// prune drops the buckets that have refilled (their clients are idle), or
// every bucket if none has.
func (l *limiter) prune(now time.Time) {
	full := time.Duration(l.limit.Burst) * l.limit.Every
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxClients {
		clear(l.buckets)
	}
}

// limitFailures calls next with the message id of a genuine unsubscribe
// token at once, whatever the client sent before: an unsubscribe is never
// dropped, even from one address shared by many (a mail provider's
// one-click POSTs). Only a token that fails verification takes from the
// client's bucket: 404 while there are tokens, then 429 with Retry-After
// (whole seconds, at least 1).
func (h *handlers) limitFailures(next func(http.ResponseWriter, *http.Request, rapport.MessageID)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, ok := h.Unsubscribe.Verify(r.PathValue("token")); ok {
			next(w, r, id)
			return
		}
		ok, wait := h.limiter.allow(remoteIP(r))
		if !ok {
			secs := int(math.Ceil(wait.Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
			http.Error(w, "Too many requests. Please try again later.", http.StatusTooManyRequests)
			return
		}
		http.NotFound(w, r)
	})
}
