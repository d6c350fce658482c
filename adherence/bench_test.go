package adherence

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// population is fills stored compactly, 12 per patient: 1M patients as
// []Fill would take over half a gigabyte, these take 72 MB.
type population struct {
	dates  []Date
	supply []int16
	drug   []uint8
}

const fillsPerPatient = 12

var benchDrugs = [...]string{"atorvastatin", "simvastatin"}

// newPopulation draws n patients' refill histories over 2023 from a fixed
// seed: a first fill in January, 30- or 90-day supplies, refills from a week
// early to three weeks late, and one patient in ten switching statin.
func newPopulation(n int) population {
	rng := rand.New(rand.NewPCG(15, 2023))
	p := population{
		dates:  make([]Date, n*fillsPerPatient),
		supply: make([]int16, n*fillsPerPatient),
		drug:   make([]uint8, n*fillsPerPatient),
	}
	for i := range n {
		day := NewDate(2023, 1, 1).AddDays(rng.IntN(31))
		drug, switches := uint8(0), rng.IntN(10) == 0
		for j := range fillsPerPatient {
			k := i*fillsPerPatient + j
			supply := 30
			if rng.IntN(5) == 0 {
				supply = 90
			}
			if switches && j == fillsPerPatient/2 {
				drug = 1
			}
			p.dates[k], p.supply[k], p.drug[k] = day, int16(supply), drug
			day = day.AddDays(supply + rng.IntN(28) - 7)
		}
	}
	return p
}

// BenchmarkPDC1M measures PDC and MPR for 1,000,000 patients with 12 fills
// each, on all cores, one calculator per worker. Run it once:
//
//	go test -run '^$' -bench PDC1M -benchtime 1x ./adherence
func BenchmarkPDC1M(b *testing.B) {
	const patients = 1_000_000
	pop := newPopulation(patients)
	m := Method{Period: Year(2023)}
	workers := runtime.GOMAXPROCS(0)
	b.ReportAllocs()
	b.ResetTimer()
	var measured, adherent atomic.Int64
	for range b.N {
		measured.Store(0)
		adherent.Store(0)
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				c, err := NewCalculator(m)
				if err != nil {
					b.Error(err)
					return
				}
				fills := make([]Fill, fillsPerPatient)
				var out []Result
				var nMeasured, nAdherent int64
				const chunk = 4096
				for {
					lo := int(next.Add(chunk)) - chunk
					if lo >= patients {
						break
					}
					for i := lo; i < min(lo+chunk, patients); i++ {
						for j := range fills {
							k := i*fillsPerPatient + j
							fills[j] = Fill{Drug: benchDrugs[pop.drug[k]], Class: "statin", Date: pop.dates[k], DaysSupply: int(pop.supply[k])}
						}
						out, err = c.Measure(fills, nil, out[:0])
						if err != nil {
							b.Error(err)
							return
						}
						for _, r := range out {
							if r.Measured() {
								nMeasured++
							}
							if r.Adherent {
								nAdherent++
							}
						}
					}
				}
				measured.Add(nMeasured)
				adherent.Add(nAdherent)
			})
		}
		wg.Wait()
	}
	b.StopTimer()
	if measured.Load() != patients {
		b.Fatalf("measured %d of %d patients", measured.Load(), patients)
	}
	b.ReportMetric(float64(adherent.Load())/float64(measured.Load()), "adherent-share")
	b.ReportMetric(float64(patients*b.N)/b.Elapsed().Seconds(), "patients/s")
}
