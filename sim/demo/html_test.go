package demo

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"html"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rapporthq/rapport/metrics"
)

// evilVerbatim is patient free text that must reach the page escaped.
const evilVerbatim = `<script>alert(1)</script>`

// sampleResult is a plausible run: rapport ahead of the baseline on every
// stage, three months of engaged decliners, reasons with verbatims.
func sampleResult() *Result {
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	series := func(perDay float64, plateau int) []metrics.Point {
		var ps []metrics.Point
		for d := 0; d <= 90; d++ {
			v := float64(min(d, plateau)) * perDay
			ps = append(ps, metrics.Point{Day: start.AddDate(0, 0, d), Value: int(v)})
		}
		return ps
	}
	rap := metrics.Report{
		Patients: 10000,
		Funnel: metrics.Funnel{Contacted: 9500, Reached: 8800, Replied: 4200, Interested: 2100,
			Declined: 1300, NoReply: 4600, OptedOut: 180, Undeliverable: 700},
		EngagedDecliners:      1234,
		EngagedDeclinersByDay: series(13.7, 90),
		Holdout:               metrics.Holdout{Size: 1000, Engaged: 128},
		Lift: metrics.Lift{Estimate: 0.062, CILow: 0.041, CIHigh: 0.083, Treated: 0.19, Control: 0.128,
			TreatedN: 9500, TreatedEngaged: 1805, ControlN: 1000, ControlEngaged: 128, Measurable: true},
		DeclineReasons: map[string]int{"cost": 420, "distance": 300, "already_seen_elsewhere": 250, "no_time": 200, "afraid_of_the_results_and_of_the_needle": 50, "other": 80},
		DeclineReasonDetails: []metrics.Reason{
			{Reason: "cost", Count: 420, Verbatims: []string{"Too expensive for me right now", evilVerbatim, "my insurance won't cover it & I can't pay", "fourth one, never shown"}},
			{Reason: "distance", Count: 300, Verbatims: []string{"The clinic is 60 miles away"}},
			{Reason: "already_seen_elsewhere", Count: 250, Verbatims: []string{"Did it at my GP in March"}},
			{Reason: "no_time", Count: 200},
			{Reason: "afraid_of_the_results_and_of_the_needle", Count: 50, Verbatims: []string{"Rather not know"}},
		},
		BySegment: map[string]metrics.Funnel{
			"rural": {Contacted: 3000, Reached: 2600},
			"urban": {Contacted: 6500, Reached: 6200},
		},
		Messages: metrics.Messages{Sent: 31000, Delivered: 29500, Failed: 1500, Suppressed: 640, SMSSegments: 38200,
			ByChannel: map[string]int{"sms": 25000, "email": 6000}},
	}
	base := metrics.Report{
		Patients: 10000,
		Funnel: metrics.Funnel{Contacted: 9500, Reached: 8500, Replied: 2500, Interested: 1400,
			Declined: 800, NoReply: 6000, OptedOut: 90, Undeliverable: 1000},
		EngagedDecliners:      211,
		EngagedDeclinersByDay: series(21.1, 10),
		Holdout:               metrics.Holdout{Size: 1000, Engaged: 120},
		Lift: metrics.Lift{Estimate: 0.02, CILow: -0.005, CIHigh: 0.045, Treated: 0.14, Control: 0.12,
			TreatedN: 9500, TreatedEngaged: 1330, ControlN: 1000, ControlEngaged: 120, Measurable: true},
		DeclineReasons: map[string]int{"cost": 300},
		BySegment: map[string]metrics.Funnel{
			"rural": {Contacted: 3000, Reached: 2200},
			"urban": {Contacted: 6500, Reached: 6100},
		},
		Messages: metrics.Messages{Sent: 9500, Delivered: 8500, Failed: 1000, SMSSegments: 11000,
			ByChannel: map[string]int{"sms": 9500}},
	}
	return &Result{Patients: 10000, Days: 90, Seed: 42, Start: start, Rapport: rap, Baseline: base, Elapsed: 12345 * time.Millisecond,
		Campaign: "cmp_rapport", BaselineCampaign: "cmp_baseline", Behaviour: "64% answer within a day; <b>bold</b> claims are escaped"}
}

func render(t *testing.T, r *Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	return b.String()
}

var svgRE = regexp.MustCompile(`(?s)<svg\b.*?</svg>`)

