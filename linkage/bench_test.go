package linkage_test

import (
	"strconv"
	"testing"

	"github.com/rapporthq/rapport/linkage"
	"github.com/rapporthq/rapport/linkage/linkagetest"
)

// BenchmarkDetect times duplicate detection — normalising, blocking,
// comparing, EM and scoring — over a synthetic population with 5%
// duplicates and 15% households. The target of issue 13 is 1,000,000
// patients in under 60 s on a 2-core machine with peak RSS under 2 GB:
//
//	go test -run '^$' -bench 'Detect/1000000' -benchtime 1x ./linkage/
//
// (peak RSS with /usr/bin/time -v on the test binary).
func BenchmarkDetect(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			pop := linkagetest.Generate(linkagetest.Params{People: n, DupRate: 0.05, HouseholdRate: 0.15, Seed: 1})
			b.ResetTimer()
			for range b.N {
				pairs, _, err := linkage.Detect(pop.Records, linkage.Config{})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(len(pairs)), "pairs")
				correct := 0
				for _, p := range pairs {
					if pop.Person[p.A] == pop.Person[p.B] {
						correct++
					}
				}
				b.ReportMetric(float64(correct)/float64(len(pairs)), "precision")
				b.ReportMetric(float64(correct)/float64(len(pop.Records)-n), "recall")
			}
			b.ReportMetric(float64(len(pop.Records))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
