package behaviour

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/messaging/rules"
)

// Stats counts what the model did, for tests and the demo's log.
type Stats struct {
	Delivered, Failed, Unknown int
	Answered, Stops, Late      int
	Declines, Accepts          int
	MindChanges                int
	// Fills counts the pharmacy fills during the run; RefillReminders the
	// supplies a delivered refill reminder named, FillsSooner those it
	// brought forward.
	Fills, RefillReminders, FillsSooner int
}

// Stats returns the counts so far.
func (m *Model) Stats() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stats
}

// Behave is the simulator's BehaveFunc: what the provider answers for m,
// and, for a delivered message, the person's answer queued in the agenda.
func (m *Model) Behave(msg channel.Message) (channel.Result, error) {
	now := m.clock.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	a, p := m.lookup(msg.To)
	if a == nil {
		m.stats.Unknown++
		return m.delivered(msg), nil // someone rapport does not know: nobody answers
	}
	if err := m.fails(msg, a); err != nil {
		m.stats.Failed++
		return channel.Result{}, err
	}
	m.stats.Delivered++
	res := m.delivered(msg)
	if a.status == "reassigned" {
		if !m.wrongSaid[a] && msg.Channel != rapport.ChannelVoice {
			r := m.rng(msg.To, "wrong", 0)
			if r.Float64() < m.p.WrongNum {
				m.wrongSaid[a] = true
				at := m.awakeAt(now.Add(m.delay(r, msg.Channel)), p.loc, r)
				m.agenda.push(Reply{At: at, Channel: msg.Channel, From: msg.To, To: msg.From, Body: pick(r, m.words(p).WrongNumber)})
			}
		}
		return res, nil
	}
	if isRefillReminder(msg) {
		m.remind(now, msg, p)
	}
	m.answer(now, msg, p)
	return res, nil
}

// delivered is the provider's answer to a message that reached its
// address: a delivery receipt for an SMS or a call, none for an email, as
// an SMTP relay gives none.
func (m *Model) delivered(msg channel.Message) channel.Result {
	res := channel.Result{ProviderID: "SIM-" + msg.ID, Status: string(rapport.MessageDelivered)}
	if msg.Channel == rapport.ChannelEmail {
		res.Status = string(rapport.MessageSent)
	}
	if msg.Channel == rapport.ChannelSMS {
		_, _, res.Segments = rules.Segments(msg.Body)
	}
	return res
}

// fails is the provider's error for an address that cannot take msg.
func (m *Model) fails(msg channel.Message, a *address) error {
	switch msg.Channel {
	case rapport.ChannelSMS:
		switch {
		case a.status == "malformed":
			return &channel.Error{Kind: channel.ErrBadAddress, Code: "21211", Msg: "invalid 'To' phone number"}
		case a.status == "disconnected":
			return &channel.Error{Kind: channel.ErrBadAddress, Code: "30005", Msg: "unknown destination handset"}
		case a.status == "landline" || a.lineType == "landline":
			return &channel.Error{Kind: channel.ErrBadAddress, Code: "30006", Msg: "landline or unreachable carrier"}
		}
	case rapport.ChannelVoice:
		if a.status == "malformed" || a.status == "disconnected" {
			return &channel.Error{Kind: channel.ErrBadAddress, Code: "21214", Msg: "'To' phone number cannot be reached"}
		}
	case rapport.ChannelEmail:
		if a.status != "ok" {
			return &channel.Error{Kind: channel.ErrBadAddress, Code: "550", Msg: "mailbox unavailable"}
		}
	}
	return nil
}

// step tells what a message is from its numbered choices and the person's history.
func step(msg channel.Message, p *person) string {
	labels := make([]string, 0, len(msg.Choices))
	for _, l := range msg.Choices {
		labels = append(labels, l)
	}
	switch {
	case slices.Contains(labels, "yes") && slices.Contains(labels, "no"):
		switch {
		case p.declined:
			return StepReoffer
		case p.offered > 0:
			return StepRetry
		}
		return StepOffer
	case slices.Contains(labels, "better") || slices.Contains(labels, "worse"):
		return StepCheckin
	case slices.Contains(labels, "cost") || slices.Contains(labels, "no_need"):
		return StepReasonQuestion
	}
	return StepOther
}

