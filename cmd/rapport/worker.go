package main

import (
	"context"
	"flag"
	"fmt"
)

func runWorker(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	var cfg Config
	cfg.bind(fs, env.Getenv, true)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	cfg.warnTimeScale(env)
	app, err := newApp(ctx, cfg, env)
	if err != nil {
		return err
	}
	defer app.Close()
	app.warnChannels(env)
	fmt.Fprintf(env.Stdout, "rapport worker running %d workers (database %s; channels: %s)\n", cfg.Workers, app.DB, app.channelsState())
	return app.run(ctx, nil)
}
