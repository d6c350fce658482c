package jobs

import (
	"context"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
)

// Metrics counts job outcomes by kind as River reports them.
type Metrics struct {
	outcomes *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics() *Metrics {
	return &Metrics{
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rapport_jobs_total", Help: "Jobs worked by this process, by kind and outcome.",
		}, []string{"kind", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "rapport_job_duration_seconds", Help: "Time spent working jobs, by kind.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 8),
		}, []string{"kind"}),
	}
}

func (m *Metrics) observe(e *river.Event) {
	if e.Job == nil {
		return
	}
	outcome := map[river.EventKind]string{
		river.EventKindJobCompleted: "completed", river.EventKindJobFailed: "failed",
		river.EventKindJobCancelled: "cancelled", river.EventKindJobSnoozed: "snoozed",
	}[e.Kind]
	m.outcomes.WithLabelValues(e.Job.Kind, outcome).Inc()
	if e.JobStats != nil {
		m.duration.WithLabelValues(e.Job.Kind).Observe(e.JobStats.RunDuration.Seconds())
	}
}

// Register adds the queue's metrics to reg: job outcomes of this process,
// and the depth of the queue (jobs by state, read from the database at each
// scrape, so every process reports the same cluster-wide depth).
func (q *Queue) Register(reg prometheus.Registerer) error {
	depth := prometheus.NewDesc("rapport_job_queue_depth", "Jobs in the queue by state.", []string{"state"}, nil)
	col := &depthCollector{q: q, desc: depth}
	for _, c := range []prometheus.Collector{q.metrics.outcomes, q.metrics.duration, col} {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("register job metrics: %w", err)
		}
	}
	return nil
}

// Depth returns the number of jobs in each state.
func (q *Queue) Depth(ctx context.Context) (map[string]int, error) {
	rs, err := q.db.SQLDB().QueryContext(ctx, "SELECT state, count(*) FROM river_job GROUP BY state")
	if err != nil {
		return nil, fmt.Errorf("queue depth: %w", err)
	}
	defer rs.Close()
	out := map[string]int{}
	for rs.Next() {
		var state string
		var n int
		if err := rs.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("queue depth: %w", err)
		}
		out[state] = n
	}
	return out, rs.Err()
}

type depthCollector struct {
	q    *Queue
	desc *prometheus.Desc
}

func (d *depthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- d.desc }

func (d *depthCollector) Collect(ch chan<- prometheus.Metric) {
	depth, err := d.q.Depth(context.Background())
	if err != nil {
		ch <- prometheus.NewInvalidMetric(d.desc, err)
		return
	}
	for _, state := range []string{"available", "scheduled", "running", "retryable", "completed", "discarded", "cancelled", "pending"} {
		ch <- prometheus.MustNewConstMetric(d.desc, prometheus.GaugeValue, float64(depth[state]), state)
	}
}