// chance is the chance that p answers msg, delivered at now.
func (m *Model) chance(msg channel.Message, p *person, st string, now time.Time) float64 {
	r := m.p.Reply
	ch := string(msg.Channel)
	c := p.truth.Traits.Responsiveness * r.Channel[ch] * r.Step[st]
	if p.truth.Rural {
		c *= r.Rural[ch]
	} else {
		c *= r.Urban[ch]
	}
	if p.truth.Older {
		c *= r.Older[ch]
	} else {
		c *= r.Younger[ch]
	}
	pref := p.truth.Traits.PreferredChannel
	if pref == "web" {
		pref = "email"
	}
	if pref == ch {
		c *= r.Preferred
	}
	c *= math.Pow(r.Fatigue, float64(p.unanswered))
	c *= math.Pow(m.p.Wear.Reply, float64(p.received-1)) // received counts this message
	if m.annoyed(p, st) {
		c *= m.p.Annoyance.Reply
	}
	if now.In(p.loc).Hour() >= 19 {
		c *= r.Evening
	}
	return min(c, r.Max)
}

// answer decides p's answer to msg and queues it.
func (m *Model) answer(now time.Time, msg channel.Message, p *person) {
	st := step(msg, p)
	n := p.received
	p.received++
	if st == StepOther && p.stated {
		// A message that is neither a question nor an offer, after a
		// reason: the answer to it (nurture's reply to the reason).
		p.heard, p.listened = true, true
	}
	if st == StepOffer || st == StepRetry || st == StepReoffer {
		p.offered++
	}
	r := m.rng(p.id, "msg", n)
	if r.Float64() >= m.chance(msg, p, st, now) {
		p.unanswered++
		return
	}
	accepts := m.stats.Accepts
	body, ok := m.compose(r, msg, p, st)
	if m.stats.Accepts > accepts {
		m.follow(p, now)
	}
	if !ok {
		p.unanswered++
		return
	}
	m.stats.Answered++
	reply := Reply{Channel: msg.Channel, From: msg.To, To: msg.From, Body: body}
	if msg.Channel == rapport.ChannelVoice {
		reply.InReplyTo = msg.ID
	}
	at := now.Add(m.delay(r, msg.Channel))
	if msg.Channel != rapport.ChannelVoice && r.Float64() < m.p.Delay.LateShare {
		days := m.p.Delay.LateDaysMin + r.Float64()*(m.p.Delay.LateDaysMax-m.p.Delay.LateDaysMin)
		at, reply.Late = now.Add(time.Duration(days*24*float64(time.Hour))), true
		m.stats.Late++
	}
	if msg.Channel != rapport.ChannelVoice {
		at = m.awakeAt(at, p.loc, r)
	}
	reply.At = at
	m.agenda.push(reply)
}

// compose writes p's answer to msg; false when p has nothing to say on
// this channel (a keypad cannot give a reason in words).
func (m *Model) compose(r *rand.Rand, msg channel.Message, p *person, st string) (string, bool) {
	voice := msg.Channel == rapport.ChannelVoice
	w := m.words(p)
	annoyed := m.annoyed(p, st)
	if !voice && r.Float64() < m.stopChance(p, annoyed) {
		m.stats.Stops++
		return pick(r, w.Stop), true
	}
	reason := p.truth.Traits.DeclineReason
	switch st {
	case StepOffer, StepRetry, StepReoffer:
		decline := r.Float64() < m.declineChance(p, st, annoyed)
		if decline && st == StepReoffer && p.listened && r.Float64() < m.p.MindChange[reason] {
			decline = false
			m.stats.MindChanges++
		}
		if decline {
			p.declined = true
			m.stats.Declines++
			switch {
			case voice:
				return choiceOf(msg, "no"), true
			case r.Float64() < m.p.Form.DeclineWords:
				if s := m.sentences(p, reason); len(s) > 0 {
					p.stated = true
					return pick(r, s), true
				}
			}
			if r.Float64() < m.p.Form.Digit {
				return choiceOf(msg, "no"), true
			}
			return pick(r, w.No), true
		}
		m.stats.Accepts++
		if voice || r.Float64() < m.p.Form.Digit {
			return choiceOf(msg, "yes"), true
		}
		return pick(r, w.Yes), true
	case StepReasonQuestion:
		p.stated = true
		label := reasonLabel[reason]
		digit := ""
		if label != "" {
			digit = choiceOf(msg, label)
		}
		if voice || (digit != "" && r.Float64() >= m.p.Form.ReasonWords) {
			return digit, digit != ""
		}
		return pick(r, m.sentences(p, reason)), true
	case StepCheckin:
		x := r.Float64() * (m.p.Checkin["better"] + m.p.Checkin["same"] + m.p.Checkin["worse"])
		label := "worse"
		if x < m.p.Checkin["better"] {
			label = "better"
		} else if x < m.p.Checkin["better"]+m.p.Checkin["same"] {
			label = "same"
		}
		return choiceOf(msg, label), choiceOf(msg, label) != ""
	}
	if voice {
		return "", false
	}
	return pick(r, w.Thanks), true
}

