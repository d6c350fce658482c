package selfreport

import (
	"strconv"
	"strings"

	"github.com/rapporthq/rapport"
)

// SkipReason is why a patient skipped a dose.
type SkipReason string

const (
	SideEffects SkipReason = "side_effects"
	Cost        SkipReason = "cost"
	Forgot      SkipReason = "forgot"
	RanOut      SkipReason = "ran_out"
	FeltBetter  SkipReason = "felt_better"
	OtherReason SkipReason = "other"
)

// SkipReasons lists the reasons in the order [SkipPrompt] numbers them,
// 1 side effects … 6 other.
var SkipReasons = []SkipReason{SideEffects, Cost, Forgot, RanOut, FeltBetter, OtherReason}

// Skip is a read answer to "why was the dose skipped?".
type Skip struct {
	Reason SkipReason
	// Severe marks side effects that sound dangerous ("chest pain", "can't
	// breathe", "me desmayé"): the care team must see them at once.
	Severe bool
	// Keyed is true when a number decided it.
	Keyed bool
	// Lang is the language the reply's words point to, else the question's.
	Lang string
}

// Inbox reports whether a skip reason goes to the care-team inbox and with
// what priority: side effects (high) need a clinician's judgement, and a
// patient who ran out (normal) needs a refill the team can arrange; the
// other reasons are answered by the reminders themselves.
func (r SkipReason) Inbox() (bool, rapport.Priority) {
	switch r {
	case SideEffects:
		return true, rapport.PriorityHigh
	case RanOut:
		return true, rapport.PriorityNormal
	}
	return false, ""
}

// Inbox is [SkipReason.Inbox], urgent for a severe side effect.
func (s Skip) Inbox() (bool, rapport.Priority) {
	if s.Reason == SideEffects && s.Severe {
		return true, rapport.PriorityUrgent
	}
	return s.Reason.Inbox()
}

// ParseSkipReason reads a reply to "Why? 1 side effects, 2 cost, 3 forgot,
// 4 ran out, 5 felt better, 6 other" ([SkipPrompt]) in English or Spanish:
// the number (typed or keyed, alone or first: "4 ran out"), or the words
// of one reason anywhere in the reply ("it made me dizzy", "too
// expensive", "can't afford it", "se me olvidó", "se me acabó", "me siento
// mejor"). A negated cue does not count ("no side effects, I forgot" is
// forgot), and "other" yields to any specific reason.
//
// A reply with no reason in it, with two different reasons ("I forgot and
// ran out"), or longer than a text message is worth reading by machine is
// a [*NotUnderstoodError] matching [ErrNotUnderstood]: the caller hands
// it to the care-team inbox, where a side effect the words missed is read
// by a person.
func ParseSkipReason(text, lang string) (Skip, error) {
	const q = QuestionSkip
	s := Skip{Lang: baseLang(lang)}
	toks, ok := scan(text)
	if !ok {
		return s, notUnderstood(q, "too long")
	}
	if len(toks) == 0 {
		return s, notUnderstood(q, "empty")
	}
	var found []cue
	if n, err := strconv.Atoi(toks[0].w); err == nil {
		if n < 1 || n > len(SkipReasons) {
			return s, notUnderstood(q, "number is not an option")
		}
		found = append(found, cue{reason: SkipReasons[n-1]})
		s.Keyed = true
		toks = toks[1:]
	} else if w, ok := answerPhrases[toks[0].w]; ok && w.meaning == mChoice && len(toks) == 1 {
		found = append(found, cue{reason: SkipReasons[w.choice-1], lang: w.lang}) // "uno" … "seis"
		s.Keyed = true
		toks = nil
	}
	found = append(found, skipCuesIn(toks)...)
	reason, severe, lang, ok := settle(found)
	if !ok {
		return s, notUnderstood(q, "no single reason given")
	}
	s.Reason, s.Severe = reason, severe
	if lang != "" {
		s.Lang = lang
	}
	return s, nil
}

// skipCuesIn finds the cues in the tokens that no negation cancels.
func skipCuesIn(toks []token) []cue {
	ws := make([]string, len(toks))
	for i, t := range toks {
		ws[i] = skipLexicon.correct(t.w)
		if clauseWords[ws[i]] {
			for j := i + 1; j < len(toks); j++ {
				toks[j].clause++ // "but" starts a clause
			}
		}
	}
	var found []cue
	negatedAt := -10 // index of the last negator
	for i := 0; i < len(ws); {
		c, n := longestCue(ws[i:])
		if n == 0 {
			if negators[ws[i]] {
				negatedAt = i
			}
			i++
			continue
		}
		if i-negatedAt <= 2 && toks[negatedAt].clause == toks[i].clause {
			i += n // "no side effects": the cue is denied
			continue
		}
		found = append(found, c)
		i += n
	}
	return found
}

func longestCue(ws []string) (cue, int) {
	for n := min(len(ws), skipMaxPhrase); n > 0; n-- {
		if c, ok := skipCues[strings.Join(ws[:n], " ")]; ok {
			return c, n
		}
	}
	return cue{}, 0
}

// settle picks the one reason the cues give: "other" yields to any other
// reason, and two different reasons give none.
func settle(found []cue) (reason SkipReason, severe bool, lang string, ok bool) {
	langs := map[string]bool{}
	specific := false
	for _, c := range found {
		specific = specific || c.reason != OtherReason
	}
	for _, c := range found {
		if c.lang != "" {
			langs[c.lang] = true
		}
		if c.reason == OtherReason && specific {
			continue
		}
		if reason != "" && reason != c.reason {
			return "", false, "", false
		}
		reason = c.reason
		severe = severe || c.severe
	}
	if len(langs) == 1 {
		for l := range langs {
			lang = l
		}
	}
	return reason, severe, lang, reason != ""
}
