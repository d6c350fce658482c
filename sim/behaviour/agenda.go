package behaviour

import (
	"container/heap"
	"time"

	"github.com/rapporthq/rapport"
)

// Reply is a simulated person's answer, due at At. Voice answers are
// keypad digits during the call and name the call in InReplyTo; others
// come back from the person's address (From) to rapport's sender (To).
type Reply struct {
	At        time.Time
	Channel   rapport.Channel
	From, To  string
	Body      string
	InReplyTo string
	// Late says the answer comes after the journey stopped waiting.
	Late bool
}

// Due pops the answers due by now, earliest first.
func (m *Model) Due(now time.Time) []Reply {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Reply
	for m.agenda.Len() > 0 && !m.agenda[0].At.After(now) {
		out = append(out, heap.Pop(&m.agenda).(Reply))
	}
	return out
}

// Next returns when the earliest queued answer is due; false when none is.
func (m *Model) Next() (time.Time, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.agenda.Len() == 0 {
		return time.Time{}, false
	}
	return m.agenda[0].At, true
}

// Pending counts the answers not yet due.
func (m *Model) Pending() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.agenda.Len()
}

// agenda is a min-heap of replies by time (then sender, for a stable order).
type agenda []Reply

func (a agenda) Len() int { return len(a) }
func (a agenda) Less(i, j int) bool {
	if !a[i].At.Equal(a[j].At) {
		return a[i].At.Before(a[j].At)
	}
	return a[i].From < a[j].From
}
func (a agenda) Swap(i, j int) { a[i], a[j] = a[j], a[i] }
func (a *agenda) Push(x any)   { *a = append(*a, x.(Reply)) }
func (a *agenda) Pop() any {
	old := *a
	x := old[len(old)-1]
	*a = old[:len(old)-1]
	return x
}

func (a *agenda) push(r Reply) { heap.Push(a, r) }
