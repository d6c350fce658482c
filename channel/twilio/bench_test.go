package twilio_test

import (
	"context"
	"net/http"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/channel/twiliotest"
)

// BenchmarkSendSMS sends SMS through twiliotest over loopback, about 64
// requests in flight over one shared transport, and reports messages per
// second.
func BenchmarkSendSMS(b *testing.B) {
	srv := twiliotest.NewServer(b, twiliotest.Options{})
	transport := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: time.Minute}
	b.Cleanup(transport.CloseIdleConnections)
	cfg := srv.Config()
	cfg.StatusCallbackURL = "https://rapport.example.org/webhooks/twilio/status"
	cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second, Transport: twiliotest.LoopbackOnly(transport)}
	cl, err := twilio.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	ctx := context.Background()
	b.SetParallelism((64 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := "bench-" + strconv.FormatInt(n.Add(1), 10)
			if _, err := cl.Send(ctx, channel.Message{ID: id, To: "+15551230001", Body: "Reminder: your appointment is tomorrow at 9:00. Reply C to confirm."}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	if got := srv.Accepted(); got != int(n.Load()) {
		b.Errorf("server accepted %d of %d", got, n.Load())
	}
}