// checkSVGs parses every inline SVG of page as XML and checks that each
// has a role, an aria-label and a title; it returns the SVGs.
func checkSVGs(t *testing.T, page string) []string {
	t.Helper()
	svgs := svgRE.FindAllString(page, -1)
	for i, s := range svgs {
		d := xml.NewDecoder(strings.NewReader(s))
		d.Strict = true
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("svg %d is not valid XML: %v\n%s", i, err, s)
				break
			}
		}
		for _, want := range []string{`role="img"`, `aria-label="`, `<title>`} {
			if !strings.Contains(s, want) {
				t.Errorf("svg %d lacks %s", i, want)
			}
		}
	}
	return svgs
}

func TestWriteHTML(t *testing.T) {
	t.Parallel()
	page := render(t, sampleResult())
	text := html.UnescapeString(page) // what a reader sees

	for _, want := range []string{
		"<title>", "rapport", "one-shot baseline",
		"1,234", "211", // the headline's engaged decliners
		"1,023 more patients", "5.8×",
		"Contacted", "Reached", "Replied", "Interested", "Declined", "No reply", "Opted out", "Undeliverable",
		"rural", "urban", "86.7%", "73.3%", // reach: 2600/3000 and 2200/3000
		"+6.2 pp", "+4.1 pp to +8.3 pp", "-0.5 pp to +4.5 pp", "19% (1,805 of 9,500)", "12.8% (128 of 1,000)",
		"cmp_rapport", "cmp_baseline", "64% answer within a day; <b>bold</b>",
		"38,200", "Sent by email", "Sent by sms",
		"Seed: <b>42</b>", "12.3s", "2026-01-05",
		"Engaged decliner", "already seen elsewhere", "Did it at my GP in March",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if !strings.Contains(page, "&lt;b&gt;bold&lt;/b&gt;") {
		t.Error("the behaviour summary is not escaped")
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the verbatim <script> is not shown escaped")
	}
	if strings.Contains(page, "fourth one, never shown") {
		t.Errorf("more than %d verbatims shown for a reason", maxVerbatims)
	}
	if strings.Contains(page, "won't") || !strings.Contains(page, "won&#39;t cover it &amp; I") {
		t.Error("apostrophe and ampersand of a verbatim are not escaped")
	}
	// Self-contained: no script, no external asset of any kind.
	for _, bad := range []string{"<script", "http://", "https://", "@import", "url(", "<link", "src="} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if n := len(page); n > 64<<10 {
		t.Errorf("page is %d bytes, want under 64 KiB", n)
	}
	svgs := checkSVGs(t, page)
	if len(svgs) != 5 {
		t.Fatalf("%d SVGs, want 5 (funnel, trend, reasons, segments, lift)", len(svgs))
	}
	if n := strings.Count(svgs[0], `<rect class="bar `); n != 2*len(funnelStages) {
		t.Errorf("funnel has %d bars, want %d", n, 2*len(funnelStages))
	}
	if n := strings.Count(svgs[1], "<polyline"); n != 2 {
		t.Errorf("trend chart has %d lines, want 2", n)
	}
	if n := strings.Count(svgs[2], `<rect class="bar `); n != 6 {
		t.Errorf("reasons chart has %d bars, want 6", n)
	}
}

func TestWriteHTMLEmptyAndBroken(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	broken := sampleResult()
	broken.Rapport.Lift = metrics.Lift{Estimate: nan, CILow: math.Inf(-1), CIHigh: math.Inf(1), Treated: nan, Control: nan, TreatedN: 5, ControlN: 5, Measurable: true}
	broken.Rapport.EngagedDeclinersByDay = []metrics.Point{{Day: broken.Start, Value: 0}}
	broken.Baseline = metrics.Report{}
	broken.Days = 0

	for name, r := range map[string]*Result{
		"nil":    nil,
		"zero":   {},
		"broken": broken,
		"no baseline series": {Days: 30, Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Rapport: metrics.Report{
			EngagedDeclinersByDay: []metrics.Point{{Day: time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC), Value: 3}},
		}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			page := render(t, r)
			for _, bad := range []string{"NaN", "Inf", "<no value>", "%!"} {
				if strings.Contains(page, bad) {
					i := strings.Index(page, bad)
					t.Errorf("page contains %q near %q", bad, page[max(0, i-80):min(len(page), i+40)])
				}
			}
			if n := len(checkSVGs(t, page)); n < 4 {
				t.Errorf("%d SVGs, want at least 4", n)
			}
		})
	}
	empty := render(t, &Result{})
	if !strings.Contains(empty, "No patient declined.") || !strings.Contains(empty, "No decliner engaged") {
		t.Error("empty report does not say that nothing happened")
	}
	if !strings.Contains(empty, "not measurable") || strings.Contains(empty, "0 pp") {
		t.Error("a lift without a hold-out is shown as a measured zero")
	}
	if trend := svgRE.FindAllString(empty, -1)[1]; strings.Contains(trend, ">0.") {
		t.Errorf("an axis of days or patients has fractional ticks:\n%s", trend)
	}
	if page := render(t, broken); !strings.Contains(page, "not measurable") || !strings.Contains(page, "n/a") {
		t.Error("a NaN lift is not shown as not measurable")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteHTMLWriteError(t *testing.T) {
	t.Parallel()
	err := WriteHTML(failWriter{}, sampleResult())
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("WriteHTML to a failing writer = %v, want the write error", err)
	}
}

