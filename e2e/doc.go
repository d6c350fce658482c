// Package e2e proves rapport on the user's path: `rapport serve` runs as a
// separate process on the real clock, with a time scale
// (RAPPORT_TIME_SCALE=57600: a day lasts 1.5 s, so every wake time has
// fractional seconds); the population is imported with
// `rapport import fhir`; the campaign is launched with
// `rapport campaign launch`; and a [Crowd] of scripted patients answers
// through a local server that speaks Twilio's wire protocol
// (channel/twiliotest), with signed webhooks and status callbacks.
//
// Each variant (SQLite; SQLite with serve killed by SIGKILL mid-campaign
// and restarted; PostgreSQL when RAPPORT_TEST_POSTGRES is set) waits at most
// three minutes for every enrollment to finish, then logs a table of
// outcomes, scripted against recorded, and checks every patient's outcome
// and everything that reached every number. Run it with
//
//	CGO_ENABLED=0 go test ./e2e -v -count=1
//
// It skips under -short, except TestCrowd, which checks the simulator.
package e2e
