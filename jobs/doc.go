// Package jobs runs rapport's deferred work — a message to send, a journey
// step that wakes up, a dose reminder, the monthly hygiene run — on River
// (github.com/riverqueue/river), in the same database as the domain: SQLite
// through riversqlite, PostgreSQL through riverpgxv5. A domain change and the
// jobs it implies commit in one transaction through [Queue.InsertTx].
//
// Every job kind lives in the package that owns the work, in a file of its
// own; this package only sets up the queue, its clock and its metrics.
package jobs
