package fhir

import (
	"errors"
	"time"
)

var errDateTime = errors.New("not a FHIR dateTime")

// ParseDateTime parses a FHIR date, dateTime or instant: YYYY, YYYY-MM,
// YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm). It returns the instant
// in UTC; a partial date stands for the first instant of its period in UTC.
// A time without a zone, or out-of-range parts (month 13, 30 February), are
// errors.
func ParseDateTime(s string) (time.Time, error) {
	year, month, day, rest, ok := parseDatePart(s)
	if !ok {
		return time.Time{}, errDateTime
	}
	if rest == "" {
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), nil
	}
	if rest[0] != 'T' || len(rest) < 9 {
		return time.Time{}, errDateTime
	}
	// rest is "Thh:mm:ss[.fff](Z|±hh:mm)"
	hh, ok1 := num(rest[1:3])
	mm, ok2 := num(rest[4:6])
	ss, ok3 := num(rest[7:9])
	if !ok1 || !ok2 || !ok3 || rest[3] != ':' || rest[6] != ':' || hh > 23 || mm > 59 || ss > 60 {
		return time.Time{}, errDateTime
	}
	rest = rest[9:]
	nsec := 0
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		scale := 100_000_000
		for ; i < len(rest) && rest[i] >= '0' && rest[i] <= '9'; i++ {
			nsec += int(rest[i]-'0') * scale
			scale /= 10
		}
		if i == 1 {
			return time.Time{}, errDateTime
		}
		rest = rest[i:]
	}
	offset := 0
	switch {
	case rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := num(rest[1:3])
		om, ok2 := num(rest[4:6])
		if !ok1 || !ok2 || oh > 14 || om > 59 {
			return time.Time{}, errDateTime
		}
		offset = oh*3600 + om*60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, errDateTime
	}
	t := time.Date(year, time.Month(month), day, hh, mm, ss, nsec, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), nil
}

// ValidDate reports whether s is a FHIR date: YYYY, YYYY-MM or YYYY-MM-DD.
func ValidDate(s string) bool {
	_, _, _, rest, ok := parseDatePart(s)
	return ok && rest == ""
}

// parseDatePart reads YYYY[-MM[-DD]] at the start of s; a missing month or
// day comes back as 1. rest is what follows a full date (empty for partial
// dates, which must end the string).
func parseDatePart(s string) (year, month, day int, rest string, ok bool) {
	if len(s) < 4 {
		return 0, 0, 0, "", false
	}
	year, ok = num(s[:4])
	if !ok || year == 0 {
		return 0, 0, 0, "", false
	}
	if len(s) == 4 {
		return year, 1, 1, "", true
	}
	if len(s) < 7 || s[4] != '-' {
		return 0, 0, 0, "", false
	}
	month, ok = num(s[5:7])
	if !ok || month < 1 || month > 12 {
		return 0, 0, 0, "", false
	}
	if len(s) == 7 {
		return year, month, 1, "", true
	}
	if len(s) < 10 || s[7] != '-' {
		return 0, 0, 0, "", false
	}
	day, ok = num(s[8:10])
	if !ok || day < 1 || day > daysIn(year, month) {
		return 0, 0, 0, "", false
	}
	return year, month, day, s[10:], true
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// num parses a short run of ASCII digits.
func num(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}
