package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rapporthq/rapport/channel/mailin"
	"github.com/rapporthq/rapport/channel/smtp"
)

// listenMail starts the SMTP listener of patients' replies when
// --smtp-addr is set. It accepts mail for the domains of
// RAPPORT_SMTP_FROM and RAPPORT_SMTP_REPLY_TO (every domain when neither is
// set), and threads by RAPPORT_SMTP_REPLY_TO's plus-addresses.
func (a *App) listenMail(ctx context.Context, env *Env) (stop func(), err error) {
	if a.Config.SMTPAddr == "" {
		return func() {}, nil
	}
	replyTo := a.Getenv(smtp.EnvReplyTo)
	var domains []string
	for _, addr := range []string{a.Getenv(smtp.EnvFrom), replyTo} {
		addr = strings.TrimSpace(strings.TrimSuffix(addr, ">"))
		if i := strings.LastIndexByte(addr, '@'); i >= 0 && i < len(addr)-1 {
			domains = append(domains, addr[i+1:])
		}
	}
	srv, err := mailin.Listen(ctx, mailin.ServerConfig{Addr: a.Config.SMTPAddr, Domains: domains},
		&mailin.Receiver{Pipeline: a.Pipeline, ReplyTo: replyTo, Logger: a.Logger}, a.Logger)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(env.Stdout, "rapport receiving email replies on smtp://%s\n", srv.Addr())
	return func() {
		shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := srv.Close(shutdown); err != nil {
			a.Logger.Warn("smtp listener: close", "err", err)
		}
	}, nil
}
