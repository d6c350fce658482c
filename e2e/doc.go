// Package e2e proves rapport on the user's path: `rapport serve` runs as a
// separate process on the real clock, with a time scale
// (RAPPORT_TIME_SCALE) so that a day lasts about a second; the population
// is imported with `rapport import fhir`; the campaign is launched with
// `rapport campaign launch`; and a [Crowd] of scripted patients answers
// through a local server that speaks Twilio's wire protocol
// (channel/twiliotest), with signed webhooks.
//
// Run it with
//
//	CGO_ENABLED=0 go test ./e2e -v -count=1
//
// (it skips under -short; RAPPORT_TEST_POSTGRES adds the PostgreSQL variant).
package e2e
