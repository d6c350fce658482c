package dosing_test

import (
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/dosing"
)

// A twice-daily prescription in New York, across the spring-forward night;
// the patient replies "6:30am" to the morning reminder and "LATER" to an
// evening one.
func Example() {
	ny, _ := time.LoadLocation("America/New_York")
	r, err := dosing.FromDosage(rapport.Dosage{Frequency: 2, Period: 1, PeriodUnit: "d"}, ny, dosing.Date{Year: 2026, Month: time.March, Day: 6})
	if err != nil {
		panic(err)
	}
	show := func(from, to time.Time) {
		for _, d := range r.DosesBetween(from, to) {
			fmt.Printf("%s  due %s  patient-chosen %v\n", d.Key, d.At.Format("2006-01-02 15:04 MST"), d.PatientChosen)
		}
	}
	start := time.Date(2026, 3, 7, 0, 0, 0, 0, ny)
	show(start, start.Add(48*time.Hour))

	morning, _ := r.NextDose(time.Date(2026, 3, 9, 8, 0, 0, 0, ny))
	c, _ := dosing.ParseTimeChange("6:30am", morning.At.Add(2*time.Minute), ny, morning)
	r = dosing.ApplyChange(r, c)

	evening, _ := r.NextDose(morning.At)
	c, _ = dosing.ParseTimeChange("LATER", evening.At.Add(5*time.Minute), ny, evening)
	r = dosing.ApplyChange(r, c)
	fmt.Println("--")
	show(time.Date(2026, 3, 9, 12, 0, 0, 0, ny), time.Date(2026, 3, 10, 12, 0, 0, 0, ny))

	_, err = dosing.ParseTimeChange("STOP", evening.At, ny, evening)
	fmt.Println("--\nSTOP:", err)
	// Output:
	// 2026-03-07@09:00  due 2026-03-07 09:00 EST  patient-chosen false
	// 2026-03-07@21:00  due 2026-03-07 21:00 EST  patient-chosen false
	// 2026-03-08@09:00  due 2026-03-08 09:00 EDT  patient-chosen false
	// 2026-03-08@21:00  due 2026-03-08 21:00 EDT  patient-chosen false
	// --
	// 2026-03-09@21:00  due 2026-03-09 22:05 EDT  patient-chosen true
	// 2026-03-10@06:30  due 2026-03-10 06:30 EDT  patient-chosen true
	// --
	// STOP: not a time change
}
