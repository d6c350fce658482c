// Command rapport is the patient-engagement server: one binary with
// subcommands for serving, working jobs, migrating, importing and more.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/rapporthq/rapport"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the HTTP server and the job workers", runServe},
		{"worker", "run job workers only (scale out on PostgreSQL)", runWorker},
		{"migrate", "apply database migrations and exit", runMigrate},
		{"import", "import patients and records: import fhir PATH… | import csv FILE --mapping MAP.yaml", runImport},
		{"generate", "write a synthetic patient population as FHIR NDJSON and CSV", runGenerate},
		{"demo", "run the main job: a simulated quarter on a synthetic clinic, and the report", runDemo},
		{"campaign", "launch and steer campaigns: campaign launch --journey ID … | list | show ID | pause|resume|cancel ID", runCampaign},
		{"report", "print metrics from the ledger: report [--campaign ID] [--format text|json] | report adherence [--from D] [--to D]", runReport},
		{"hygiene", "clean the patient list: hygiene run | report [--run ID] [--format text|json] | export --out DIR", runHygiene},
		{"audit", "read the audit trail: audit [--patient ID] [--actor NAME] [--since T] [--until T] [--format table|json]", runAudit},
		{"token", "manage API tokens: token create --role ROLE --name NAME | token list | token revoke ID", runToken},
		{"version", "print the version", runVersion},
	}
}

// Env is what a command gets from the outside world, so tests can run
// commands in-process.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Clock is the clock every component uses; tests may inject one.
	Clock rapport.Clock
}

// usageError is a command-line mistake: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Clock: rapport.SystemClock{}}
	os.Exit(Main(ctx, env, os.Args[1:]))
}

// Main runs the command line args and returns the exit status: 0 success,
// 1 failure (one line on stderr), 2 bad usage.
func Main(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 {
		printUsage(env.Stderr)
		return 2
	}
	if isHelp(args[0]) {
		if len(args) == 1 {
			printUsage(env.Stdout) // asked for: stdout, so it pipes to less
			return 0
		}
		args = []string{args[1], "--help"} // rapport help import
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, args[1:])
		var ue usageError
		var he helpError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &he):
			he.write(env.Stdout, c)
			return 0
		case errors.As(err, &ue):
			fmt.Fprintf(env.Stderr, "rapport %s: %s\n", c.name, ue.msg)
			return 2
		default:
			fmt.Fprintf(env.Stderr, "rapport %s: %s\n", c.name, oneLine(err))
			return 1
		}
	}
	fmt.Fprintf(env.Stderr, "rapport: unknown command %q\n", args[0])
	printUsage(env.Stderr)
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "rapport — patient engagement that reaches the patients outreach misses")
	fmt.Fprintln(w, "\nUsage: rapport COMMAND [flags]   (rapport COMMAND --help for its flags)")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
}

// oneLine turns an error into the one-line reason printed on failure.
func oneLine(err error) string {
	msg, _, cut := strings.Cut(err.Error(), "\n")
	if cut {
		msg += " …"
	}
	return msg
}
