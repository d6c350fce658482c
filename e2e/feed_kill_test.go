package e2e

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapporthq/rapport/internal/proctest"
)

// A CRM's live feed while rapport serve is killed with SIGKILL (issue 16:
// crash safety): 40 connections post one changed patient each, and serve
// dies once a few hundred have been answered. Every Bundle answered 200
// must be in the database, whole: posted again after a restart (as a CRM
// retries what it is unsure of) it is "1 unchanged", and the ones never
// answered are imported then; in the end every patient holds its new
// number, and none was created twice.
func TestLiveFeedKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs rapport serve as a process and kills it")
	}
	t.Parallel()
	proctest.Binary(t)
	onEachDatabase(t, liveFeedKilled)
}

func liveFeedKilled(t *testing.T, dsn string) {
	const base, clients, killAfter = 2000, 40, 300
	env := append(proctest.Env(), "RAPPORT_DB="+dsn)
	rapportCmd(t, env, "import", "fhir", writeBenchPatients(t, base, true))
	token := strings.TrimSpace(rapportCmd(t, env, "token", "create", "--role", "integration", "--name", "crm-feed"))
	addr := freeAddr(t)
	srv := proctest.Start(t, env, "serve", "--addr", addr, "--log-level", "warn")
	url := "http://" + addr + "/fhir/R4"
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}

	statuses := make([]int, base) // 0: no answer
	var answered atomic.Int64
	next := make(chan int)
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for i := range next {
				status, _, err := postBundle(client, url, token, changedPatientBundle(t, i))
				if err == nil {
					statuses[i] = status
					answered.Add(1)
				}
			}
		})
	}
	killed := make(chan struct{})
	go func() {
		defer close(killed)
		for answered.Load() < killAfter && !srv.Exited() {
			time.Sleep(time.Millisecond)
		}
		srv.Kill()
	}()
	for i := range base {
		next <- i
	}
	close(next)
	wg.Wait()
	<-killed

	var ok, unanswered int
	for i, s := range statuses {
		switch s {
		case http.StatusOK:
			ok++
		case 0:
			unanswered++
		default:
			t.Errorf("Bundle %d: HTTP %d before the kill, want 200 or no answer", i, s)
		}
	}
	t.Logf("before SIGKILL: %d Bundles answered 200, %d not answered", ok, unanswered)
	if ok < killAfter || unanswered == 0 {
		t.Fatalf("the kill did not land mid-feed: %d answered, %d not", ok, unanswered)
	}

	srv = proctest.Start(t, env, "serve", "--addr", addr, "--log-level", "warn")
	defer srv.Stop()
	for i, s := range statuses {
		status, answer, err := postBundle(client, url, token, changedPatientBundle(t, i))
		if err != nil || status != http.StatusOK {
			t.Fatalf("Bundle %d posted again: %d %s %v", i, status, answer, err)
		}
		unchanged := strings.Contains(answer, "Patient: 0 created, 0 updated, 1 unchanged, 0 rejected")
		updated := strings.Contains(answer, "Patient: 0 created, 1 updated, 0 unchanged, 0 rejected")
		if s == http.StatusOK && !unchanged {
			t.Errorf("Bundle %d was answered 200 before the kill; posted again: %s, want it unchanged", i, answer)
		} else if !unchanged && !updated {
			t.Errorf("Bundle %d, not answered before the kill; posted again: %s, want it updated or unchanged", i, answer)
		}
	}
	checkChanged(t, dsn, base)
	db := openDB(t, dsn)
	defer db.Close()
	if patients := countRows(t, db, "patients"); patients != base {
		t.Errorf("%d patients after the feed, want %d: a retried Bundle made a patient again", patients, base)
	}
}
