package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
)

const campaignUsage = "usage: rapport campaign launch --journey ID [--segment EXPR] [--holdout PCT] [--throttle N] [--start RFC3339] [--name NAME] [--force]" +
	" | campaign list | campaign show ID | campaign pause|resume|cancel ID"

const campaignHelp = `usage: rapport campaign SUBCOMMAND [flags]

Campaigns enroll a segment of patients in a journey. These commands queue work;
a running rapport serve or rapport worker does it.

Subcommands:
  launch --journey ID [--segment EXPR] [--holdout PCT] [--throttle N] [--start RFC3339] [--name NAME] [--force]
                          enroll the segment in the journey, now or at --start; refused while no
                          running serve or worker has a channel, unless --force
  list                    every campaign: id, status, journey, enrolled, held out, start, name
  show ID                 one campaign and its report
  pause ID | resume ID    stop sending for a while, and start again
  cancel ID               end the campaign: its queued messages are not sent, its enrollments end`

// runCampaign launches, lists, shows and steers campaigns. It queues work
// (the launch job) but runs none: `rapport serve` or `rapport worker` does.
func runCampaign(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("%s", campaignUsage)
	}
	sub := args[0]
	if isHelp(sub) {
		sub = "" // the flags of every subcommand
	}
	fs := flag.NewFlagSet(strings.TrimSpace("campaign "+sub), flag.ContinueOnError)
	var cfg Config
	cfg.bind(fs, env.Getenv, false)
	journeyID := fs.String("journey", "", "the journey to launch (launch)")
	segment := fs.String("segment", "", "an expression choosing the patients, such as 'rural && age >= 65'; default the journey's (launch)")
	holdout := fs.Float64("holdout", 0, "percent of the segment held out, never contacted, to measure lift (launch)")
	throttle := fs.Int("throttle", 0, "patients started per hour; 0 starts everyone at once (launch)")
	startAt := fs.String("start", "", "when to launch, RFC 3339 such as 2026-12-01T09:00:00Z; default now (launch)")
	name := fs.String("name", "", "a name for the campaign; default the journey's (launch)")
	force := fs.Bool("force", false, "launch even though no running serve or worker has a channel configured; the campaign waits for one that has (launch)")
	if sub == "" {
		return helpError{usage: campaignHelp, flags: fs}
	}
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return withUsage(err, campaignHelp)
	}
	var start time.Time
	switch {
	case sub == "launch" && len(pos) == 0:
		if *journeyID == "" {
			return usagef("campaign launch needs --journey")
		}
		if *startAt != "" {
			if start, err = time.Parse(time.RFC3339, *startAt); err != nil {
				return usagef("--start %q is not an RFC 3339 time such as 2026-12-01T09:00:00Z", *startAt)
			}
		}
	case sub == "list" && len(pos) == 0:
	case (sub == "show" || sub == "pause" || sub == "resume" || sub == "cancel") && len(pos) == 1:
	default:
		return usagef("%s", campaignUsage)
	}
	app, err := newApp(ctx, cfg, env)
	if err != nil {
		return err
	}
	defer app.Close()
	switch sub {
	case "launch":
		if err := checkSenders(ctx, app, env, *force); err != nil {
			return err
		}
		c := &rapport.Campaign{Journey: *journeyID, Segment: *segment, HoldoutPercent: *holdout, Throttle: *throttle, StartAt: start.UTC(), Name: *name}
		if err := app.DB.InTx(ctx, func(tx *store.Tx) error { return app.Journeys.CreateCampaign(ctx, tx, c) }); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, c.ID)
		fmt.Fprintf(env.Stderr, "campaign %s (%s, journey %s v%d) launches at %s; a running `rapport serve` or `rapport worker` does the work\n",
			c.ID, c.Name, c.Journey, c.Version, c.StartAt.Format(time.RFC3339))
	case "list":
		cs, err := app.DB.FindCampaigns(ctx, rapport.CampaignFilter{})
		if err != nil {
			return err
		}
		live, err := countLive(ctx, app.DB, cs...)
		if err != nil {
			return err
		}
		for _, c := range cs {
			writeCampaignLine(env.Stdout, c, live[c.ID])
		}
	case "show":
		c, err := app.DB.FindCampaign(ctx, pos[0])
		if err != nil {
			return err
		}
		live, err := countLive(ctx, app.DB, c)
		if err != nil {
			return err
		}
		r, err := app.report(ctx, metrics.Filter{Campaign: c.ID})
		if err != nil {
			return err
		}
		writeCampaign(env.Stdout, c, live[c.ID])
		fmt.Fprintln(env.Stdout)
		writeReport(env.Stdout, r, fmt.Sprintf("campaign %s — %s (%s)", c.ID, c.Name, c.Progress(live[c.ID])))
	default:
		status := map[string]rapport.CampaignStatus{"pause": rapport.CampaignPaused, "resume": rapport.CampaignRunning, "cancel": rapport.CampaignCancelled}[sub]
		var c *rapport.Campaign
		if err := app.DB.InTx(ctx, func(tx *store.Tx) (err error) {
			c, err = app.Journeys.SetCampaignStatus(ctx, tx, pos[0], status)
			return err
		}); err != nil {
			return err
		}
		live, err := countLive(ctx, app.DB, c)
		if err != nil {
			return err
		}
		writeCampaignLine(env.Stdout, c, live[c.ID])
	}
	return nil
}

