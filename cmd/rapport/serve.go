package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/rapporthq/rapport/internal/gctune"
	"github.com/rapporthq/rapport/web"
)

func runServe(ctx context.Context, env *Env, args []string) error {
	app, err := startApp(ctx, env, "serve", args)
	if err != nil {
		return err
	}
	defer app.Close()
	srv := web.NewServer(app.DB, app.Registry, app.Logger)
	srv.SetReadyDetail("channels", app.channelsState())
	if err := srv.Listen(app.Config.Addr); err != nil {
		return err
	}
	app.mount(srv)
	stopMail, err := app.listenMail(ctx, env)
	if err != nil {
		return err
	}
	defer stopMail()
	fmt.Fprintf(env.Stdout, "rapport listening on http://%s (database %s; channels: %s)\n", srv.Addr(), app.DB, app.channelsState())
	return app.run(ctx, srv)
}

// gcFloor is the smallest heap goal of serve, worker and demo (see
// internal/gctune): collecting a 20 MB heap as if it were this size took
// a third off serve's CPU per campaign message.
const gcFloor = 64 << 20

// rewakeGrace is how late an enrollment must be, when a server or worker
// starts, before it gets a wake job of its own again.
const rewakeGrace = time.Minute

// run works jobs and serves (srv may be nil for a worker) until ctx ends,
// then shuts down gracefully.
func (a *App) run(ctx context.Context, srv *web.Server) error {
	stopDebug, err := serveDebug(ctx, a.Config.DebugAddr)
	if err != nil {
		return err
	}
	defer stopDebug()
	stopGC, _ := gctune.Floor(gcFloor, 100, a.Getenv)
	defer stopGC()
	if err := a.Journeys.StartTriggers(ctx); err != nil {
		return err
	}
	if n, err := a.Journeys.Rewake(ctx, rewakeGrace); err != nil {
		return err
	} else if n > 0 {
		a.Logger.Warn("woke overdue enrollments whose wake job was missing or late", "enrollments", n)
	}
	if err := a.Queue.Start(ctx); err != nil {
		return err
	}
	kind := "worker"
	if srv != nil {
		kind = "serve"
	}
	stopBeat := a.beat(ctx, kind)
	defer stopBeat()
	errc := make(chan error, 1)
	if srv != nil {
		go func() { errc <- srv.Serve() }()
	}
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if srv != nil {
		err = errors.Join(err, srv.Shutdown(shutdown))
	}
	return errors.Join(err, a.Queue.Stop(shutdown))
}

// parseFlags parses args, refusing stray positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	quietFlags(fs)
	if err := fs.Parse(args); err != nil {
		return flagError(fs, err)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}
