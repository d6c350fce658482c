package adherence_test

import (
	"fmt"
	"time"

	"github.com/rapporthq/rapport/adherence"
)

// PQA's fourth worked example: the Mar 25 refill is shifted to Apr 1, and
// the Oct 15 fill is cut off at the end of the year.
func ExampleMeasure() {
	var fills []adherence.Fill
	for _, on := range []adherence.Date{
		adherence.NewDate(2018, time.January, 1),
		adherence.NewDate(2018, time.March, 25),
		adherence.NewDate(2018, time.July, 5),
		adherence.NewDate(2018, time.October, 15),
	} {
		f, err := adherence.NewFill("metformin", "diabetes", on, 90)
		if err != nil {
			panic(err)
		}
		fills = append(fills, f)
	}
	results, err := adherence.Measure(adherence.Method{Period: adherence.Year(2018)}, fills, nil)
	if err != nil {
		panic(err)
	}
	r := results[0]
	fmt.Printf("%s from %s: %d of %d days, PDC %.1f%%, MPR %.1f%%, adherent %v\n",
		r.Class, r.IndexDate, r.Covered, r.Days, 100*r.PDC, 100*r.MPR, r.Adherent)
	// Output: diabetes from 2018-01-01: 348 of 365 days, PDC 95.3%, MPR 98.6%, adherent true
}
