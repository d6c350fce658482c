package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/dosing"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/store"
)

// envBenchReminders sets how many patients take a dose in the same
// minute in BenchmarkDoseReminderMinute (default 5000).
const envBenchReminders = "RAPPORT_BENCH_REMINDERS"

// BenchmarkDoseReminderMinute is the worst minute of dose reminders: N
// patients whose dose is at the same minute (08:00 is everyone's), with
// `rapport serve` on SQLite as a process on the real clock and the Twilio
// fake; it reports how late each reminder reached the fake after its
// dose's minute began (p50, p99, max) and serve's CPU per reminder.
func BenchmarkDoseReminderMinute(b *testing.B) {
	if testing.Short() {
		b.Skip("end-to-end benchmark: runs rapport serve as a process on the real clock")
	}
	n := envInt(b, envBenchReminders, 5000)
	proctest.Binary(b)
	b.StopTimer()
	var p50, p99, worst, cpu float64
	for range b.N {
		r := runReminderMinute(b, n)
		p50, p99, worst, cpu = p50+r[0], p99+r[1], worst+r[2], cpu+r[3]
	}
	k := float64(b.N)
	b.ReportMetric(p50/k, "s-late-p50")
	b.ReportMetric(p99/k, "s-late-p99")
	b.ReportMetric(worst/k, "s-late-max")
	b.ReportMetric(cpu/k, "cpu-µs/reminder")
}

func runReminderMinute(b *testing.B, n int) [4]float64 {
	dir := b.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "rapport.db")
	fake := twiliotest.NewServer(b, twiliotest.Options{})
	env := append(proctest.TwilioEnv(fake), "RAPPORT_DB="+dsn, proctest.AllHours, "RAPPORT_ORG_NAME=Hillside Clinic", "RAPPORT_ORG_PHONE=+15128000000")
	rapportCmd(b, env, "import", "fhir", writeBenchPatients(b, n, true))

	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		b.Fatal(err)
	}
	// Far enough ahead for the regimens to be written and serve to start.
	dose := time.Now().Add(time.Minute + time.Duration(n)*time.Second/20000).Truncate(time.Minute).Add(time.Minute).In(chicago)
	createRegimens(b, dsn, dose, chicago)
	addr := freeAddr(b)
	srv := proctest.Start(b, env, "serve", "--addr", addr, "--log-level", "warn")
	b.StartTimer()
	waitArrivals(b, []*proctest.Proc{srv}, n, fake.Accepted)
	b.StopTimer()
	f, err := readProc(srv.Pid())
	if err != nil {
		b.Fatal(err)
	}
	srv.Stop()
	var late []float64
	for _, r := range fake.Requests() {
		if !r.Duplicate {
			late = append(late, r.At.Sub(dose).Seconds())
		}
	}
	slices.Sort(late)
	q := func(p float64) float64 { return late[min(len(late)-1, int(p*float64(len(late))))] }
	b.Logf("%d reminders due at %s: lateness p50 %.2f s, p99 %.2f s, max %.2f s (earliest %.2f s); serve CPU %.0f µs/reminder, peak RSS %d MB",
		len(late), dose.Format("15:04"), q(0.5), q(0.99), late[len(late)-1], late[0], float64(f.cpu.Microseconds())/float64(n), f.peakRSSKB/1024)
	if late[0] < -1 {
		b.Errorf("a reminder arrived %.1f s before its dose", -late[0])
	}
	return [4]float64{q(0.5), q(0.99), late[len(late)-1], float64(f.cpu.Microseconds()) / float64(n)}
}

// createRegimens gives every patient of dsn a daily regimen at dose's
// local time, reminders requested (no limits).
func createRegimens(b *testing.B, dsn string, dose time.Time, loc *time.Location) {
	b.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, rapport.SystemClock{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	at := dosing.TimeOfDayOf(dose)
	after := rapport.PatientID("")
	for {
		var ids []rapport.PatientID
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if ids, err = tx.PatientIDsAfter(ctx, string(after), 5000); err != nil {
				return err
			}
			for _, id := range ids {
				s := dosing.Regimen{PatientID: id, Medication: rapport.Code{Code: "314076", Display: "lisinopril"}, Zone: loc,
					Start: dosing.DateOf(dose), Times: []dosing.DoseTime{{At: at}}}
				if _, err := reminders.Create(ctx, tx, s, true, 0, "bench"); err != nil {
					return fmt.Errorf("regimen of %s: %w", id, err)
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if len(ids) < 5000 {
			return
		}
		after = ids[len(ids)-1]
	}
}
