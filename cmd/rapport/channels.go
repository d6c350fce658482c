package main

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/channel/smtp"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/web/webhook"
)

// pipeline builds the messaging pipeline with the channels the environment
// configures: Twilio (SMS and voice) when RAPPORT_TWILIO_ACCOUNT_SID is set,
// SMTP email when RAPPORT_SMTP_URL is. Without a channel, messages for it
// are suppressed with the reason "no … channel is configured".
func (a *App) pipeline(env *Env) (*messaging.Pipeline, error) {
	cfg := a.Config
	quiet, _ := rules.ParseWindow(cfg.QuietHours)
	caps, _ := cfg.caps()
	pol := messaging.DefaultPolicy()
	pol.Quiet, pol.OrgTimeZone = quiet, cfg.OrgTimeZone
	pol.Caps = map[rapport.Purpose]rules.Caps{rapport.PurposeOutreach: caps}
	p := &messaging.Pipeline{DB: a.DB, Queue: a.Queue, Clock: a.Clock, Policy: pol, Keywords: rules.DefaultCatalogue(), Staleness: a.Config.Staleness,
		Org: messaging.Org{Name: cfg.OrgName, Phone: cfg.OrgPhone}, Senders: map[rapport.Channel]*messaging.Sender{}, Logger: a.Logger}
	if cfg.Channels == ChannelsSimulator {
		a.simulated = simulatedChannels(p, a.Logger)
		return p, nil
	}

	if env.Getenv(twilio.EnvAccountSID) != "" {
		tc := twilio.ConfigFromEnv(env.Getenv)
		public := strings.TrimSuffix(cfg.PublicURL, "/")
		if public != "" {
			tc.StatusCallbackURL, tc.VoiceURL = public+twilio.PathStatus, public
		}
		tc.Clock = a.Clock
		client, err := twilio.New(tc)
		if err != nil {
			return nil, fmt.Errorf("twilio: %w", err)
		}
		s := &messaging.Sender{Sender: client, From: tc.From, Rate: cfg.SMSRate}
		p.Senders[rapport.ChannelSMS] = s
		if tc.VoiceURL != "" {
			p.Senders[rapport.ChannelVoice] = s
		}
	}
	if env.Getenv("RAPPORT_SMTP_URL") != "" {
		sc, err := smtp.ConfigFromEnv(func(k string) (string, bool) { v := env.Getenv(k); return v, v != "" })
		if err != nil {
			return nil, fmt.Errorf("smtp: %w", err)
		}
		sender, err := smtp.New(sc)
		if err != nil {
			return nil, fmt.Errorf("smtp: %w", err)
		}
		p.Senders[rapport.ChannelEmail] = &messaging.Sender{Sender: sender, From: sc.From, Rate: cfg.EmailRate}
		// Every email carries a one-click unsubscribe link, which needs the
		// key the webhook checks it with and the public address mail
		// clients reach: without them no process that sends starts, rather
		// than send one a patient cannot stop. Commands that only queue
		// (campaign launch) or read (report) send nothing and need neither.
		if cfg.works {
			u, err := unsubscribeLinks(webhook.UnsubscribeKeyFromEnv(env.Getenv), cfg.PublicURL)
			if err != nil {
				return nil, err
			}
			p.UnsubscribeURL = u.URL
		}
	}
	return p, nil
}

// Addresses simulated messages come from: a fictional number (555-01xx is
// reserved for fiction) and a domain that cannot exist.
const (
	simulatorPhone = "+15555550100"
	simulatorEmail = "rapport-simulator@example.invalid"
	// simulatorDelay is how long a simulated patient takes to answer.
	simulatorDelay = 2 * time.Second
)

// simulatedChannels gives every channel to simulated patients who answer
// through p, so a newcomer can try rapport with no provider account.
func simulatedChannels(p *messaging.Pipeline, logger *slog.Logger) *simulator.Patients {
	pts := &simulator.Patients{Receiver: p, Delay: simulatorDelay, Seed: 1, Logger: logger}
	sim := simulator.New()
	sim.Behave = pts.Behave
	for _, ch := range []rapport.Channel{rapport.ChannelSMS, rapport.ChannelVoice} {
		p.Senders[ch] = &messaging.Sender{Sender: sim, From: simulatorPhone}
	}
	p.Senders[rapport.ChannelEmail] = &messaging.Sender{Sender: sim, From: simulatorEmail}
	return pts
}

// simulatedNote is what serve and worker say, whatever the log level, when
// patients are simulated, and what /readyz carries.
const simulatedNote = "SIMULATED channels: messages go to simulated patients in this process, nothing leaves this machine (--channels simulator)"

// noChannels is the channel list of a process that has none.
const noChannels = "none configured"

// noChannelNote is what they say when no channel is configured at all.
const noChannelNote = "NO CHANNEL is configured: rapport will send nothing. Set RAPPORT_TWILIO_ACCOUNT_SID (SMS, voice) or RAPPORT_SMTP_URL (email), or try rapport with --channels simulator"

// channelNames lists the configured channels, for the start-up banner.
func channelNames(p *messaging.Pipeline) string {
	var names []string
	for _, ch := range p.Configured() {
		names = append(names, string(ch))
	}
	if len(names) == 0 {
		return noChannels
	}
	return strings.Join(names, ", ")
}

// unsubscribeLinks builds the signer of emails' unsubscribe links, or says
// which setting is missing.
func unsubscribeLinks(key []byte, publicURL string) (*webhook.Unsubscribe, error) {
	switch {
	case publicURL == "":
		return nil, fmt.Errorf("smtp: email needs --public-url (RAPPORT_PUBLIC_URL): every email carries a one-click unsubscribe link to this server, and rapport sends no email without one")
	case key == nil:
		return nil, fmt.Errorf("smtp: email needs %s (or %s): every email carries a signed one-click unsubscribe link, and rapport sends no email without one", webhook.EnvUnsubscribeKey, webhook.EnvBounceSecret)
	}
	u, err := webhook.NewUnsubscribe(key, strings.TrimSuffix(publicURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("smtp: unsubscribe links: %w", err)
	}
	return u, nil
}

// channelsState is the one word /readyz and the banner give for the
// channels: simulated, none, or the configured ones.
func (a *App) channelsState() string {
	if a.simulated != nil {
		return "simulated"
	}
	return channelNames(a.Pipeline)
}

// warnChannels says on stderr, whatever the log level, when this process
// sends to simulated patients or cannot send at all: neither may be
// mistaken for a server that reaches real patients.
func (a *App) warnChannels(env *Env) {
	switch {
	case a.simulated != nil:
		fmt.Fprintln(env.Stderr, "rapport: "+simulatedNote)
		a.Logger.Warn(simulatedNote)
	case len(a.Pipeline.Configured()) == 0:
		fmt.Fprintln(env.Stderr, "rapport: WARNING: "+noChannelNote)
		a.Logger.Warn(noChannelNote)
	}
}
