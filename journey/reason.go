package journey

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Reason is why a patient declined, as far as their words tell.
type Reason string

const (
	ReasonCost       Reason = "cost"
	ReasonNoNeed     Reason = "no_need"
	ReasonDistrust   Reason = "distrust_privacy"
	ReasonNoInternet Reason = "no_internet_device"
	ReasonNoTime     Reason = "no_time"
	ReasonOther      Reason = "other"
)

// Reasons lists the decline reasons in the order the nurture journey
// offers them as numbered choices (1 cost … 5 no time).
var Reasons = []Reason{ReasonCost, ReasonNoNeed, ReasonDistrust, ReasonNoInternet, ReasonNoTime}

// reasonWords are words and phrases, English and Spanish, that point to a
// reason, checked in order (more specific reasons first).
var reasonWords = []struct {
	reason Reason
	words  []string
}{
	{ReasonNoInternet, []string{"internet", "wifi", "wi-fi", "smartphone", "computer", "computadora", "no tengo telefono", "celular", "data plan", "no signal", "sin senal", "app"}},
	{ReasonCost, []string{"cost", "money", "expensive", "afford", "pay", "insurance", "copay", "caro", "dinero", "pagar", "costo", "seguro", "cuesta"}},
	{ReasonDistrust, []string{"privacy", "private", "trust", "scam", "spam", "data", "who is this", "privacidad", "confio", "confianza", "estafa", "datos"}},
	{ReasonNoTime, []string{"time", "busy", "work", "later", "tiempo", "ocupad", "trabajo", "despues"}},
	{ReasonNoNeed, []string{"don't need", "dont need", "do not need", "not needed", "i'm fine", "im fine", "i am fine", "healthy", "no need", "no lo necesito", "no necesito", "estoy bien", "no hace falta"}},
}

// ClassifyReason reads a decline reason from a reply: a numbered choice
// from the nurture question, else words in English or Spanish; anything
// else is "other" (and the words are kept verbatim by the caller).
func ClassifyReason(text string, choice int) Reason {
	if choice >= 1 && choice <= len(Reasons) {
		return Reasons[choice-1]
	}
	t := fold(text)
	for _, rw := range reasonWords {
		for _, w := range rw.words {
			if strings.Contains(t, w) {
				return rw.reason
			}
		}
	}
	return ReasonOther
}

// fold lower-cases and strips accents, so "días" matches "dias".
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if r >= 0x300 && r <= 0x36f {
			continue
		}
		if r == '’' {
			r = '\''
		}
		b.WriteRune(r)
	}
	return b.String()
}
