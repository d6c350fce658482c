package dosing

import (
	"errors"
	"strings"
	"time"
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
