package demo

import (
	"math"
	"strconv"
	"strings"
)

// This file holds the pure geometry of the HTML report's SVG charts: scales,
// axis ticks, bar widths and polyline points. Every function returns finite
// numbers for any input — zero, negative, empty, NaN or infinite — so that a
// report of an empty run never carries "NaN" or "Inf" into its SVG.

// finite returns f, or 0 when f is NaN or infinite.
func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

// scale maps v from [0, max] onto [0, length], clamped to that range. It
// returns 0 when max is not positive or any argument is not finite.
func scale(v, max, length float64) float64 {
	v, max, length = finite(v), finite(max), finite(length)
	if max <= 0 || length <= 0 || v <= 0 {
		return 0
	}
	if v >= max {
		return length
	}
	return v / max * length
}

// linear maps v from the domain [d0, d1] onto the range [r0, r1], clamped to
// the range. A degenerate domain maps everything to r0.
func linear(v, d0, d1, r0, r1 float64) float64 {
	v, d0, d1, r0, r1 = finite(v), finite(d0), finite(d1), finite(r0), finite(r1)
	if d1 == d0 {
		return r0
	}
	t := (v - d0) / (d1 - d0)
	t = math.Max(0, math.Min(1, t))
	return r0 + t*(r1-r0)
}

// niceStep returns a round step (1, 2 or 5 times a power of ten) that splits
// span into at most about n intervals; 1 for a span that is not positive.
func niceStep(span float64, n int) float64 {
	span = finite(span)
	if span <= 0 || n < 1 {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if step := m * mag; step >= raw {
			return step
		}
	}
	return 10 * mag
}

// niceMax returns the smallest multiple of a round step that is at least v,
// so that an axis ends on a round number; 1 when v is not positive.
func niceMax(v float64, n int) float64 {
	v = finite(v)
	if v <= 0 {
		return 1
	}
	step := niceStep(v, n)
	return math.Ceil(v/step-1e-9) * step
}

// ticks returns the round values from lo to hi (both rounded outwards to a
// step of niceStep(hi-lo, n)), ascending. It returns [0, 1] for an empty or
// inverted range.
func ticks(lo, hi float64, n int) []float64 {
	lo, hi = finite(lo), finite(hi)
	if hi <= lo {
		return []float64{0, 1}
	}
	step := niceStep(hi-lo, n)
	first := math.Floor(lo/step+1e-9) * step
	// Round away float noise such as 0.30000000000000004 at the step's
	// number of decimals.
	unit := math.Pow(10, math.Max(0, -math.Floor(math.Log10(step))))
	var out []float64
	for i := 0; i <= 4*n+4; i++ {
		t := math.Round((first+float64(i)*step)*unit) / unit
		out = append(out, t)
		if t >= hi-1e-9 {
			break
		}
	}
	return out
}

// xy is a point in SVG user units.
type xy struct{ X, Y float64 }

// points renders a polyline's points attribute ("x,y x,y ...") with one
// decimal, after replacing any non-finite coordinate by 0.
func points(ps []xy) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(num(p.X))
		b.WriteByte(',')
		b.WriteString(num(p.Y))
	}
	return b.String()
}

// num formats a coordinate or value with at most one decimal, without a
// trailing ".0"; non-finite numbers become "0".
func num(f float64) string {
	f = math.Round(finite(f)*10) / 10
	if f == 0 {
		return "0" // and never "-0"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// pct returns part/whole as a percentage, 0 when whole is not positive.
func pct(part, whole int) float64 {
	if whole <= 0 {
		return 0
	}
	return float64(part) / float64(whole) * 100
}

// spread moves two labels' vertical positions apart until they are at least
// gap apart, keeping their midpoint, so that end-of-line labels never
// overlap. It returns them in the order given.
func spread(a, b, gap float64) (float64, float64) {
	a, b = finite(a), finite(b)
	if math.Abs(a-b) >= gap {
		return a, b
	}
	mid := (a + b) / 2
	if a <= b {
		return mid - gap/2, mid + gap/2
	}
	return mid + gap/2, mid - gap/2
}

// truncate shortens s to at most n runes, ending in an ellipsis when cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if n < 1 || len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// commas formats n with thousands separators: 1234567 → "1,234,567".
func commas(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
