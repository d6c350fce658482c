package pgtest

import (
	"runtime"
	"testing"
)

// recorder is a testing.TB that records how the code under test ended it.
// Only the methods dsnFrom calls are implemented; the embedded nil TB makes
// any other call panic, which would show up as a test failure.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Skip(args ...any) {
	r.skipped = args[0].(string)
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) {
	r.failed = args[0].(string)
	runtime.Goexit()
}

// run calls f with r in a goroutine of its own, as the testing package
// runs a test, so that Skip and Fatal can stop it.
func (r *recorder) run(f func(testing.TB) string) (got string) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		got = f(r)
	}()
	<-done
	return got
}

func TestDSNFrom(t *testing.T) {
	t.Parallel()
	const dsn = "postgres://postgres@127.0.0.1:5999/postgres?sslmode=disable"
	tests := []struct {
		name        string
		env         map[string]string
		want        string
		wantSkipped string
		wantFailed  string
	}{
		{name: "set", env: map[string]string{EnvDSN: dsn}, want: dsn},
		{name: "set and required", env: map[string]string{EnvDSN: dsn, EnvRequire: "1"}, want: dsn},
		{name: "unset", env: map[string]string{}, wantSkipped: skipMessage},
		{name: "unset, require off", env: map[string]string{EnvRequire: "0"}, wantSkipped: skipMessage},
		{name: "unset and required", env: map[string]string{EnvRequire: "1"}, wantFailed: failMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &recorder{}
			got := r.run(func(tb testing.TB) string {
				return dsnFrom(tb, func(k string) string { return tt.env[k] })
			})
			if got != tt.want || r.skipped != tt.wantSkipped || r.failed != tt.wantFailed {
				t.Errorf("dsnFrom = %q, skipped %q, failed %q; want %q, skipped %q, failed %q",
					got, r.skipped, r.failed, tt.want, tt.wantSkipped, tt.wantFailed)
			}
		})
	}
}
