// Package journey runs rapport's declarative journeys: outreach, decliner
// nurture, post-visit check-ins, contact re-verification and whatever an
// organisation writes. A journey is a YAML file, versioned and validated on
// load with errors that name the file, line and field; the engine keeps one
// durable enrollment per patient and journey in the database and advances
// it with jobs on the injected clock.
//
// Steps: send (content per language, channel fallback, keypad choices),
// wait for a reply (with a timeout; branches on the reply's intent), branch
// on an expression, record an outcome, set a patient attribute, enroll in
// another journey, notify the care team, wait a while, end. Segments and
// conditions are expressions over patient attributes (expr-lang/expr), such
// as `rural && age >= 50 && has_condition("I10") && !enrolled("remote-bp")`.
package journey