// chromiumPath returns the Chromium to test with: RAPPORT_TEST_CHROMIUM
// (set by scripts/test.sh), Debian's /usr/bin/chromium, or chromium on PATH.
func chromiumPath() string {
	if p := os.Getenv("RAPPORT_TEST_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	p, _ := exec.LookPath("chromium")
	return p
}

// chartBox is what the browser reports about one chart.
type chartBox struct {
	ID      string   `json:"id"`
	Width   float64  `json:"w"`
	Height  float64  `json:"h"`
	Clipped []string `json:"clipped"` // texts that stick out of the chart
}

// pageCheck is what the test reads from the rendered page.
type pageCheck struct {
	Charts       []chartBox `json:"charts"`
	FunnelBars   int        `json:"funnelBars"`
	WideBars     int        `json:"wideBars"`
	LinePoints   []int      `json:"linePoints"`
	ScrollWidth  float64    `json:"scrollWidth"`
	ViewWidth    float64    `json:"viewWidth"`
	ScriptsCount int        `json:"scripts"`
}

const pageCheckJS = `(() => {
  const ids = ['funnel-chart', 'trend-chart', 'reasons-chart', 'segments-chart', 'lift-chart'];
  const charts = ids.map(id => {
    const svg = document.getElementById(id);
    if (!svg) return {id, w: 0, h: 0, clipped: []};
    const r = svg.getBoundingClientRect();
    const clipped = [...svg.querySelectorAll('text')].filter(t => {
      const b = t.getBoundingClientRect();
      return b.left < r.left - 1 || b.right > r.right + 1 || b.top < r.top - 1 || b.bottom > r.bottom + 1;
    }).map(t => t.textContent);
    return {id, w: r.width, h: r.height, clipped};
  });
  const bars = [...document.querySelectorAll('#funnel-chart rect.bar')];
  return {
    charts,
    funnelBars: bars.length,
    wideBars: bars.filter(b => b.getBoundingClientRect().width > 0).length,
    linePoints: [...document.querySelectorAll('#trend-chart polyline')].map(p => p.points.numberOfItems),
    scrollWidth: document.documentElement.scrollWidth,
    viewWidth: window.innerWidth,
    scripts: document.scripts.length,
  };
})()`

// TestHTMLInChromium opens reports in a real headless Chromium from file://
// URLs, checks that every chart lays out with a size and no text sticking
// out, that the funnel has its bars and the trend its points, and takes a
// full-page screenshot of each (copied to RAPPORT_SCREENSHOT_DIR when set).
func TestHTMLInChromium(t *testing.T) {
	t.Parallel()
	bin := chromiumPath()
	if bin == "" {
		msg := "!!! Chromium is not installed: the browser test of the HTML report is SKIPPED (apt-get install -y chromium, or run scripts/test.sh)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	// The whole browser session is bounded; chromedp stops the browser when
	// this context ends.
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.WindowSize(1000, 900),
	)
	defer acancel()
	browser, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	t0 := time.Now()
	if err := chromedp.Do(browser); err != nil { // starts the browser
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Logf("Chromium started in %v", time.Since(t0).Round(time.Millisecond))

	tests := []struct {
		name     string
		r        *Result
		wideBars int // funnel bars with a width
		minH     int // the screenshot's least height
	}{
		{"sample", sampleResult(), 2 * len(funnelStages), 2500},
		{"empty", &Result{}, 0, 1500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := filepath.Join(dir, tt.name+".html")
			f, err := os.Create(page)
			if err != nil {
				t.Fatal(err)
			}
			if err := WriteHTML(f, tt.r); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			tab, tcancel := chromedp.NewContext(browser) // a tab of the same browser
			defer tcancel()
			t0 := time.Now()
			if err := chromedp.Do(tab,
				chromedp.Navigate("file://"+page),
				chromedp.WaitVisible(chromedp.CSS("#lift-chart")),
			); err != nil {
				t.Fatalf("open %s in Chromium: %v", page, err)
			}
			got, err := chromedp.Run(tab, chromedp.Evaluate[pageCheck](pageCheckJS))
			if err != nil {
				t.Fatalf("measure the page: %v", err)
			}
			charts := 0
			for _, c := range got.Charts {
				if c.Width == 0 && c.Height == 0 && tt.r.Rapport.DeclineReasons == nil && c.ID == "reasons-chart" {
					continue // no reasons: the page says so instead of drawing
				}
				charts++
				if c.Width <= 0 || c.Height <= 0 {
					t.Errorf("chart %s has a %vx%v box, want a visible one", c.ID, c.Width, c.Height)
				}
				if len(c.Clipped) > 0 {
					t.Errorf("chart %s has text outside its box: %q", c.ID, c.Clipped)
				}
			}
			if charts < 4 {
				t.Errorf("%d charts laid out, want at least 4", charts)
			}
			if want := 2 * len(funnelStages); got.FunnelBars != want || got.WideBars != tt.wideBars {
				t.Errorf("funnel has %d bars (%d with a width), want %d (%d)", got.FunnelBars, got.WideBars, want, tt.wideBars)
			}
			if len(got.LinePoints) != 2 {
				t.Errorf("trend chart has %d lines, want 2", len(got.LinePoints))
			}
			for i, n := range got.LinePoints {
				if n < 2 {
					t.Errorf("trend line %d has %d points, want a line", i, n)
				}
			}
			if got.ScrollWidth > got.ViewWidth+1 {
				t.Errorf("page scrolls sideways: %v wide in a %v viewport", got.ScrollWidth, got.ViewWidth)
			}
			if got.ScriptsCount != 0 {
				t.Errorf("page has %d scripts, want none", got.ScriptsCount)
			}
			shot, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			t.Logf("page opened, checked and captured in %v", time.Since(t0).Round(time.Millisecond))
			name := "rapport-demo-report-" + tt.name + ".png"
			if err := os.WriteFile(filepath.Join(dir, name), shot, 0o644); err != nil {
				t.Fatal(err)
			}
			checkScreenshot(t, shot, tt.minH, tt.wideBars > 0)
			if out := os.Getenv("RAPPORT_SCREENSHOT_DIR"); out != "" {
				if err := os.MkdirAll(out, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(out, name), shot, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("screenshot copied to %s", filepath.Join(out, name))
			}
		})
	}
}

// checkScreenshot fails unless shot is a PNG of a page at least minH tall
// with, when bars are drawn, both strategies' colours in it.
func checkScreenshot(t *testing.T, shot []byte, minH int, bars bool) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() < 600 || b.Dy() < minH {
		t.Errorf("screenshot is %dx%d, want a full page (at least 600x%d)", b.Dx(), b.Dy(), minH)
	}
	// --rapport is #0b62a4, --baseline is #d97706.
	if bars && !hasColour(img, 0x0b, 0x62, 0xa4) || !hasColour(img, 0xd9, 0x77, 0x06) {
		t.Error("screenshot lacks the rapport blue or the baseline amber: charts not painted")
	}
}

// hasColour reports whether img has a pixel within a small distance of the
// colour.
func hasColour(img image.Image, r, g, b uint8) bool {
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y += 2 {
		for x := bd.Min.X; x < bd.Max.X; x += 2 {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if near(pr>>8, r) && near(pg>>8, g) && near(pb>>8, b) {
				return true
			}
		}
	}
	return false
}

func near(a uint32, b uint8) bool { return int(a)-int(b) <= 6 && int(b)-int(a) <= 6 }
