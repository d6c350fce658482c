package hygiene

import (
	"slices"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/metrics"
)

// reachCounter tallies reach per segment as patients stream past.
type reachCounter struct {
	total, reachable int
	seg              map[string]*SegmentReach
}

func (c *reachCounter) add(p *rapport.Patient, now time.Time) {
	ok := reachable(p)
	c.total++
	if ok {
		c.reachable++
	}
	if c.seg == nil {
		c.seg = map[string]*SegmentReach{}
	}
	for _, k := range segments(p, now) {
		s := c.seg[k]
		if s == nil {
			s = &SegmentReach{Segment: k}
			c.seg[k] = s
		}
		s.Patients++
		if ok {
			s.Reachable++
		}
	}
}

func (c *reachCounter) report() Reach {
	r := Reach{Patients: c.total, Reachable: c.reachable, Segments: []SegmentReach{}}
	for _, s := range c.seg {
		r.Segments = append(r.Segments, *s)
	}
	slices.SortFunc(r.Segments, func(a, b SegmentReach) int {
		if a.Segment < b.Segment {
			return -1
		}
		if a.Segment > b.Segment {
			return 1
		}
		return 0
	})
	return r
}

// reachable: the patient has a phone or email that may be tried. A postal
// address is not a channel rapport sends on.
func reachable(p *rapport.Patient) bool {
	for i := range p.Contacts {
		c := &p.Contacts[i]
		if c.Kind != rapport.ContactPostal && c.Usable() {
			return true
		}
	}
	return false
}

// segments are the breakdowns of metrics' reach by segment: rural or
// urban, language and age band.
func segments(p *rapport.Patient, now time.Time) []string {
	area, lang, band := "urban", "unknown", "unknown"
	if p.Rural {
		area = "rural"
	}
	if p.Language != "" {
		lang = p.Language
	}
	if age, ok := p.Age(now); ok {
		band = metrics.AgeBand(age)
	}
	return []string{area, "language:" + lang, "age:" + band}
}
