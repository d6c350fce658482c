package smtp

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/internal/benchstat"
)

// benchMessage is a ~5 KB email: ~1.5 KB of text and ~3.5 KB of HTML.
func benchMessage(i int) channel.Message {
	para := "Hola Ana, le recordamos que su cita con la Dra. Pérez es el martes a las 9:30. "
	text := strings.Repeat(para, 18)
	html := "<html><body>" + strings.Repeat("<p style=\"font-family:sans-serif;color:#333\">"+para+"</p>", 30) + "</body></html>"
	return channel.Message{
		ID: fmt.Sprintf("bench-%08d", i), To: fmt.Sprintf("patient%d@example.net", i%1000),
		Subject: "Recordatorio de cita", Body: text, HTML: html, UnsubscribeURL: "https://clinic.example/u/abc",
	}
}

// BenchmarkSendEmail sends ~5 KB text+HTML messages through a real SMTP
// server over loopback with PoolSize concurrent connections.
func BenchmarkSendEmail(b *testing.B) {
	for _, pool := range []int{1, 4} {
		b.Run(fmt.Sprintf("pool=%d", pool), func(b *testing.B) {
			st := newSetup(b, func(c *Config) { c.PoolSize = pool })
			st.srv.discard = true
			msgs := make([]channel.Message, 64)
			for i := range msgs {
				msgs[i] = benchMessage(i)
			}
			var next atomic.Int64
			var failed atomic.Int64
			b.ReportAllocs()
			cpu0 := benchstat.CPUTime()
			b.ResetTimer()
			var wg sync.WaitGroup
			for range pool * 2 {
				wg.Go(func() {
					for {
						i := next.Add(1) - 1
						if i >= int64(b.N) {
							return
						}
						if _, err := st.sender.Send(context.Background(), msgs[i%int64(len(msgs))]); err != nil {
							failed.Add(1)
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			cpu := benchstat.CPUTime() - cpu0
			if failed.Load() > 0 {
				b.Fatalf("%d sends failed", failed.Load())
			}
			if got := st.srv.count.Load(); got != int64(b.N) {
				b.Fatalf("server counted %d messages, want %d", got, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			b.ReportMetric(float64(st.srv.conns.Load()), "conns")
			// CPU per message (client and in-process server together) is
			// what holds on a busy machine where wall-clock rates do not.
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/msg")
			b.ReportMetric(float64(benchstat.PeakRSS())/(1<<20), "peak-RSS-MB")
		})
	}
}
