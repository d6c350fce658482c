package csvimport

import (
	"fmt"
	"strings"
	"time"
)

// dateLayout is a birth-date format translated to a Go layout.
type dateLayout struct {
	format string // as written in the mapping, for messages
	layout string // Go layout
	twoDigitYear,
	hasMonth, hasDay bool
}

// parseDateFormat translates a strftime-like format into a Go layout. The
// directives are %Y (four-digit year), %y (two-digit year), %m (month
// number), %d and %e (day of month), %b (Jan), %B (January) and %%. Month
// and day numbers may have one digit or two unless another directive follows
// or precedes them directly (%Y%m%d), where they must have two. Literal
// text may be any character but a letter, a digit or '_' (which Go layouts
// read as padding).
func parseDateFormat(format string) (dateLayout, error) {
	l := dateLayout{format: format}
	// Split into directives (one letter) and literal bytes (0).
	type elem struct{ directive, literal byte }
	var elems []elem
	for i := 0; i < len(format); i++ {
		ch := format[i]
		if ch != '%' {
			if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' {
				return l, fmt.Errorf("%q has the literal %q: only the directives %%Y %%y %%m %%d %%e %%b %%B and punctuation are allowed", format, ch)
			}
			elems = append(elems, elem{literal: ch})
			continue
		}
		if i+1 == len(format) {
			return l, fmt.Errorf("%q ends with a lone %%", format)
		}
		i++
		if format[i] == '%' {
			return l, fmt.Errorf("%q has %%%%: a literal %% in a date is not supported", format)
		}
		elems = append(elems, elem{directive: format[i]})
	}
	var b strings.Builder
	hasYear := false
	for i, e := range elems {
		if e.directive == 0 {
			b.WriteByte(e.literal)
			continue
		}
		packed := i > 0 && elems[i-1].directive != 0 || i+1 < len(elems) && elems[i+1].directive != 0
		switch e.directive {
		case 'Y':
			b.WriteString("2006")
			hasYear = true
		case 'y':
			b.WriteString("06")
			hasYear, l.twoDigitYear = true, true
		case 'm':
			b.WriteString(pick(packed, "01", "1"))
			l.hasMonth = true
		case 'b':
			b.WriteString("Jan")
			l.hasMonth = true
		case 'B':
			b.WriteString("January")
			l.hasMonth = true
		case 'd', 'e':
			b.WriteString(pick(packed, "02", "2"))
			l.hasDay = true
		default:
			return l, fmt.Errorf("%q has the unknown directive %%%c (use %%Y %%y %%m %%d %%e %%b %%B)", format, e.directive)
		}
	}
	if !hasYear {
		return l, fmt.Errorf("%q has no year (%%Y or %%y)", format)
	}
	if l.hasDay && !l.hasMonth {
		return l, fmt.Errorf("%q has a day but no month", format)
	}
	l.layout = b.String()
	return l, nil
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}

// parse reads a cell and returns rapport's partial date form (YYYY-MM-DD,
// YYYY-MM or YYYY). A two-digit year that would fall after now's year is
// taken for the century before (born in 1945, not 2045).
func (l *dateLayout) parse(s string, now time.Time) (string, bool) {
	t, err := time.Parse(l.layout, s)
	if err != nil {
		return "", false
	}
	if l.twoDigitYear && t.Year() > now.Year() {
		t = t.AddDate(-100, 0, 0)
	}
	switch {
	case l.hasDay:
		return t.Format("2006-01-02"), true
	case l.hasMonth:
		return t.Format("2006-01"), true
	}
	return t.Format("2006"), true
}
