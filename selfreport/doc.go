// Package selfreport reads what patients text back about their medicines
// and their readings, and writes the questions they answer. It is pure:
// no database, no HTTP, no clock; the adherence journeys and the inbox
// act on what it returns.
//
//   - Check-ins ([CheckinPrompt], [ParseCheckin]): "Did you take your
//     <drug> this morning? 1 yes, 2 not yet, 3 skipped", in English and
//     Spanish, answered by a number, a keypad key or words, stretched or
//     mistyped ("yesss", "todabia no").
//   - Why a dose was skipped ([SkipPrompt], [ParseSkipReason]): six reasons
//     by number or by words, with [Skip.Inbox] saying which go to the
//     care-team inbox (side effects, ran out) and how urgently.
//   - Refill pick-up ([RefillPrompt], [ParseRefill]): yes or not yet.
//   - Readings ([ParseReading]): blood pressure with an optional pulse,
//     glucose (mmol/L converted to mg/dL), weight and heart rate, checked
//     against plausible ranges, as LOINC-coded [Observation]s, graded by a
//     patient's [Thresholds] with [Evaluate].
//
// The parsers never guess. A reply they cannot read with confidence — an
// unknown word among the answer's, two answers, a reading with a stray
// number — is a [*NotUnderstoodError] (matching [ErrNotUnderstood]) for
// the caller to hand to the care-team inbox as it came; a reading out of
// range is an [*ImplausibleError] (matching [ErrImplausible]) to ask the
// patient again. Error messages name fields and word positions, never the
// patient's words or values, so they may be logged.
//
// Words are matched after folding case and accents, so "SÍ", "si" and
// "sí" are one word. Both languages are read whatever the question's
// language: patients answer in either.
package selfreport
