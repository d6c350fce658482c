package demo

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport/metrics"
)

// wordsResult is a run whose reports a manager reads: reach that differs
// by channel, labelled reasons heard by both strategies, a keypad answer,
// and engaged decliners on only two days of a ten-day run.
func wordsResult() *Result {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	rep := func(ed int, days []int, reasons map[string]int, details []metrics.Reason) metrics.Report {
		var ps []metrics.Point
		for i, d := range days {
			ps = append(ps, metrics.Point{Day: start.AddDate(0, 0, d), Value: i + 1})
		}
		return metrics.Report{Patients: 100, EngagedDecliners: ed, EngagedDeclinersByDay: ps,
			Funnel:         metrics.Funnel{Contacted: 80, Reached: 50, Replied: 30, Interested: 10, Declined: 8, NoReply: 40, OptedOut: 2, Undeliverable: 5, InJourney: 90, NoOutcome: 25},
			DeclineReasons: reasons, DeclineReasonDetails: details,
			BySegment: map[string]metrics.Funnel{
				"rural": {Contacted: 20, Reached: 10, Replied: 6}, "urban": {Contacted: 60, Reached: 40, Replied: 24},
				"channel:sms": {Contacted: 60, Reached: 45, Replied: 25}, "channel:voice": {Contacted: 20, Reached: 5, Replied: 5},
			},
			Messages: metrics.Messages{Sent: 100, Delivered: 90, FailedAfterSending: 4, NoReceipt: 6, Failed: 7, FailedAtSend: 3, Suppressed: 2},
		}
	}
	rap := rep(2, []int{3, 7}, map[string]int{"distrust_privacy": 5, "no_time": 3}, []metrics.Reason{
		{Reason: "distrust_privacy", Label: "distrust or privacy", Count: 5, Verbatims: []string{"I don't trust texts"}, Examples: []string{"“I don't trust texts”"}},
		{Reason: "no_time", Label: "no time", Count: 3, Verbatims: []string{"5"}, Examples: []string{"chose “no time” (answered 5)"}},
	})
	base := rep(1, []int{4}, map[string]int{"distrust_privacy": 2, "cost": 4}, nil)
	return &Result{Patients: 100, Days: 10, Seed: 7, Start: start, Rapport: rap, Baseline: base}
}

func TestHTMLForManagers(t *testing.T) {
	t.Parallel()
	page := render(t, wordsResult())
	text := html.UnescapeString(page)
	if !strings.Contains(page, `<a href="#glossary">`) || !strings.Contains(page, `id="glossary"`) {
		t.Error("the glossary is not linked from the top")
	}
	if top := text[:strings.Index(text, `id="headline"`)]; !strings.Contains(top, metrics.EngagedDeclinerDefinition) {
		t.Error("the page does not open with the definition of an engaged decliner")
	}
	if strings.Contains(text, "distrust_privacy") || strings.Contains(text, "no_time") {
		t.Error("a decline reason shows as a code, not a label")
	}
	// The reasons table: both strategies' counts, the baseline's own reasons too, examples in words.
	for _, want := range []string{
		`<th scope="row">distrust or privacy</th><td class="n">5</td><td class="n">2</td>`,
		`<th scope="row">cost</th><td class="n">0</td><td class="n">4</td>`,
		`<li>chose “no time” (answered 5)</li>`,
		`<li>“I don&#39;t trust texts”</li>`,
		`<th scope="col">Reason</th><th scope="col" class="n">rapport</th><th scope="col" class="n">one-shot baseline</th>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("reasons table lacks %s", want)
		}
	}
	// Reach differs by channel: SMS 75%, calls 25%.
	for _, want := range []string{`<th scope="row">by SMS</th><td class="n">75% (45 of 60); 41.7% replied`, `<th scope="row">by call</th><td class="n">25% (5 of 20); 25% replied`} {
		if !strings.Contains(text, want) {
			t.Errorf("reach table lacks %s", want)
		}
	}
	if strings.Contains(text, "by email") {
		t.Error("a channel nobody was contacted on has a reach row")
	}
	// Numbers by day: every day of the ten-day run, the count carried forward.
	if !strings.Contains(text, "Numbers by day (all 10 days of the run, cumulative)") {
		t.Error("numbers by day do not count the run's days")
	}
	rows := regexp.MustCompile(`<tr><td class="n">(\d+)</td><td>2026-11-\d\d</td><td class="n">(\d+)</td><td class="n">(\d+)</td></tr>`).FindAllStringSubmatch(page, -1)
	if len(rows) != 10 || rows[0][2] != "0" || rows[5][2] != "1" || rows[5][3] != "1" || rows[9][2] != "2" {
		t.Errorf("numbers by day %v, want ten days: rapport 0 until day 3, 1 until day 7, then 2", rows)
	}
	for _, want := range []string{"… failed after sending", "… no receipt", "Refused by the provider, not sent"} {
		if !strings.Contains(text, want) {
			t.Errorf("messages table lacks %q", want)
		}
	}
}

func TestWriteTextForManagers(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteText(&b, wordsResult()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if lines := strings.Split(out, "\n"); lines[1] != metrics.EngagedDeclinerDefinition {
		t.Errorf("the second line is %q, want the definition of an engaged decliner", lines[1])
	}
	for _, want := range []string{
		"contact (patients; % of contacted)",
		// replied and did not reply add up to contacted
		"  replied                                        30 (38%)",
		"  did not reply                                  50 (62%)",
		// the outcomes add up to the patients in a journey: 10+8+40+2+5+25 = 90
		"outcomes (patients' latest; % of those in a journey, the rows add up to them)",
		"  in a journey                                         90",
		"  no outcome yet                                 25 (28%)",
		"messages, each once by what became of it (sent = delivered + failed after sending + no receipt)",
		"  ... failed after sending                              4",
		"  reason               rapport  baseline  example (rapport)",
		"  distrust or privacy  5        2         “I don't trust texts”",
		"  no time              3        0         chose “no time” (answered 5)",
		"  cost                 0        4",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "distrust_privacy") {
		t.Error("a decline reason shows as a code")
	}
}
