package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/rapporthq/rapport"
)

const auditUsage = "usage: rapport audit [--patient ID] [--actor NAME|ID] [--since TIME] [--until TIME] [--limit N] [--format table|json]"

// runAudit prints the audit trail, oldest first: who read or changed
// which patient's data, when.
func runAudit(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	var cfg Config
	cfg.bindDB(fs, env.Getenv)
	var f rapport.AuditFilter
	patient := fs.String("patient", "", "only entries about this patient id")
	fs.StringVar(&f.Actor, "actor", "", "only entries by this token name or id (cli: commands on the server)")
	since := fs.String("since", "", "only entries at or after this RFC 3339 time")
	until := fs.String("until", "", "only entries before this RFC 3339 time")
	fs.IntVar(&f.Limit, "limit", 1000, "at most this many entries")
	format := fs.String("format", "table", "table for people, json for machines (one entry a line)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return withUsage(err, auditUsage+"\n\nPrints the audit trail, oldest first: who read or changed which patient's data, when.")
	}
	if len(pos) > 0 || (*format != "table" && *format != "json") || f.Limit < 1 {
		return usagef("%s", auditUsage)
	}
	f.PatientID = rapport.PatientID(*patient)
	for _, t := range []struct {
		flag, v string
		dst     *time.Time
	}{{"--since", *since, &f.Since}, {"--until", *until, &f.Until}} {
		if t.v == "" {
			continue
		}
		if *t.dst, err = time.Parse(time.RFC3339, t.v); err != nil {
			return usagef("%s %q: want an RFC 3339 time such as 2026-12-01T09:00:00Z", t.flag, t.v)
		}
	}
	if err := checkDB(cfg.DB); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, env.Clock)
	if err != nil {
		return err
	}
	defer db.Close()
	es, err := db.FindAudit(ctx, f)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		for _, a := range es {
			if err := enc.Encode(a); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tAT\tACTOR\tACTION\tRESOURCE\tPATIENT")
	for _, a := range es {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", a.Seq, a.At.Format(time.RFC3339), a.Actor.Name, a.Action, a.Resource, a.PatientID)
	}
	return tw.Flush()
}
