package main

import (
	"flag"
	"strings"
)

// bindDB declares --db alone, for the commands that only open the
// database (import, token, audit): their help lists what they use.
func (c *Config) bindDB(fs *flag.FlagSet, getenv func(string) string) {
	dsn := getenv("RAPPORT_DB")
	if dsn == "" {
		dsn = DefaultDB
	}
	fs.StringVar(&c.DB, "db", dsn, "database: sqlite:PATH or postgres://… (env RAPPORT_DB)")
}

// checkDB validates a --db value.
func checkDB(dsn string) error {
	if !strings.HasPrefix(dsn, "sqlite:") && !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return usagef("--db %q: want sqlite:PATH or postgres://…", dsn)
	}
	return nil
}