// annoyed says whether an offer ignores a reason p stated and never heard
// answered.
func (m *Model) annoyed(p *person, st string) bool {
	return (st == StepOffer || st == StepRetry || st == StepReoffer) && p.stated && !p.heard
}

// stopChance is the STOP share of p's answers: it rises with the messages
// p received before this one, and with annoyance.
func (m *Model) stopChance(p *person, annoyed bool) float64 {
	c := m.p.Stop * (1 + m.p.Wear.Stop*float64(p.received-1))
	if annoyed {
		c *= m.p.Annoyance.Stop
	}
	return min(c, 1)
}

// declineChance is the chance that p declines an offer: the trait, made
// firmer by a decline before (repeat_decline) and by annoyance.
func (m *Model) declineChance(p *person, st string, annoyed bool) float64 {
	yes := 1 - p.truth.Traits.DeclinePropensity
	if st == StepReoffer {
		yes *= 1 - m.p.Repeat
	}
	if annoyed {
		yes *= 1 - m.p.Annoyance.Decline
	}
	return 1 - yes
}

// reasonLabel maps the population's decline reasons to the labels of the
// nurture question's choices; reasons without a number are told in words.
var reasonLabel = map[string]string{"cost": "cost", "no_need": "no_need", "no_time": "no_time",
	"distrust": "distrust_privacy", "privacy": "distrust_privacy"}

// choiceOf is the key of msg's choice labelled label ("1" for "yes").
func choiceOf(msg channel.Message, label string) string {
	keys := make([]string, 0, len(msg.Choices))
	for k, l := range msg.Choices {
		if l == label {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return ""
	}
	slices.Sort(keys)
	return keys[0]
}

func (m *Model) words(p *person) Words {
	if w, ok := m.p.Words[p.truth.Language]; ok {
		return w
	}
	return m.p.Words["en"]
}

func (m *Model) sentences(p *person, reason string) []string {
	lang := p.truth.Language
	if _, ok := m.p.Sentences[lang]; !ok {
		lang = "en"
	}
	if s := m.p.Sentences[lang][reason]; len(s) > 0 {
		return s
	}
	return m.p.Sentences[lang]["other"]
}

// delay draws how long after delivery an answer comes.
func (m *Model) delay(r *rand.Rand, ch rapport.Channel) time.Duration {
	l := m.p.Delay.SMS
	switch ch {
	case rapport.ChannelEmail:
		l = m.p.Delay.Email
	case rapport.ChannelVoice:
		l = m.p.Delay.Voice
	}
	minutes := l.Median * math.Exp(l.Sigma*r.NormFloat64())
	return time.Duration(minutes * float64(time.Minute)).Round(time.Second)
}

// awakeAt moves t to the next waking minute, local time, when it falls in the night.
func (m *Model) awakeAt(t time.Time, loc *time.Location, r *rand.Rand) time.Time {
	lt := t.In(loc)
	mod := lt.Hour()*60 + lt.Minute()
	if mod >= m.awake[0] && mod < m.awake[1] {
		return t
	}
	day := lt
	if mod >= m.awake[1] {
		day = lt.AddDate(0, 0, 1)
	}
	morning := time.Date(day.Year(), day.Month(), day.Day(), 0, m.awake[0], 0, 0, loc)
	return morning.Add(time.Duration(r.IntN(60)) * time.Minute)
}

func pick(r *rand.Rand, s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[r.IntN(len(s))]
}

// String describes the stats in one line.
func (s Stats) String() string {
	return fmt.Sprintf("delivered %d, failed %d, unknown %d, answered %d (late %d, stop %d), declines %d, accepts %d, minds changed %d",
		s.Delivered, s.Failed, s.Unknown, s.Answered, s.Late, s.Stops, s.Declines, s.Accepts, s.MindChanges)
}
