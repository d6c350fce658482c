package dosing

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// Replies to reminders, one after another as time passes: the regimen
// stays valid, doses already due stay as they were (only the dose a reply
// is about may move, and only forward), and no day gets more doses than
// the regimen has times.
func TestRepliesProperty(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		r := genRegimen(t)
		r.End = Date{}
		now, _ := Instant(r.Start, 0, r.Zone)
		for step := range rapid.IntRange(1, 6).Draw(t, "replies") {
			now = now.Add(time.Duration(rapid.Int64Range(0, 5*24*3600).Draw(t, "wait")) * time.Second)
			about, ok := r.NextDose(now.Add(-time.Duration(r.every()+1) * 24 * time.Hour))
			if !ok || about.At.After(now) {
				continue
			}
			var reply string
			if rapid.Bool().Draw(t, "snooze") {
				reply = "later"
			} else {
				reply = TimeOfDay(rapid.IntRange(0, 24*60-1).Draw(t, "to")).String()
			}
			c, err := ParseTimeChange(reply, now, r.Zone, about)
			if err != nil {
				t.Fatalf("step %d: %q: %v", step, reply, err)
			}
			before := r.DosesBetween(now.Add(-30*24*time.Hour), now.Add(time.Nanosecond))
			next := ApplyChange(r, c)
			if err := next.Validate(); err != nil {
				t.Fatalf("step %d: %+v on %+v: %v", step, c, r.Times, err)
			}
			after := next.DosesBetween(now.Add(-30*24*time.Hour), now.Add(time.Nanosecond))
			kept := map[string]time.Time{}
			for _, d := range after {
				kept[d.Key] = d.At
			}
			for _, d := range before {
				at, ok := kept[d.Key]
				switch {
				case !ok && d.Key == c.DoseKey:
					// moved forward by this reply
				case !ok:
					t.Fatalf("step %d: past dose %s lost by %+v", step, d.Key, c)
				case !at.Equal(d.At):
					t.Fatalf("step %d: past dose %s moved from %s to %s", step, d.Key, d.At, at)
				}
			}
			if len(after) > len(before) {
				t.Fatalf("step %d: %+v added past doses", step, c)
			}
			// From the reply on, each dose day has one dose per current time.
			current := 0
			for _, dt := range next.Times {
				if dt.current() {
					current++
				}
			}
			perDay := map[Date]int{}
			for _, d := range next.DosesBetween(now, now.Add(20*24*time.Hour)) {
				perDay[d.Date]++
			}
			today := DateOf(now.In(r.Zone))
			for d, n := range perDay {
				if n > len(next.Times) || (d.After(today.AddDays(1)) && d.Before(today.AddDays(19)) && n != current) {
					t.Fatalf("step %d: %d doses on %s, %d current times: %+v", step, n, d, current, next.Times)
				}
			}
			r = next
		}
	})
}
