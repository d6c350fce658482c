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
//
// TestCampaignPacedAcrossWorkers launches an SMS campaign against serve and
// two workers on PostgreSQL, all started with one --sms-rate, and checks
// that together they hold it within 2% at the Twilio fake, with every
// patient sent one message and the work shared.
//
// TestImportKilled kills `rapport import fhir` with SIGKILL early and midway
// through a first import and through a nightly delta, on both databases:
// each time the database must be as before (SQLite's indexes and integrity
// check too), and the same command run again imports the whole file.
// TestLiveFeedKilled kills serve while 40 clients post changed patients:
// every Bundle answered 200 must be found unchanged when posted again.
// TestNightlySync imports a CRM's patients and then a delta with `rapport
// import fhir`: each changed patient's ledger names what changed and keeps
// its old number as stale, a new record with a stored patient's MRN is
// reported at GET /api/v1/duplicates, and the delta imported again changes
// nothing.
//
// The campaign benchmarks (BenchmarkCampaign*) measure campaign speed the
// way a user meets it (issue 11): N patients with one contact point each,
// imported with `rapport import fhir` (not timed); a one-step journey (send
// to everyone, then end) launched with `rapport campaign launch --holdout 0`
// against `rapport serve` as a process on the real clock (default settings,
// unpaced, quiet hours and outreach caps off; on PostgreSQL two
// `rapport worker` processes beside it); every message timed where it
// arrives: a go-smtp server on loopback, which advertises PIPELINING and
// CHUNKING, for a 4.7 KB text+HTML email (10 SMTP connections), or the
// Twilio fake for an SMS. Each iteration starts from a fresh database.
// They report, per iteration:
//
//	msg/s              messages over the time from the first to the last arrival (of the first wave)
//	s-launch-to-first  from the launch command's return to the first arrival
//	MB-peak-RSS        VmHWM of the serve process at the end
//	MB-worker-RSS      the largest VmHWM of the worker processes (PostgreSQL)
//	cpu-µs/msg         CPU (user+system, start-up included) of serve and the workers per message sent
//
//	msg/s-wave2        the second wave's rate, for the two-step journey
//	s-start-to-first   for the Scheduled variants, launched with --start 20 s
//	                   ahead: from that start time to the first arrival
//
// BenchmarkCampaignTwoStepEmailSQLite sends, waits an hour (on a time scale
// that makes the hour outlast the first wave) and sends again to everyone
// who did not answer, which is everyone. Each run logs when each kind of job
// was created and worked, relative to launch. RAPPORT_BENCH_PROFILE=FILE
// takes a CPU profile of serve over the campaign's first
// RAPPORT_BENCH_PROFILE_SECONDS (default 5) through its --debug-addr.
//
// Run them with (RAPPORT_BENCH_PATIENTS sets N, default 5000)
//
//	CGO_ENABLED=0 go test ./e2e -run '^$' -bench BenchmarkCampaign -benchtime 1x -timeout 30m
//
// BenchmarkFHIRPostOneChanged{SQLite,Postgres} is the live feed of the
// nightly-sync issue: serve over RAPPORT_BENCH_BASE patients (default
// 20,000), RAPPORT_BENCH_CLIENTS clients (50) posting RAPPORT_BENCH_POSTS
// (2,000) changed patients, one per FHIR Bundle; it reports the answer
// time's p50 and p99 (ms-p50, ms-p99), req/s and serve's CPU per request,
// and fails unless every posted patient holds its new number.
package e2e
