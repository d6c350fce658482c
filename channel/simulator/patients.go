package simulator

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"sort"
	"sync/atomic"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
)

// Patients are simulated patients for trying rapport without a provider
// account (`rapport serve --channels simulator`): every message is
// delivered, and a share of them is answered after Delay, on the real
// clock, through the same inbound path a provider's webhook takes. What a
// patient answers is drawn from the address, the text and Seed, so the
// same message to the same patient gets the same answer each time (a
// walkthrough can show it). Answers still waiting when the process stops
// are lost, as a simulated patient's would be: nothing real was sent.
type Patients struct {
	// Receiver takes the answers in (the pipeline).
	Receiver Receiver
	// Delay is how long a patient takes to answer; 0 answers at once.
	Delay time.Duration
	Seed  uint64
	// After runs f after d; time.AfterFunc when nil (tests run it at once).
	After  func(d time.Duration, f func())
	Logger *slog.Logger

	n       atomic.Int64
	answers atomic.Int64
}

// Answered counts the answers given so far.
func (p *Patients) Answered() int64 { return p.answers.Load() }

// Behave delivers m and perhaps schedules an answer; it is the BehaveFunc
// of a [Simulator].
func (p *Patients) Behave(m channel.Message) (channel.Result, error) {
	res := channel.Result{ProviderID: fmt.Sprintf("%s%010d", rapport.SimulatedPrefix, p.n.Add(1)), Status: string(rapport.MessageDelivered), Segments: 1}
	in := p.Answer(m)
	if in == nil {
		return res, nil
	}
	after := p.After
	if after == nil {
		after = func(d time.Duration, f func()) { time.AfterFunc(d, f) }
	}
	after(p.Delay, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := p.Receiver.Receive(ctx, in); err != nil && p.Logger != nil {
			p.Logger.Warn("a simulated patient's answer was not taken", "channel", in.Channel, "err", err)
			return
		}
		p.answers.Add(1)
	})
	return res, nil
}

// optionRE finds the numbered options a message offers ("Reply 1 for yes,
// 2 for no", "Press 1 …").
var optionRE = regexp.MustCompile(`\b([1-9])\b`)

// words are free-text answers by language: a yes, a no with a reason, a
// question.
var words = map[string][3][]string{
	"en": {{"Yes please", "yes"}, {"No, it costs too much", "no thanks, I don't need it", "No. I don't trust apps with my health data"}, {"What is this about?", "Who is this?"}},
	"es": {{"Sí, por favor", "si"}, {"No, cuesta demasiado", "no gracias, no lo necesito"}, {"¿De qué se trata?", "¿Quién es?"}},
}

// Answer is what the patient m went to says back, or nil for silence: about
// a third stay silent, the rest pick an offered option or answer in words.
func (p *Patients) Answer(m channel.Message) *rapport.Inbound {
	h := fnv.New64a()
	h.Write([]byte(m.To + "\x00" + m.Body))
	r := rand.New(rand.NewPCG(p.Seed, h.Sum64()))
	roll := r.Float64()
	if roll < 0.35 {
		return nil
	}
	if m.Channel == rapport.ChannelVoice {
		keys := make([]string, 0, len(m.Choices))
		for k := range m.Choices {
			keys = append(keys, k)
		}
		if len(keys) == 0 {
			return nil // a call that asks nothing hears nothing back
		}
		sort.Strings(keys)
		return &rapport.Inbound{Channel: m.Channel, From: m.To, To: m.From, Body: keys[r.IntN(len(keys))], InReplyTo: rapport.MessageID(m.ID)}
	}
	body := ""
	if opts := optionRE.FindAllString(m.Body, -1); len(opts) > 0 && roll < 0.8 {
		body = opts[r.IntN(len(opts))]
	} else {
		ws, ok := words[m.Language]
		if !ok {
			ws = words["en"]
		}
		kind := ws[r.IntN(len(ws))]
		body = kind[r.IntN(len(kind))]
	}
	return &rapport.Inbound{Channel: m.Channel, From: m.To, To: m.From, Body: body}
}
