package dosing

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseTimeChange(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	now := time.Date(2026, 6, 10, 21, 5, 0, 0, ny) // five minutes after a 21:00 reminder
	evening := Dose{Time: Clock(21, 0), Key: "2026-06-10@21:00", Date: date("2026-06-10")}
	morning := Dose{Time: Clock(9, 0), Key: "2026-06-10@09:00", Date: date("2026-06-10")}
	const (
		notChange = "not"
		bad       = "bad"
	)
	cases := []struct {
		text  string
		about Dose
		want  string // "snooze", "HH:MM" for a move, notChange or bad
	}{
		// Snoozes.
		{"LATER", evening, "snooze"},
		{"later", evening, "snooze"},
		{"Later!", evening, "snooze"},
		{"remind me later please", evening, "snooze"},
		{"snooze", evening, "snooze"},
		{"MAS TARDE", evening, "snooze"},
		{"más tarde", evening, "snooze"},
		{"Más tarde, por favor", evening, "snooze"},
		{"luego", evening, "snooze"},

		// English times.
		{"8PM", evening, "20:00"},
		{"8 pm", evening, "20:00"},
		{"8 P.M.", evening, "20:00"},
		{"8:30pm", evening, "20:30"},
		{"8.30pm", evening, "20:30"},
		{"20:00", evening, "20:00"},
		{"20:00 pm", evening, "20:00"},
		{"6:30am", evening, "06:30"},
		{"12am", evening, "00:00"},
		{"12pm", morning, "12:00"},
		{"at 7", evening, "19:00"},
		{"at 7", morning, "07:00"},
		{"at 1", morning, "13:00"},
		{"at 3", morning, "15:00"}, // a tie: the afternoon
		{"at 12", morning, "12:00"},
		{"at 12", evening, "00:00"},
		{"at 07", evening, "07:00"}, // a leading zero is a 24-hour clock
		{"8:00", evening, "20:00"},
		{"08:00", evening, "08:00"},
		{"change to 9pm", evening, "21:00"},
		{"Change it to 10 PM please", evening, "22:00"},
		{"remind me at 6:30 in the morning", evening, "06:30"},
		{"at 9 at night", morning, "21:00"},
		{"seven pm", evening, "19:00"},
		{"at noon", evening, "12:00"},
		{"midnight", evening, "00:00"},
		{"12 noon", evening, "12:00"},
		{"８PM", evening, "20:00"}, // full-width digit

		// Spanish times.
		{"cambiar a las 9", evening, "21:00"},
		{"cambiar a las 9", morning, "09:00"},
		{"Cámbialo a las 8", evening, "20:00"},
		{"a las 9 de la noche", morning, "21:00"},
		{"9 de la mañana", evening, "09:00"},
		{"a las 21:30", morning, "21:30"},
		{"a las 8.30", morning, "08:30"},
		{"a la una de la tarde", morning, "13:00"},
		{"a las nueve y media", evening, "21:30"},
		{"a las 7 y cuarto de la mañana", evening, "07:15"},
		{"a las 12 de la noche", evening, "00:00"},
		{"a las 2 de la madrugada", evening, "02:00"},
		{"a las 5 de la tarde", morning, "17:00"},
		{"a medianoche", evening, "00:00"},
		{"al mediodia", evening, notChange}, // "al" is not a word the parser knows
		{"mediodía", evening, "12:00"},

		// Not time changes: keywords, check-in answers, talk.
		{"STOP", evening, notChange},
		{"stop at 9pm", evening, notChange},
		{"ALTO", evening, notChange},
		{"PARAR", evening, notChange},
		{"cancel", evening, notChange},
		{"HELP", evening, notChange},
		{"1", evening, notChange},
		{"2", evening, notChange},
		{"3", morning, notChange},
		{"yes", evening, notChange},
		{"sí", evening, notChange},
		{"I took it at 8", evening, notChange},
		{"lo tomé a las 8", evening, notChange},
		{"7am tomorrow", evening, notChange},
		{"a las 9 mañana", evening, notChange}, // mañana alone is "tomorrow"
		{"tonight at 8", evening, notChange},
		{"at 8 or 9", evening, notChange},
		{"142/90", evening, notChange},
		{"change it", evening, notChange},
		{"at night", evening, notChange},
		{"8 am pm", evening, notChange},
		{"830pm", evening, notChange},
		{"", evening, notChange},
		{"   ", evening, notChange},
		{"😀", evening, notChange},
		{"at 8 ничего", evening, notChange},
		{strings.Repeat("at 8 ", 200), evening, notChange},

		// Attempts at an impossible time.
		{"change to 25:00", evening, bad},
		{"13am", evening, bad},
		{"0pm", evening, bad},
		{"at 8:75", evening, bad},
		{"a las 15 de la mañana", evening, bad},
		{"8 noon", evening, bad},
	}
	for _, c := range cases {
		got, err := ParseTimeChange(c.text, now, ny, c.about)
		switch c.want {
		case notChange:
			if !errors.Is(err, ErrNotTimeChange) {
				t.Errorf("%q: got %+v, %v; want not a time change", c.text, got, err)
			}
		case bad:
			if !errors.Is(err, ErrBadTime) {
				t.Errorf("%q: got %+v, %v; want a bad time", c.text, got, err)
			}
		case "snooze":
			want := now.Add(time.Hour)
			if err != nil || got.Kind != ChangeSnooze || !got.At.Equal(want) || got.To != Clock(22, 5) || got.DoseKey != c.about.Key || got.Replaces != c.about.Time {
				t.Errorf("%q: got %+v, %v; want a snooze to %s", c.text, got, err, want)
			}
		default:
			if err != nil || got.Kind != ChangeMove || got.To.String() != c.want || got.Replaces != c.about.Time {
				t.Errorf("%q (about %s): got %+v (%s), %v; want a move to %s", c.text, c.about.Time, got, got.To, err, c.want)
			}
		}
		if err != nil && utf8.RuneCountInString(c.text) > 0 && strings.Contains(err.Error(), strings.TrimSpace(c.text)) && strings.TrimSpace(c.text) != "" {
			t.Errorf("%q: the error quotes the reply: %v", c.text, err)
		}
	}
}

