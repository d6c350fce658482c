// Package readings takes the measurements patients text back — "142/90",
// "glucose 180", "presión 150 sobre 95" — as a [messaging.ReplyHandler]:
// a reply that [selfreport.ParseReading] reads is stored as LOINC-coded
// observations graded by the patient's thresholds (the defaults when
// staff set none), a reading above normal goes to the care-team inbox
// with its level's priority — or the one set by the patient's regimens
// the reading concerns (reading_priority: a blood pressure on an
// antihypertensive, a glucose on a diabetes drug; see [Concerns]), never
// below urgent for an urgent one — and the patient is told it was
// recorded: for an urgent one, that the care team will call and when to
// call 911.
//
// Any other reply goes on to the next handler. In the chain it sits after
// the dose reminders (whose "1"/"2"/"3" and "8PM" answers are theirs, and
// which the parser refuses anyway) and before the journeys.
package readings
