package dosing

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// ErrNotTimeChange is returned for a reply that does not ask to move a
// reminder: STOP and the other keywords, check-in answers, free text. The
// caller hands such replies on to the keyword and intent paths.
var ErrNotTimeChange = errors.New("not a time change")

// ErrBadTime is returned (wrapped) for a reply that asks to move a
// reminder to a time that does not exist ("change to 25:00", "13am").
var ErrBadTime = errors.New("not a time of day")

// maxReply bounds the reply worth reading: a time change is a few words.
const maxReply = 120

// ParseTimeChange reads a patient's reply to the reminder of dose about,
// in English or Spanish:
//
//   - "LATER", "snooze", "más tarde", "luego": a [ChangeSnooze] of this
//     dose to [DefaultSnooze] after now;
//   - a time: a [ChangeMove] of about's dose time from the reply on (see
//     [Change.From]; loc is the patient's zone). "8PM",
//     "8 pm", "8:30p.m.", "20:00", "at 7", "change to 9pm", "noon",
//     "cambiar a las 9", "a las 9 de la noche", "9 de la mañana",
//     "a las 21:30", "a las nueve y media".
//
// A bare number is a time only with a word that makes it one ("at 7", "a
// las 9") or a colon ("8:00"): alone, "1" answers a check-in. An hour 1–12
// without am/pm or a part of the day is read in the half of the day nearer
// the dose it replaces (so "at 7" moves a 9 pm dose to 19:00 and a 9 am
// dose to 07:00; "at 1" moves a 9 am dose to 13:00), the afternoon on a
// tie; a two-digit hour with a leading zero ("08:00") is taken as written.
// Anything else — a keyword such as STOP, another word, a second number,
// "tomorrow" — is [ErrNotTimeChange]; an impossible time is [ErrBadTime].
// Errors never quote the reply.
func ParseTimeChange(text string, now time.Time, loc *time.Location, about Dose) (Change, error) {
	if len(text) > maxReply*4 {
		return Change{}, ErrNotTimeChange
	}
	words := replyWords(text)
	if len(words) == 0 || len(words) > maxReply/4 {
		return Change{}, ErrNotTimeChange
	}
	if loc == nil {
		loc = now.Location()
	}
	if isSnooze(words) {
		at := now.Add(DefaultSnooze).In(loc)
		return Change{Kind: ChangeSnooze, Replaces: about.Time, To: TimeOfDayOf(at), DoseKey: about.Key, At: at}, nil
	}
	t, err := readTime(words, about.Time)
	if err != nil {
		return Change{}, err
	}
	return moveFrom(about.Time, t, now, loc), nil
}

// moveFrom returns the move of dose time old to t asked at now. The old
// time keeps every day whose dose at it was due by now (up to day last);
// the new one starts the day after, or the day after that if its time that
// day has passed too (the old time then keeps that day, whose dose is still
// to come), so no day loses its dose or gets two. If the new time on day
// last is still to come, that day's dose moves to it: "change to 10pm" at
// 09:05 is about this morning's dose too.
func moveFrom(old, t TimeOfDay, now time.Time, loc *time.Location) Change {
	c := Change{Kind: ChangeMove, Replaces: old, To: t}
	last := DateOf(now.In(loc))
	if due, _ := Instant(last, old, loc); due.After(now) {
		last = last.AddDays(-1)
	}
	c.From = last.AddDays(1)
	if first, _ := Instant(c.From, t, loc); !first.After(now) {
		c.From = c.From.AddDays(1)
		return c
	}
	if at, _ := Instant(last, t, loc); at.After(now) && t != old {
		c.DoseKey, c.At = DoseKey(last, old), at
	}
	return c
}

// isSnooze reports whether the words, fillers aside, are a snooze phrase.
func isSnooze(words []string) bool {
	var rest []string
	for _, w := range words {
		if !fillerWords[w] && w != "remind" && w != "recuerdame" {
			rest = append(rest, w)
		}
	}
	return snoozePhrases[strings.Join(rest, " ")]
}

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

// fold returns a transformer that strips accents and compatibility forms
// (full-width digits become ASCII). A chain keeps state, so each call
// makes its own: ParseTimeChange is called from many goroutines.
func fold() transform.Transformer {
	return transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}

// replyWords splits a reply into folded words: "p.m." is "pm", "8pm" is
// "8 pm", "8.30" is "8:30", punctuation and symbols separate words.
func replyWords(text string) []string {
	folded, _, err := transform.String(fold(), text)
	if err != nil {
		return nil
	}
	folded = strings.ToLower(folded)
	rs := []rune(folded)
	var b strings.Builder
	var last rune
	write := func(r rune) {
		isDigit, wasDigit := r >= '0' && r <= '9', last >= '0' && last <= '9'
		if (isDigit && unicode.IsLetter(last)) || (wasDigit && unicode.IsLetter(r)) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		last = r
	}
	for i, r := range rs {
		switch {
		case (r == '.' || r == ':') && i > 0 && i+1 < len(rs) && isASCIIDigit(rs[i-1]) && isASCIIDigit(rs[i+1]):
			write(':')
		case r == '.' || r == '\'' || r == '’':
			// dropped: "p.m." is "pm", "o'clock" is "oclock"
		case unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r) || unicode.IsControl(r):
			write(' ')
		default:
			// Letters and digits of any script are kept: a word read
			// nowhere in the tables makes the reply not a time change.
			write(r)
		}
	}
	return strings.Fields(b.String())
}

func isFixed(w string) bool {
	_, ok := fixedWords[w]
	return ok
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }
