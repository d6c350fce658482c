package metrics

// firstAnswers counts each patient's first outcome and follows those who
// declined or were silent first: a decliner stays a decliner in these
// figures, though nurture ends later on another outcome.
func (c *computation) firstAnswers(r *Report) {
	d := &r.DeclinersSince
	d.Reasons = map[string]int{}
	for _, p := range c.patients {
		addFirst(&r.FirstOutcomes, p.firstOutcome)
		switch p.declineOutcome {
		case outcomeDeclined:
			d.Declined++
			reason := p.reason
			if reason == "" {
				reason = "unstated"
			}
			d.Reasons[reason]++
		case outcomeNoReply:
			d.NoReply++
		default:
			continue
		}
		switch {
		case !p.engagedAfterDecline.IsZero():
			d.EngagedLater++
			if !p.commonAfterDecline.IsZero() {
				d.CommonLater++
			}
		case p.optedOutLater:
			d.OptedOutLater++
		case p.outcome == outcomeDeclined:
			d.StillDeclining++
		default:
			d.StillSilent++
		}
	}
}

func addFirst(o *Outcomes, outcome string) {
	switch outcome {
	case outcomeInterested:
		o.Interested++
	case outcomeDeclined:
		o.Declined++
	case outcomeNoReply:
		o.NoReply++
	case outcomeOptedOut:
		o.OptedOut++
	case outcomeUndeliverable:
		o.Undeliverable++
	}
}
