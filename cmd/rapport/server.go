package main

import (
	"strings"

	"github.com/rapporthq/rapport/channel/smtp"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/web"
	"github.com/rapporthq/rapport/web/api"
	"github.com/rapporthq/rapport/web/fhirapi"
	"github.com/rapporthq/rapport/web/webhook"
)

// mount registers every handler on srv, which listens already: public URLs
// (FHIR fullUrls, webhook addresses) start with --public-url, or with the
// listening address when it is not set. Webhook secrets come from the
// environment: RAPPORT_TWILIO_AUTH_TOKEN (Twilio signatures),
// RAPPORT_BOUNCE_SECRET (the bounce webhook's bearer secret),
// RAPPORT_INBOUND_EMAIL_SECRET (the inbound-parse webhook's path secret) and the
// unsubscribe key (see [webhook.UnsubscribeKeyFromEnv]).
func (a *App) mount(srv *web.Server) {
	getenv := a.Getenv
	public := strings.TrimSuffix(a.Config.PublicURL, "/")
	if public == "" {
		public = "http://" + srv.Addr()
	}
	fhirapi.Register(srv.Mux, fhirapi.Deps{DB: a.DB, Queue: a.Queue, Importer: a.Importer, Tokens: a.DB,
		Base: public + fhirapi.Prefix, Version: Version, Clock: a.Clock})
	api.Register(srv.Mux, api.Deps{DB: a.DB, Pipeline: a.Pipeline, Tokens: a.DB, Clock: a.Clock, Logger: a.Logger, Journeys: a.Journeys, Metrics: a.report, Adherence: a.adherence, Registry: a.Journeys,
		Hygiene: a.DB})
	wd := webhook.Deps{Pipeline: a.Pipeline, Messages: a.DB, TwilioAuthToken: getenv(twilio.EnvAuthToken), PublicURL: public,
		BounceSecret: getenv(webhook.EnvBounceSecret), InboundEmailSecret: getenv(webhook.EnvInboundEmailSecret),
		ReplyTo: getenv(smtp.EnvReplyTo), Logger: a.Logger}
	if key := webhook.UnsubscribeKeyFromEnv(getenv); key != nil {
		if u, err := webhook.NewUnsubscribe(key, public); err == nil {
			wd.Unsubscribe, wd.OptOut = u, webhook.EmailOptOut{DB: a.DB}
		} else {
			a.Logger.Warn("unsubscribe links are off", "err", err)
		}
	}
	webhook.Register(srv.Mux, wd)
}
