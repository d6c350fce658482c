package main

import (
	"context"
	"flag"
	"fmt"
)

func runMigrate(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	var cfg Config
	cfg.bind(fs, env.Getenv, false)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, env.Clock)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(env.Stdout, "database %s is up to date\n", db)
	return nil
}