func TestParseTimeChangeSnoozeAcrossDST(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	// 01:30 EDT on the fall-back night: an hour later is 01:30 EST.
	now := time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)
	c, err := ParseTimeChange("LATER", now, ny, Dose{Time: Clock(1, 30), Key: "2026-11-01@01:30"})
	if err != nil || !c.At.Equal(now.Add(time.Hour)) || c.To != Clock(1, 30) {
		t.Errorf("snooze: %+v %v", c, err)
	}
}

// The pipeline reads replies on many goroutines at once.
func TestParseTimeChangeConcurrent(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	now := time.Date(2026, 6, 10, 21, 5, 0, 0, ny)
	about := Dose{Time: Clock(21, 0), Key: "2026-06-10@21:00"}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				text, want := "Cámbialo a las 8", Clock(20, 0)
				if (g+i)%2 == 0 {
					text, want = "９ de la mañana", Clock(9, 0)
				}
				if c, err := ParseTimeChange(text, now, ny, about); err != nil || c.To != want {
					errs <- fmt.Sprintf("%q: %+v %v", text, c, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// FuzzParseTimeChange: any reply is read without panic, and an accepted
// one names a time of day 00:00–23:59 and the dose it was about.
func FuzzParseTimeChange(f *testing.F) {
	for _, s := range []string{"LATER", "más tarde", "8PM", "8:30pm", "20:00", "at 7", "cambiar a las 9",
		"a las 9 de la noche", "9 de la mañana", "a las 21:30", "STOP", "1", "a las nueve y media", "12 noon",
		"８PM", "8.30", "p.m.", "\xff", "a las 2 de la noche y media", "y media"} {
		f.Add(s, 21*60)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 6, 10, 21, 5, 0, 0, ny)
	f.Fuzz(func(t *testing.T, text string, about int) {
		dose := Dose{Time: TimeOfDay(about % (24 * 60)), Key: "2026-06-10@21:00"}
		if dose.Time < 0 {
			dose.Time = -dose.Time
		}
		c, err := ParseTimeChange(text, now, ny, dose)
		if err != nil {
			if !errors.Is(err, ErrNotTimeChange) && !errors.Is(err, ErrBadTime) {
				t.Fatalf("%q: unexpected error %v", text, err)
			}
			return
		}
		if !c.To.Valid() || (c.Kind != ChangeMove && c.Kind != ChangeSnooze) || c.Replaces != dose.Time {
			t.Fatalf("%q: accepted %+v", text, c)
		}
		// A moved dose moves forward, never into the past.
		if (c.Kind == ChangeSnooze && c.DoseKey != dose.Key) || (c.DoseKey != "" && !c.At.After(now)) {
			t.Fatalf("%q: moves dose %q to %s", text, c.DoseKey, c.At)
		}
	})
}
