// Package store persists rapport's domain in SQLite (the embedded default,
// through the pure-Go modernc.org/sqlite) or PostgreSQL (through pgx), with
// one set of portable SQL. The few dialect differences — placeholders, types
// in migrations, how a transaction is opened — live in dialect.go,
// sqlite.go and postgres.go; everything else is shared.
//
// The store only persists: business rules live in the domain package and the
// services. A transaction fixes "now" once, from the injected clock, so every
// row a change writes carries the same time.
package store
