package dosing

import (
	"strconv"
	"strings"
)

// spoken is what readTime gathers from a reply.
type spoken struct {
	hour, minute int
	numbers      int
	leadingZero  bool // "08:00", "09": an hour written on a 24-hour clock
	colon        bool
	signal       bool
	half         half
	fixed        TimeOfDay
	hasFixed     bool
}

// readTime reads the one time a reply names; about is the dose time it
// replaces, for an hour without am/pm.
func readTime(words []string, about TimeOfDay) (TimeOfDay, error) {
	var s spoken
	s.minute = -1
	for i := 0; i < len(words); i++ {
		w := words[i]
		prev := ""
		if i > 0 {
			prev = words[i-1]
		}
		switch hw, isHalf := halfWords[w]; {
		case w == "y" && i+1 < len(words) && (words[i+1] == "media" || words[i+1] == "cuarto") && s.numbers == 1 && !s.colon:
			s.minute = map[string]int{"media": 30, "cuarto": 15}[words[i+1]]
			i++
		case digits(strings.ReplaceAll(w, ":", "")) && strings.Count(w, ":") <= 1:
			if err := s.number(w); err != nil {
				return 0, err
			}
		case numberWords[w] > 0:
			s.numbers++
			s.hour = numberWords[w]
		case isHalf && (!hw.afterLa || prev == "la"):
			if s.half != halfNone && s.half != hw.half {
				return 0, ErrNotTimeChange
			}
			s.half = hw.half
		case isFixed(w):
			s.fixed, s.hasFixed = fixedWords[w], true
		case signalWords[w]:
			s.signal = true
		case fillerWords[w]:
		default:
			return 0, ErrNotTimeChange
		}
	}
	return s.resolve(about)
}

// number takes a numeric word: "8", "08", "8:30", "20:00".
func (s *spoken) number(w string) error {
	s.numbers++
	if s.numbers > 1 {
		return ErrNotTimeChange
	}
	h, m, colon := strings.Cut(w, ":")
	if len(h) == 0 || len(h) > 2 || (colon && len(m) != 2) {
		return ErrNotTimeChange // "830", "2030", "8:3": not a way to write a time
	}
	s.hour, _ = strconv.Atoi(h)
	s.leadingZero = len(h) == 2 && h[0] == '0'
	if colon {
		s.colon = true
		s.minute, _ = strconv.Atoi(m)
	}
	return nil
}

// resolve turns what was said into a time of day.
func (s *spoken) resolve(about TimeOfDay) (TimeOfDay, error) {
	if s.numbers > 1 {
		return 0, ErrNotTimeChange
	}
	if s.hasFixed {
		switch {
		case s.numbers == 0:
			if s.half != halfNone {
				return 0, ErrNotTimeChange
			}
			return s.fixed, nil
		case s.hour%12 != 0 || s.minute > 0:
			return 0, errBadTime("the hour is not the hour of noon or midnight")
		}
		return s.fixed, nil
	}
	if s.numbers == 0 || (!s.signal && !s.colon && s.half == halfNone) {
		return 0, ErrNotTimeChange
	}
	m := max(s.minute, 0)
	if m > 59 {
		return 0, errBadTime("the minutes are out of range")
	}
	h := s.hour
	switch s.half {
	case halfAM:
		if h < 1 || h > 12 {
			return 0, errBadTime("the hour is out of range for the morning")
		}
		h %= 12
	case halfPM:
		switch {
		case h >= 13 && h <= 23: // "20:00 pm": said twice
		case h >= 1 && h <= 12:
			h = h%12 + 12
		default:
			return 0, errBadTime("the hour is out of range for the afternoon")
		}
	case halfNight:
		switch {
		case h == 12:
			h = 0
		case h >= 6 && h <= 11:
			h += 12
		case h >= 1 && h <= 5, h >= 18 && h <= 23: // "las 2 de la noche" is 02:00
		default:
			return 0, errBadTime("the hour is out of range for the night")
		}
	default:
		switch {
		case h > 23:
			return 0, errBadTime("the hour is out of range")
		case h >= 1 && h <= 12 && !s.leadingZero:
			h = nearerHalf(Clock(h%12, m), about).Hour()
		}
	}
	return Clock(h, m), nil
}

// nearerHalf returns am (before noon) or am+12h, whichever is nearer to
// about on the clock face; the afternoon on a tie.
func nearerHalf(am, about TimeOfDay) TimeOfDay {
	pm := am + 12*60
	dist := func(a, b TimeOfDay) int {
		d := int(a - b)
		if d < 0 {
			d = -d
		}
		return min(d, minutesPerDay-d)
	}
	if dist(am, about) < dist(pm, about) {
		return am
	}
	return pm
}

func errBadTime(why string) error { return &badTime{why} }

type badTime struct{ why string }

func (e *badTime) Error() string { return "time change: " + e.why }
func (e *badTime) Unwrap() error { return ErrBadTime }
