package main

import (
	"context"
	"fmt"
)

func runWorker(ctx context.Context, env *Env, args []string) error {
	app, err := startApp(ctx, env, "worker", args)
	if err != nil {
		return err
	}
	defer app.Close()
	fmt.Fprintf(env.Stdout, "rapport worker running %d workers (database %s; channels: %s)\n", app.Config.Workers, app.DB, app.channelsState())
	return app.run(ctx, nil)
}
