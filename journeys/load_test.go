package journeys_test

import (
	"testing"

	"github.com/rapporthq/rapport/journeys"
)

func TestShippedJourneysLoad(t *testing.T) {
	defs, err := journeys.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(defs) == 0 {
		t.Fatal("no journeys")
	}
}
