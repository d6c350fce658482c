// Package pgtest gives tests a real PostgreSQL database of their own.
//
// The server comes from the environment: scripts/test.sh (make test) and
// scripts/pg.sh start a throwaway cluster and export its admin DSN as
// RAPPORT_TEST_POSTGRES. Without it, tests that call [DSN] or [NewDatabase]
// skip with a loud message, unless RAPPORT_REQUIRE_POSTGRES=1 (set in CI),
// when they fail instead.
//
//	func TestStore(t *testing.T) {
//		t.Parallel()
//		dsn := pgtest.NewDatabase(t) // fresh, empty, dropped when t ends
//		...
//	}
package pgtest
