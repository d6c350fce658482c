package demo

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/rapporthq/rapport/metrics"
)

//go:embed templates/report.html.tmpl
var templateFS embed.FS

// reportTemplate is the HTML report's page, parsed once at start so that a
// broken template fails every test at once.
var reportTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"n": num,
	"c": commas,
}).ParseFS(templateFS, "templates/report.html.tmpl"))

// HTMLFileName is the name the demo gives its HTML report.
const HTMLFileName = "rapport-demo-report.html"

// WriteHTML writes r as one self-contained HTML page: inline CSS and inline
// SVG only, no scripts, fonts or other files, so that it reads offline and
// prints. Every chart carries a title and an aria-label and is followed by
// a table of the numbers behind it. Patient free text (decline verbatims)
// is HTML-escaped. It returns an error only when writing to w fails; the
// page is rendered in memory first, so w receives nothing on a template
// error.
func WriteHTML(w io.Writer, r *Result) error {
	if r == nil {
		r = &Result{}
	}
	var buf bytes.Buffer
	if err := reportTemplate.Execute(&buf, newHTMLView(r)); err != nil {
		return fmt.Errorf("render html report: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

// htmlView is everything the template shows, with the charts' geometry
// already computed.
type htmlView struct {
	Headline    headline
	Funnel      funnelChart
	Trend       trendChart
	Reasons     reasonsChart
	Segments    segmentChart
	Lift        liftChart
	Since       []messageRow
	Spreads     []Spread
	Messages    []messageRow
	Run         []fact
	Behaviour   string // what the simulated patients did, as the run tells it
	Adherence   adherenceView
	Definitions []fact
	// Definition says what the headline counts, at the top.
	Definition string
}

// fact is a label and its value, for the footer.
type fact struct{ Name, Value string }

func newHTMLView(r *Result) htmlView {
	return htmlView{
		Headline:    newHeadline(r),
		Funnel:      newFunnelChart(&r.Rapport, &r.Baseline),
		Trend:       newTrendChart(r),
		Reasons:     newReasonsChart(&r.Rapport, &r.Baseline),
		Segments:    newSegmentChart(&r.Rapport, &r.Baseline),
		Lift:        newLiftChart(&r.Rapport, &r.Baseline),
		Spreads:     r.Spreads,
		Since:       newSinceRows(&r.Rapport.DeclinersSince, &r.Baseline.DeclinersSince),
		Messages:    newMessageRows(&r.Rapport.Messages, &r.Baseline.Messages),
		Run:         runFacts(r),
		Behaviour:   r.Behaviour,
		Adherence:   newAdherenceView(r),
		Definitions: definitions,
		Definition:  metrics.EngagedDeclinerDefinition,
	}
}

// headline compares the engaged decliners of the two strategies.
type headline struct {
	Rapport, Baseline int
	RapportPct        string // of all patients
	BaselinePct       string
	Verdict           string
}

func newHeadline(r *Result) headline {
	h := headline{
		Rapport:     r.Rapport.EngagedDecliners,
		Baseline:    r.Baseline.EngagedDecliners,
		RapportPct:  num(pct(r.Rapport.EngagedDecliners, patientsOf(r, &r.Rapport))),
		BaselinePct: num(pct(r.Baseline.EngagedDecliners, patientsOf(r, &r.Baseline))),
	}
	switch d := h.Rapport - h.Baseline; {
	case h.Rapport == 0 && h.Baseline == 0:
		h.Verdict = "No decliner engaged under either strategy."
	case h.Baseline == 0:
		h.Verdict = fmt.Sprintf("%s more patients engaged after declining or not answering; the one-shot campaign won back none.", commas(d))
	case d > 0:
		h.Verdict = fmt.Sprintf("%s more patients engaged after declining or not answering: %s× the one-shot campaign.", commas(d), num(float64(h.Rapport)/float64(h.Baseline)))
	case d == 0:
		h.Verdict = "Both strategies won back the same number of decliners."
	default:
		h.Verdict = fmt.Sprintf("%s fewer decliners engaged than with the one-shot campaign.", commas(-d))
	}
	return h
}

// patientsOf returns the population of a report, falling back to the run's.
func patientsOf(r *Result, rep *metrics.Report) int {
	if rep.Patients > 0 {
		return rep.Patients
	}
	return r.Patients
}

// The charts share one width in SVG user units; CSS scales them to the page.
const chartW = 640

// hbar is one horizontal bar with the value printed after it.
type hbar struct {
	X, Y, W, H float64
	Class      string // "rapport" or "baseline"
	TX, TY     float64
	Text       string
}

// newHBar places a bar of value v (on a 0..max scale of length span) at
// (x, y), with its text just after its end.
func newHBar(class string, x, y, h, v, max, span float64, text string) hbar {
	w := scale(v, max, span)
	return hbar{X: x, Y: y, W: w, H: h, Class: class, TX: x + w + 6, TY: y + h/2 + 4, Text: text}
}

// axisTick is a tick of an axis: its position and label.
type axisTick struct {
	Pos   float64
	Label string
}

// funnelStage is one stage of the funnel chart and its table row.
type funnelStage struct {
	Name                    string
	LabelY                  float64
	Bars                    []hbar
	Rapport, Baseline       int
	RapportPct, BaselinePct string
}

// funnelChart shows both strategies' funnels as grouped horizontal bars on
// one scale.
type funnelChart struct {
	H      float64
	LabelX float64
	Stages []funnelStage
}

// funnelStages names the funnel's stages in order and reads each one.
var funnelStages = []struct {
	Name string
	Get  func(metrics.Funnel) int
}{
	{"Contacted", func(f metrics.Funnel) int { return f.Contacted }},
	{"Reached", func(f metrics.Funnel) int { return f.Reached }},
	{"Replied", func(f metrics.Funnel) int { return f.Replied }},
	{"Interested", func(f metrics.Funnel) int { return f.Interested }},
	{"Declined", func(f metrics.Funnel) int { return f.Declined }},
	{"No reply", func(f metrics.Funnel) int { return f.NoReply }},
	{"Opted out", func(f metrics.Funnel) int { return f.OptedOut }},
	{"Undeliverable", func(f metrics.Funnel) int { return f.Undeliverable }},
}

func newFunnelChart(rap, base *metrics.Report) funnelChart {
	const (
		labelW, top, barH, pairGap, groupGap = 110.0, 8.0, 13.0, 2.0, 11.0
		span                                 = chartW - labelW - 130 // room for "123,456 (100%)"
	)
	max := 0
	for _, s := range funnelStages {
		max = intMax(max, intMax(s.Get(rap.Funnel), s.Get(base.Funnel)))
	}
	c := funnelChart{LabelX: labelW - 8}
	y := top
	for _, s := range funnelStages {
		rv, bv := s.Get(rap.Funnel), s.Get(base.Funnel)
		st := funnelStage{
			Name: s.Name, LabelY: y + barH + pairGap/2 + 4,
			Rapport: rv, Baseline: bv,
			RapportPct:  num(pct(rv, rap.Funnel.Contacted)),
			BaselinePct: num(pct(bv, base.Funnel.Contacted)),
		}
		st.Bars = []hbar{
			newHBar("rapport", labelW, y, barH, float64(rv), float64(max), span, fmt.Sprintf("%s (%s%%)", commas(rv), st.RapportPct)),
			newHBar("baseline", labelW, y+barH+pairGap, barH, float64(bv), float64(max), span, fmt.Sprintf("%s (%s%%)", commas(bv), st.BaselinePct)),
		}
		c.Stages = append(c.Stages, st)
		y += 2*barH + pairGap + groupGap
	}
	c.H = y - groupGap + top
	return c
}

// trendLine is one strategy's line in the trend chart.
type trendLine struct {
	Name, Class string
	Points      string
	EndX, EndY  float64
	LabelY      float64
	Last        int
}

// trendRow is one day of the trend table.
type trendRow struct {
	Day               int
	Date              string
	Rapport, Baseline string
}

// trendChart plots engaged decliners over time, one line per strategy,
// days since the start on the x axis.
type trendChart struct {
	H, Left, Right, Top, Bottom float64
	TickEnd                     float64 // the lower end of the x ticks
	XTicks, YTicks              []axisTick
	Lines                       []trendLine
	Rows                        []trendRow
	Empty                       bool
}

func newTrendChart(r *Result) trendChart {
	c := trendChart{H: 260, Left: 56, Right: chartW - 150, Top: 12, Bottom: 260 - 40, TickEnd: 260 - 36}
	rap, base := r.Rapport.EngagedDeclinersByDay, r.Baseline.EngagedDeclinersByDay
	start := r.Start
	if start.IsZero() {
		start = earliestDay(rap, base)
	}
	start = dayOf(start)
	days, top := r.Days, 0
	for _, ps := range [][]metrics.Point{rap, base} {
		for _, p := range ps {
			days = intMax(days, dayIndex(start, p.Day))
			top = intMax(top, p.Value)
		}
	}
	days = intMax(days, 1)
	yMax := niceMax(float64(top), 4)
	// Days and patients are whole: ticks between them would mislead.
	for _, t := range ticks(0, float64(days), 6) {
		if t > float64(days) {
			break // the axis ends on the last day, not on a round number
		}
		if t == math.Trunc(t) {
			c.XTicks = append(c.XTicks, axisTick{linear(t, 0, float64(days), c.Left, c.Right), num(t)})
		}
	}
	for _, t := range ticks(0, yMax, 4) {
		if t == math.Trunc(t) {
			c.YTicks = append(c.YTicks, axisTick{linear(t, 0, yMax, c.Bottom, c.Top), commas(int(t))})
		}
	}
	c.Empty = len(rap) == 0 && len(base) == 0
	for _, l := range []struct {
		name, class string
		ps          []metrics.Point
	}{{"rapport", "rapport", rap}, {"baseline", "baseline", base}} {
		line := trendLine{Name: l.name, Class: l.class, EndX: c.Left, EndY: c.Bottom}
		var pts []xy
		for _, p := range sortedPoints(l.ps) {
			pts = append(pts, xy{linear(float64(dayIndex(start, p.Day)), 0, float64(days), c.Left, c.Right), linear(float64(p.Value), 0, yMax, c.Bottom, c.Top)})
			line.Last = p.Value
		}
		if len(pts) == 0 {
			// A flat line at zero says "nothing" more plainly than no line.
			pts = []xy{{c.Left, c.Bottom}, {c.Right, c.Bottom}}
		}
		line.Points = points(pts)
		line.EndX, line.EndY = pts[len(pts)-1].X, pts[len(pts)-1].Y
		c.Lines = append(c.Lines, line)
	}
	c.Lines[0].LabelY, c.Lines[1].LabelY = spread(c.Lines[0].EndY, c.Lines[1].EndY, 14)
	c.Rows = trendRows(start, days, rap, base)
	return c
}

// trendRows is one row for each day of the run (days, or up to the last
// point when later), with each series' cumulative count carried forward
// over the days nothing changed.
func trendRows(start time.Time, days int, rap, base []metrics.Point) []trendRow {
	n := days
	for _, ps := range [][]metrics.Point{rap, base} {
		for _, p := range ps {
			n = intMax(n, dayIndex(start, p.Day)+1)
		}
	}
	fill := func(ps []metrics.Point) []int {
		vals := make([]int, n)
		for _, p := range sortedPoints(ps) {
			for d := dayIndex(start, p.Day); d < n; d++ {
				vals[d] = p.Value
			}
		}
		return vals
	}
	rv, bv := fill(rap), fill(base)
	rows := make([]trendRow, n)
	for d := range rows {
		rows[d] = trendRow{Day: d, Date: start.AddDate(0, 0, d).Format("2006-01-02"), Rapport: commas(rv[d]), Baseline: commas(bv[d])}
	}
	return rows
}

// sortedPoints returns the points in day order, leaving ps as it was.
func sortedPoints(ps []metrics.Point) []metrics.Point {
	out := append([]metrics.Point(nil), ps...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Day.Before(out[j].Day) })
	return out
}

// earliestDay returns the earliest day of the series, or the zero time.
func earliestDay(series ...[]metrics.Point) time.Time {
	var first time.Time
	for _, ps := range series {
		for _, p := range ps {
			if first.IsZero() || p.Day.Before(first) {
				first = p.Day
			}
		}
	}
	return first
}

// dayOf truncates t to midnight in its own zone.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// dayIndex returns the whole days from start to day (0 for days before it).
func dayIndex(start, day time.Time) int {
	if start.IsZero() || day.Before(start) {
		return 0
	}
	return int(math.Round(dayOf(day.In(start.Location())).Sub(start).Hours() / 24))
}

// reasonRow is one decline reason: its bar and its table row, with the
// baseline's count beside rapport's.
type reasonRow struct {
	Label, Full string
	LabelY      float64
	Bar         hbar
	Count       int
	Baseline    int
	// Examples are in words: quoted answers, or the option a number chose.
	Examples []string
}

// reasonsChart shows rapport's decline reasons, most frequent first.
type reasonsChart struct {
	H      float64
	LabelX float64
	Rows   []reasonRow
}

// maxVerbatims is how many example answers the report shows per reason.
const maxVerbatims = 3

func newReasonsChart(rep, base *metrics.Report) reasonsChart {
	const labelW, top, barH, gap = 170.0, 8.0, 16.0, 8.0
	reasons := reasonList(rep)
	seen := map[string]bool{}
	for _, r := range reasons {
		seen[r.Reason] = true
	}
	for _, r := range reasonList(base) {
		if !seen[r.Reason] { // a reason only the baseline heard: rapport's count is 0
			reasons = append(reasons, metrics.Reason{Reason: r.Reason})
		}
	}
	max := 0
	for _, r := range reasons {
		max = intMax(max, r.Count)
	}
	c := reasonsChart{LabelX: labelW - 8}
	y := top
	for _, r := range reasons {
		name := metrics.ReasonLabel(r.Reason)
		c.Rows = append(c.Rows, reasonRow{
			Label: truncate(name, 24), Full: name, LabelY: y + barH/2 + 4,
			Bar:   newHBar("rapport", labelW, y, barH, float64(r.Count), float64(max), chartW-labelW-70, commas(r.Count)),
			Count: r.Count, Baseline: base.DeclineReasons[r.Reason], Examples: examples(r),
		})
		y += barH + gap
	}
	c.H = math.Max(y-gap+top, 40)
	return c
}

// examples are a reason's examples in words, at most maxVerbatims, each
// once; a report without them (older JSON) has its verbatims quoted.
func examples(r metrics.Reason) []string {
	ex := r.Examples
	if len(ex) == 0 {
		for _, v := range r.Verbatims {
			ex = append(ex, "“"+v+"”")
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, e := range ex {
		if k := strings.ToLower(strings.Join(strings.Fields(e), " ")); !seen[k] && len(out) < maxVerbatims {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// reasonList merges the detailed reasons with the plain counts (for
// reasons that have no details) and sorts them by count, then name.
func reasonList(rep *metrics.Report) []metrics.Reason {
	seen := map[string]bool{}
	var out []metrics.Reason
	for _, r := range rep.DeclineReasonDetails {
		seen[r.Reason] = true
		out = append(out, r)
	}
	for name, n := range rep.DeclineReasons {
		if !seen[name] {
			out = append(out, metrics.Reason{Reason: name, Count: n})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}

// segmentRow is one segment's reach under both strategies.
type segmentRow struct {
	Name                    string
	LabelY                  float64
	Bars                    []hbar
	Rapport, Baseline       metrics.Funnel
	RapportPct, BaselinePct string
	// RapportReplied and BaselineReplied are the shares of contacted who replied.
	RapportReplied, BaselineReplied string
}

// segmentChart compares reach (reached of contacted) in rural and urban
// areas, on a 0–100% scale.
type segmentChart struct {
	H, LabelX, Zero, Full float64
	GridEnd               float64 // the lower end of the grid lines
	Ticks                 []axisTick
	Rows                  []segmentRow
}

// segmentNames are how the chart names the segments it compares.
var segmentNames = map[string]string{"rural": "rural", "urban": "urban",
	"channel:sms": "by SMS", "channel:voice": "by call", "channel:email": "by email"}

// segmentKeys are the segments the chart compares, in order: rural and
// urban always, then the first channels someone was contacted on.
func segmentKeys(reps ...*metrics.Report) []string {
	keys := []string{"rural", "urban"}
	for _, k := range []string{"channel:sms", "channel:voice", "channel:email"} {
		for _, r := range reps {
			if r.BySegment[k].Contacted > 0 {
				keys = append(keys, k)
				break
			}
		}
	}
	return keys
}

func newSegmentChart(rap, base *metrics.Report) segmentChart {
	const labelW, top, barH, pairGap, groupGap = 80.0, 8.0, 16.0, 2.0, 16.0
	span := float64(chartW - labelW - 150)
	c := segmentChart{LabelX: labelW - 8, Zero: labelW, Full: labelW + span}
	y := top
	for _, key := range segmentKeys(rap, base) {
		name := segmentNames[key]
		rf, bf := rap.BySegment[key], base.BySegment[key]
		rp, bp := pct(rf.Reached, rf.Contacted), pct(bf.Reached, bf.Contacted)
		row := segmentRow{
			Name: name, LabelY: y + barH + pairGap/2 + 4, Rapport: rf, Baseline: bf,
			RapportPct: num(rp), BaselinePct: num(bp),
			RapportReplied: num(pct(rf.Replied, rf.Contacted)), BaselineReplied: num(pct(bf.Replied, bf.Contacted)),
		}
		row.Bars = []hbar{
			newHBar("rapport", labelW, y, barH, rp, 100, span, fmt.Sprintf("%s%% (%s of %s)", num(rp), commas(rf.Reached), commas(rf.Contacted))),
			newHBar("baseline", labelW, y+barH+pairGap, barH, bp, 100, span, fmt.Sprintf("%s%% (%s of %s)", num(bp), commas(bf.Reached), commas(bf.Contacted))),
		}
		c.Rows = append(c.Rows, row)
		y += 2*barH + pairGap + groupGap
	}
	c.H = y - groupGap + 26
	c.GridEnd = c.H - 18
	for _, t := range []float64{0, 25, 50, 75, 100} {
		c.Ticks = append(c.Ticks, axisTick{labelW + scale(t, 100, span), num(t) + "%"})
	}
	return c
}

// liftRow is one strategy's lift against its hold-out, in percentage points.
type liftRow struct {
	Name, Class             string
	Y, CapTop, CapBottom    float64
	X, Lo, Hi               float64 // SVG positions of the estimate and the CI
	Estimate, CILow, CIHigh string
	Treated, Control        string // "19% (1,805 of 9,500)"
	Known                   bool
}

// liftChart is an interval plot of each strategy's lift with its 95% CI.
type liftChart struct {
	H, LabelX, Left, Right, Zero, AxisY float64
	Ticks                               []axisTick
	Rows                                []liftRow
}

func newLiftChart(rap, base *metrics.Report) liftChart {
	const rowH = 34.0
	c := liftChart{LabelX: 200, Left: 210, Right: chartW - 30}
	type in struct {
		name, class string
		lift        metrics.Lift
	}
	// The fair measure first: a common outcome, which the hold-out can
	// reach too; then any engagement, which counts a yes the hold-out is
	// never asked for.
	var ins []in
	for _, m := range []struct {
		suffix string
		lift   func(*metrics.Report) metrics.Lift
	}{{", common outcome", func(r *metrics.Report) metrics.Lift { return r.CommonLift }},
		{", any engagement", func(r *metrics.Report) metrics.Lift { return r.Lift }}} {
		ins = append(ins, in{"rapport" + m.suffix, "rapport", m.lift(rap)})
		if base.Holdout.Size > 0 || base.Lift.Measurable {
			ins = append(ins, in{"baseline" + m.suffix, "baseline", m.lift(base)})
		}
	}
	lo, hi := 0.0, 0.0
	for _, s := range ins {
		l := s.lift
		for _, v := range []float64{l.Estimate, l.CILow, l.CIHigh} {
			lo, hi = math.Min(lo, finite(v)*100), math.Max(hi, finite(v)*100)
		}
	}
	if hi-lo == 0 {
		lo, hi = -1, 1
	}
	ts := ticks(lo, hi, 5)
	lo, hi = math.Min(lo, ts[0]), math.Max(hi, ts[len(ts)-1])
	x := func(v float64) float64 { return linear(v, lo, hi, c.Left, c.Right) }
	y := 14.0
	for _, s := range ins {
		l := s.lift
		// An empty group means lift was not measured: say so rather than
		// draw a confident zero.
		known := l.Measurable && !math.IsNaN(l.Estimate) && !math.IsInf(l.Estimate, 0)
		c.Rows = append(c.Rows, liftRow{
			Name: s.name, Class: s.class, Y: y, CapTop: y - 6, CapBottom: y + 6,
			X: x(finite(l.Estimate) * 100), Lo: x(finite(l.CILow) * 100), Hi: x(finite(l.CIHigh) * 100),
			Estimate: signedPP(l.Estimate), CILow: signedPP(l.CILow), CIHigh: signedPP(l.CIHigh),
			Treated: group(l.Treated, l.TreatedEngaged, l.TreatedN),
			Control: group(l.Control, l.ControlEngaged, l.ControlN),
			Known:   known,
		})
		if !known {
			r := &c.Rows[len(c.Rows)-1]
			r.Estimate, r.CILow, r.CIHigh = "n/a", "n/a", "n/a"
		}
		y += rowH
	}
	c.AxisY = y - rowH/2 + 6
	c.H = c.AxisY + 36
	c.Zero = x(0)
	for _, t := range ts {
		c.Ticks = append(c.Ticks, axisTick{x(t), num(t)})
	}
	return c
}

// signedPP formats a difference of rates (a fraction) in percentage points.
func signedPP(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "n/a"
	}
	s := num(f * 100)
	if f > 0 && s != "0" {
		s = "+" + s
	}
	return s + " pp"
}

// group formats a group's engagement rate (a fraction) with its counts;
// "n/a" for an empty group.
func group(rate float64, engaged, n int) string {
	if n <= 0 || math.IsNaN(rate) || math.IsInf(rate, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%s%% (%s of %s)", num(rate*100), commas(engaged), commas(n))
}

// newSinceRows are the rows of the decliners-since table.
func newSinceRows(rap, base *metrics.DeclinersSince) []messageRow {
	return []messageRow{
		{"Declined first", rap.Declined, base.Declined},
		{"Silent first", rap.NoReply, base.NoReply},
		{"… engaged later", rap.EngagedLater, base.EngagedLater},
		{"… of whom booked, enrolled or refilled", rap.CommonLater, base.CommonLater},
		{"… opted out later", rap.OptedOutLater, base.OptedOutLater},
		{"… still declining", rap.StillDeclining, base.StillDeclining},
		{"… still silent", rap.StillSilent, base.StillSilent},
	}
}

// messageRow is one line of a table comparing the two strategies.
type messageRow struct {
	Name              string
	Rapport, Baseline int
}

func newMessageRows(rap, base *metrics.Messages) []messageRow {
	rows := []messageRow{
		{"Sent", rap.Sent, base.Sent},
		{"… delivered (a receipt: an SMS delivered, a call completed)", rap.Delivered, base.Delivered},
		{"… failed after sending", rap.FailedAfterSending, base.FailedAfterSending},
		{"… no receipt", rap.NoReceipt, base.NoReceipt},
		{"Refused by the provider, not sent", rap.FailedAtSend, base.FailedAtSend},
		{"Suppressed (consent, quiet hours, caps)", rap.Suppressed, base.Suppressed},
		{"SMS segments", rap.SMSSegments, base.SMSSegments},
	}
	var chans []string
	for ch := range rap.ByChannel {
		chans = append(chans, ch)
	}
	for ch := range base.ByChannel {
		if _, ok := rap.ByChannel[ch]; !ok {
			chans = append(chans, ch)
		}
	}
	sort.Strings(chans)
	for _, ch := range chans {
		rows = append(rows, messageRow{"Sent by " + ch, rap.ByChannel[ch], base.ByChannel[ch]})
	}
	return rows
}

func runFacts(r *Result) []fact {
	start := "–"
	if !r.Start.IsZero() {
		start = r.Start.Format("2006-01-02")
	}
	facts := []fact{
		{"Patients", commas(r.Patients)},
		{"Days simulated", commas(r.Days)},
		{"Start", start},
		{"Seed", fmt.Sprint(r.Seed)},
		{"Run time", r.Elapsed.Round(100 * time.Millisecond).String()},
	}
	if r.Campaign != "" {
		facts = append(facts, fact{"Campaign", r.Campaign})
	}
	if r.BaselineCampaign != "" {
		facts = append(facts, fact{"Baseline campaign", r.BaselineCampaign})
	}
	return facts
}

// definitions are the short definitions printed in the footer.
var definitions = []fact{
	{"Engaged decliner", "a patient who declined an offer or never answered it, and later engaged: booked, enrolled, refilled, or said yes."},
	{"Contacted", "at least one message was sent to the patient."},
	{"Reached", "what a provider shows of a person: an SMS delivery receipt, or any answer (a reply, a keypad press). A call that completed may have reached a voicemail, and an email handed to the mail server may be unread: neither counts alone."},
	{"Replied", "the patient answered at least once."},
	{"Interested", "the patient said yes, asked for an appointment or booked."},
	{"Declined", "the patient said no; the reason is kept."},
	{"No reply", "the journey ended without an answer."},
	{"No outcome yet", "in a journey that has not ended."},
	{"Opted out", "the patient asked to stop (STOP or an equivalent); nothing more is sent on that channel."},
	{"Undeliverable", "no message could be delivered to any contact point."},
	{"Reach", "reached patients as a share of contacted ones, by area and by the channel of the first message."},
	{"Lift, common outcome", "the share of the patients a campaign enrolled who booked, enrolled or refilled after its launch minus that of its hold-out group, never contacted, with a 95% confidence interval, in percentage points: the fair measure, on outcomes the hold-out can reach too."},
	{"Lift, any engagement", "the same for any engagement, a yes to the offer included; the hold-out is never asked, so this overstates what outreach changed."},
	{"Decliners since", "the patients whose first answer was a decline or silence, and what became of them: engaged later, opted out later, still declining or still silent."},
	{"SMS segments", "the billable 160-character (GSM-7) or 70-character (UCS-2) parts of the text messages."},
}

func intMax(a, b int) int {
	if a > b {
		return a
	}
	return b
}