// countLive counts the campaigns' live enrollments, from which
// [rapport.Campaign.Progress] says whether a launched one runs or is done.
func countLive(ctx context.Context, db *store.DB, cs ...*rapport.Campaign) (map[string]int, error) {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return db.CountLive(ctx, ids)
}

func writeCampaignLine(w io.Writer, c *rapport.Campaign, live int) {
	fmt.Fprintf(w, "%s  %-9s %-12s enrolled %-7d held out %-6d start %s  %s\n", c.ID, c.Progress(live), c.Journey, c.Enrolled, c.HeldOut,
		c.StartAt.Format("2006-01-02 15:04Z"), c.Name)
}

func writeCampaign(w io.Writer, c *rapport.Campaign, live int) {
	segment := c.Segment
	if segment == "" {
		segment = "(the journey's)"
	}
	fmt.Fprintf(w, "campaign  %s\nname      %s\njourney   %s v%d\nsegment   %s\nstatus    %s\nstart     %s\n",
		c.ID, c.Name, c.Journey, c.Version, segment, c.Progress(live), c.StartAt.Format(time.RFC3339))
	fmt.Fprintf(w, "hold-out  %g%%  throttle %d/h\nenrolled  %d  held out %d  still in the journey %d\n", c.HoldoutPercent, c.Throttle, c.Enrolled, c.HeldOut, live)
}

// checkSenders refuses a launch that no running process could send, unless
// forced: it would wait, or worse, tell a newcomer nothing. With no process
// running at all it only says the campaign starts when one does.
func checkSenders(ctx context.Context, app *App, env *Env, force bool) error {
	live, senders, err := app.liveSenders(ctx)
	switch {
	case err != nil:
		return err
	case live == 0:
		fmt.Fprintln(env.Stderr, "note: no `rapport serve` or `rapport worker` is running on this database now; the campaign starts when one with a channel does")
	case senders == 0 && !force:
		return rapport.Errorf(rapport.EUNAVAILABLE, "campaign launch: the %d running serve or worker process(es) on this database have no channel configured, so no patient could be messaged. "+
			"Configure Twilio (RAPPORT_TWILIO_ACCOUNT_SID …) or SMTP (RAPPORT_SMTP_URL), or try rapport with `rapport serve --channels simulator`, and restart them; "+
			"or pass --force to queue the campaign anyway (it waits until a process with a channel runs)", live)
	case senders == 0:
		fmt.Fprintln(env.Stderr, "warning: no running process has a channel configured; the campaign waits until one does (--force)")
	}
	return nil
}
