package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/web"
)

const tokenUsage = "usage: rapport token create --role admin|staff|integration --name NAME | token list | token revoke ID"

const tokenHelp = `usage: rapport token SUBCOMMAND [flags]

API tokens: each request to /api/v1 and /fhir/R4 carries one (Authorization: Bearer …).

Subcommands:
  create --role ROLE [--name NAME]   make a token and print its secret, once;
                                     ROLE is admin, staff or integration
  list                               every token: id, role, name, created, active or revoked
  revoke ID                          stop a token working`

func runToken(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("%s", tokenUsage)
	}
	sub := args[0]
	if isHelp(sub) {
		sub = "" // the flags of every subcommand
	}
	fs := flag.NewFlagSet("token "+sub, flag.ContinueOnError)
	var cfg Config
	cfg.bindDB(fs, env.Getenv)
	role := fs.String("role", "", "role of the new token: admin, staff or integration (create)")
	name := fs.String("name", "", "who or what the token is for (shown in the audit trail); default the role (create)")
	if sub == "" {
		return helpError{usage: tokenHelp, flags: fs}
	}
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return withUsage(err, tokenHelp)
	}
	if err := checkDB(cfg.DB); err != nil {
		return err
	}
	switch {
	case sub == "create" && len(pos) == 0:
		if !rapport.Role(*role).Valid() {
			return usagef("--role %q: want admin, staff or integration", *role)
		}
		if *name == "" {
			*name = *role
		}
	case sub == "list" && len(pos) == 0, sub == "revoke" && len(pos) == 1:
	default:
		return usagef("%s", tokenUsage)
	}
	db, err := openDB(ctx, cfg, env.Clock)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "create":
		secret, hash := web.NewToken()
		t := &rapport.Token{Name: *name, Role: rapport.Role(*role)}
		if err := db.CreateToken(ctx, t, hash); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, secret)
		fmt.Fprintf(env.Stderr, "token %s (%s, role %s) created; the secret above is shown only once\n", t.ID, t.Name, t.Role)
	case "list":
		ts, err := db.FindTokens(ctx)
		if err != nil {
			return err
		}
		for _, t := range ts {
			state := "active"
			if !t.RevokedAt.IsZero() {
				state = "revoked " + t.RevokedAt.Format("2006-01-02")
			}
			fmt.Fprintf(env.Stdout, "%s  %-12s %-20s %s  %s\n", t.ID, t.Role, t.Name, t.CreatedAt.Format("2006-01-02"), state)
		}
	case "revoke":
		if err := db.RevokeToken(ctx, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "token %s revoked\n", pos[0])
	}
	return nil
}
