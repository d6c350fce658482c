package verify

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
)

// dirtyContacts returns n contact points as a CRM export holds them: 60%
// phones, 40% emails, with the dirt of issue 13's trial and Synthea —
// numbers in every common format, dead 555 area codes, fictional and
// N11 numbers, dropped digits and letters typed for digits, foreign numbers;
// good addresses, provider typos, role and disposable addresses, missing
// @s and spaces. Deterministic for a seed.
func dirtyContacts(n int, seed uint64) []rapport.ContactPoint {
	r := rand.New(rand.NewPCG(seed, 1))
	areas := []string{"505", "212", "512", "907", "415", "617", "303", "215"}
	users := []string{"ana.garcia", "rsmith", "lan.nguyen", "info", "jp", "maría", "office", "kim.lee88"}
	domains := []string{"gmail.com", "yahoo.com", "hotmail.com", "aol.com", "outlook.com", "comcast.net", "clinic.org",
		"gmial.com", "hotmial.com", "yaho.com", "gmail.con", "mailinator.com", "correo.es"}
	out := make([]rapport.ContactPoint, n)
	for i := range out {
		c := &out[i]
		if r.IntN(10) < 6 {
			c.Kind = rapport.ContactPhone
			a, ex, line := areas[r.IntN(len(areas))], 200+r.IntN(800), r.IntN(10000)
			switch r.IntN(12) {
			case 0:
				c.Raw = fmt.Sprintf("555-%03d-%04d", ex, line) // Synthea
			case 1:
				c.Raw = fmt.Sprintf("(%s) 555-01%02d", a, line%100) // fictional
			case 2:
				c.Raw = fmt.Sprintf("%s-%d11-%04d", a, 2+r.IntN(8), line) // N11 exchange
			case 3:
				c.Raw = fmt.Sprintf("%s-%03d-%03d", a, ex, line%1000) // a digit dropped
			case 4:
				c.Raw = fmt.Sprintf("%s-%03d-%03dO", a, ex, line%1000) // letter O for zero
			case 5:
				c.Raw = fmt.Sprintf("+44 7%03d %06d", r.IntN(1000), r.IntN(1000000))
			case 6:
				c.Raw = fmt.Sprintf("+1 %s %03d %04d", a, ex, line)
			case 7:
				c.Raw = fmt.Sprintf("%s.%03d.%04d x%d", a, ex, line, r.IntN(100))
			case 8:
				c.Raw = "n/a"
			default:
				c.Raw = fmt.Sprintf("(%s) %03d-%04d", a, ex, line)
			}
			continue
		}
		c.Kind = rapport.ContactEmail
		u, d := users[r.IntN(len(users))], domains[r.IntN(len(domains))]
		switch r.IntN(20) {
		case 0:
			c.Raw = u + d // no @
		case 1:
			c.Raw = u + " @" + d
		case 2:
			c.Raw = " " + u + strconv.Itoa(r.IntN(100)) + "@" + d + " "
		case 3, 4:
			c.Raw = u + "@" + d // info@, office@ among them
		default:
			c.Raw = u + strconv.Itoa(r.IntN(1000)) + "@" + d
		}
	}
	return out
}

// BenchmarkValidateMillion judges 1,000,000 dirty contact points the way
// the importer does: [ContactPoint] on a pool of GOMAXPROCS goroutines
// (importer.prepareFunc runs on such a pool). It reports the wall time for
// the million and the verdicts, so the figure can be checked against the
// mix. RAPPORT_BENCH_CONTACTS changes the count.
func BenchmarkValidateMillion(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("RAPPORT_BENCH_CONTACTS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatalf("RAPPORT_BENCH_CONTACTS=%q: %v", s, err)
		}
	}
	src := dirtyContacts(n, 13)
	now := time.Date(2026, 12, 5, 6, 0, 0, 0, time.UTC)
	cps := make([]rapport.ContactPoint, n)
	b.ResetTimer()
	for b.Loop() {
		copy(cps, src)
		start := time.Now()
		validateAll(cps, now)
		b.ReportMetric(time.Since(start).Seconds(), "wall-s")
	}
	b.StopTimer()
	invalid, flagged, suggested := 0, 0, 0
	for i := range cps {
		if cps[i].Status == rapport.StatusInvalid {
			invalid++
		}
		if len(cps[i].Flags) > 0 {
			flagged++
		}
		if cps[i].Suggestion != "" {
			suggested++
		}
	}
	b.ReportMetric(float64(invalid)/float64(n), "invalid/op")
	b.ReportMetric(float64(flagged)/float64(n), "flagged/op")
	b.ReportMetric(float64(suggested)/float64(n), "suggested/op")
}

func validateAll(cps []rapport.ContactPoint, now time.Time) {
	workers := runtime.GOMAXPROCS(0)
	const chunk = 4096
	next := make(chan int, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lo := range next {
				for i := lo; i < min(lo+chunk, len(cps)); i++ {
					ContactPoint(&cps[i], "US", now)
				}
			}
		}()
	}
	for lo := 0; lo < len(cps); lo += chunk {
		next <- lo
	}
	close(next)
	wg.Wait()
}

// TestDirtyContactsMix keeps the benchmark honest: its mix holds every
// kind of verdict it claims to.
func TestDirtyContactsMix(t *testing.T) {
	t.Parallel()
	cps := dirtyContacts(20000, 13)
	validateAll(cps, time.Now())
	seen := map[string]int{}
	for _, c := range cps {
		seen[string(c.Kind)+"/"+string(c.Status)]++
		for _, f := range c.Flags {
			seen[string(c.Kind)+"/"+string(f.Code)]++
		}
	}
	for _, k := range []string{"phone/unverified", "phone/invalid", "phone/fictional", "phone/reserved",
		"email/unverified", "email/invalid", "email/typo", "email/role", "email/disposable"} {
		if seen[k] == 0 {
			t.Errorf("no %s in the mix: %v", k, seen)
		}
	}
}
