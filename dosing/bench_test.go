package dosing

import (
	"testing"
	"time"
)

// BenchmarkNext times finding a patient's next dose, the work of
// scheduling one reminder: a twice-daily regimen in New York.
func BenchmarkNext(b *testing.B) {
	ny := mustZone(b, "America/New_York")
	r := daily(ny, "2026-01-01", Clock(9, 0), Clock(21, 0))
	after := time.Date(2026, 6, 10, 12, 0, 0, 0, ny)
	b.ReportAllocs()
	for b.Loop() {
		if r.Next(after).IsZero() {
			b.Fatal("no next dose")
		}
	}
}

// BenchmarkDosesBetweenYear times listing a year of a twice-daily regimen.
func BenchmarkDosesBetweenYear(b *testing.B) {
	ny := mustZone(b, "America/New_York")
	r := daily(ny, "2026-01-01", Clock(9, 0), Clock(21, 0))
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, ny)
	b.ReportAllocs()
	for b.Loop() {
		if n := len(r.DosesBetween(from, from.AddDate(1, 0, 0))); n != 730 {
			b.Fatalf("%d doses", n)
		}
	}
}

func BenchmarkParseTimeChange(b *testing.B) {
	ny := mustZone(b, "America/New_York")
	now := time.Date(2026, 6, 10, 21, 5, 0, 0, ny)
	about := Dose{Time: Clock(21, 0), Key: "2026-06-10@21:00"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseTimeChange("cambiar a las 8 de la noche", now, ny, about); err != nil {
			b.Fatal(err)
		}
	}
}
