package importer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/csvimport"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/dbtest"
)

// BenchmarkImportCSVCaregivers imports 10,000 rows of the caregivers
// export (two caregivers a row) into a fresh database per iteration, with
// the caregivers mapping and with the same mapping less its caregivers,
// so that the cost of the caregivers shows; it reports rows/s.
func BenchmarkImportCSVCaregivers(b *testing.B) {
	const rows = 10_000
	var sb strings.Builder
	sb.WriteString(caregiversHeader + "\n")
	for i := range rows {
		fmt.Fprintf(&sb, "P%d,MRN%d,Ana%d,García,03/14/1948,(512) 867-%04d,Rosa García,(512) 867-%04d,Daughter,Y,Spanish,Jorge,García,j%d@example.com,husband,conversation\n",
			i, i, i, i%10000, (i+1)%10000, i)
	}
	path := filepath.Join(b.TempDir(), "bench.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	src, err := os.ReadFile("../csvimport/testdata/caregivers-mapping.yaml")
	if err != nil {
		b.Fatal(err)
	}
	with, err := csvimport.ParseMapping("m.yaml", src)
	if err != nil {
		b.Fatal(err)
	}
	without, err := csvimport.ParseMapping("m.yaml", src[:strings.Index(string(src), "\ncaregivers:")])
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range dbtest.Dialects {
		for name, m := range map[string]*csvimport.Mapping{"patients-only": without, "with-caregivers": with} {
			b.Run(string(d)+"/"+name, func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					db := dbtest.Open(b, d, clock())
					b.StartTimer()
					if _, err := (&importer.Importer{DB: db}).ImportCSV(context.Background(), path, m); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					db.Close()
					b.StartTimer()
				}
				b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}
