package dosing

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// The words of replies that move a reminder, folded (lower case, no
// accents). A reply is a time change only when every word is one of these
// or part of the time itself, so "I took it at 8", "stop", "1" (a check-in
// answer) and "at 9 tomorrow" are not.

// snoozePhrases are whole replies (fillers aside) asking for a reminder later.
var snoozePhrases = map[string]bool{
	"later": true, "snooze": true, "not now": true,
	"mas tarde": true, "luego": true, "despues": true, "ahora no": true,
}

// signalWords make a bare number a time: "at 7", "a las 9", "change to 8".
var signalWords = map[string]bool{
	"at": true, "change": true, "move": true, "set": true, "remind": true, "make": true,
	"a": true, "las": true, "la": true, "cambiar": true, "cambia": true, "cambialo": true, "cambie": true,
	"mover": true, "mueve": true, "muevelo": true, "pon": true, "ponlo": true, "poner": true, "recuerdame": true,
}

// fillerWords may surround a time without changing its meaning.
var fillerWords = map[string]bool{
	"to": true, "it": true, "my": true, "me": true, "reminder": true, "reminders": true, "the": true, "in": true,
	"please": true, "pls": true, "plz": true, "time": true, "oclock": true, "ok": true, "okay": true,
	"de": true, "del": true, "el": true, "en": true, "por": true, "favor": true, "mi": true, "recordatorio": true,
	"hora": true, "para": true, "mejor": true, "instead": true, "lo": true,
}

// numberWords are hours spelled out.
var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12,
	"una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
	"nueve": 9, "diez": 10, "once": 11, "doce": 12,
}

// half says which part of the day a word puts an hour in.
type half int

const (
	halfNone  half = iota
	halfAM         // "am", "in the morning", "de la mañana", "de la madrugada"
	halfPM         // "pm", "in the afternoon/evening", "de la tarde"
	halfNight      // "at night", "de la noche": 9 is 21:00, 12 is midnight, 2 is 02:00
)

// halfWords put an hour in a part of the day. The Spanish words mañana,
// tarde and noche count only after "la" ("de la mañana"): alone, mañana is
// "tomorrow" and "más tarde" is a snooze.
var halfWords = map[string]struct {
	half    half
	afterLa bool
}{
	"am": {halfAM, false}, "pm": {halfPM, false},
	"morning": {halfAM, false}, "afternoon": {halfPM, false}, "evening": {halfPM, false}, "night": {halfNight, false},
	"manana": {halfAM, true}, "madrugada": {halfAM, false}, "tarde": {halfPM, true}, "noche": {halfNight, true},
}

// fixedWords are times by name.
var fixedWords = map[string]TimeOfDay{
	"noon": Clock(12, 0), "midday": Clock(12, 0), "mediodia": Clock(12, 0),
	"midnight": Clock(0, 0), "medianoche": Clock(0, 0),
}

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
