package reminders

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rapporthq/rapport"
)

// ParseLimits reads limits as "1/day,3/week" (either part alone) or
// "off" (no limits: every patient asked for their reminders).
func ParseLimits(s string) (Limits, error) {
	var l Limits
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "off" || s == "none" {
		return l, nil
	}
	for _, part := range strings.Split(s, ",") {
		n, unit, ok := strings.Cut(strings.TrimSpace(part), "/")
		v, err := strconv.Atoi(strings.TrimSpace(n))
		if !ok || err != nil || v < 1 {
			return Limits{}, rapport.Errorf(rapport.EINVALID, "reminder limits %q: want such as 1/day,3/week, or off", s)
		}
		switch strings.TrimSpace(unit) {
		case "day":
			l.PerDay = v
		case "week":
			l.PerWeek = v
		default:
			return Limits{}, rapport.Errorf(rapport.EINVALID, "reminder limits %q: unit %q is not day or week", s, unit)
		}
	}
	return l, nil
}

// String is the limits as ParseLimits reads them.
func (l Limits) String() string {
	var parts []string
	if l.PerDay > 0 {
		parts = append(parts, fmt.Sprintf("%d/day", l.PerDay))
	}
	if l.PerWeek > 0 {
		parts = append(parts, fmt.Sprintf("%d/week", l.PerWeek))
	}
	if len(parts) == 0 {
		return "off"
	}
	return strings.Join(parts, ",")
}
