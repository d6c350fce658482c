package selfreport

import (
	"errors"
	"fmt"
)

// ErrNotUnderstood is what every reply the package cannot read with
// confidence matches ([errors.Is]): the caller hands the reply to the
// care-team inbox as it came, and never acts on a guess.
var ErrNotUnderstood = errors.New("reply not understood")

// Question names what a reply answered, for errors and callers.
type Question string

const (
	QuestionCheckin Question = "checkin"
	QuestionSkip    Question = "skip_reason"
	QuestionRefill  Question = "refill"
	QuestionReading Question = "reading"
)

// NotUnderstoodError says why a reply was not read. Its message names
// positions and kinds of words, never the patient's words: it may be logged.
type NotUnderstoodError struct {
	Question Question
	// Why is a short reason in the package's words: "empty", "word 3 is
	// not an answer", "answers disagree", "too long".
	Why string
}

func (e *NotUnderstoodError) Error() string {
	return fmt.Sprintf("%s: reply not understood: %s", e.Question, e.Why)
}

// Is makes a *NotUnderstoodError match [ErrNotUnderstood].
func (e *NotUnderstoodError) Is(target error) bool { return target == ErrNotUnderstood }

func notUnderstood(q Question, format string, args ...any) error {
	return &NotUnderstoodError{Question: q, Why: fmt.Sprintf(format, args...)}
}

// ErrImplausible is what a reading outside the range a living patient can
// have matches ([errors.Is]): a typo such as "1420/90", to be asked again
// rather than stored.
var ErrImplausible = errors.New("implausible reading")

// ImplausibleError names the value of a reading that is out of range and
// the range it must lie in. The message names the field and the range, not
// the number, so it may be logged; Value holds the number for the reply
// that asks the patient to check it.
type ImplausibleError struct {
	Field    string  // "systolic", "diastolic", "pulse", "glucose", "weight"
	Value    float64 // as read, in Unit
	Unit     string
	Min, Max float64 // the plausible range, in Unit
}

func (e *ImplausibleError) Error() string {
	return fmt.Sprintf("reading: %s is outside the plausible range %g–%g %s", e.Field, e.Min, e.Max, humanUnit(e.Unit))
}

// Is makes an *ImplausibleError match [ErrImplausible].
func (e *ImplausibleError) Is(target error) bool { return target == ErrImplausible }

// humanUnit writes a UCUM unit the way a patient does.
func humanUnit(ucum string) string {
	switch ucum {
	case "mm[Hg]":
		return "mmHg"
	case "[lb_av]":
		return "lb"
	case "/min":
		return "per minute"
	}
	return ucum
}
