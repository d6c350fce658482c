package reminders_test

import (
	"context"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/store"
)

// journeysStub is the handler behind: it records the fallbacks it hears of.
type journeysStub struct{ fallbacks *int }

func (journeysStub) HandleReply(context.Context, *store.Tx, *rapport.Inbound, *rapport.Message) (bool, error) {
	return false, nil
}

func (j journeysStub) HandleFallback(context.Context, *store.Tx, *rapport.Message, *rapport.Message) error {
	*j.fallbacks++
	return nil
}

// TestRepliesPassFallbacksOn: wrapped around the journeys, the reminders'
// handler must tell them when a failed text goes on as a call, or a
// landline's keypad answer to the call is lost (the outreach trial caught
// exactly that).
func TestRepliesPassFallbacksOn(t *testing.T) {
	t.Parallel()
	n := 0
	h := reminders.Replies{Next: journeysStub{&n}}
	if err := h.HandleFallback(context.Background(), nil, &rapport.Message{}, &rapport.Message{}); err != nil || n != 1 {
		t.Errorf("fallbacks passed on: %d, %v; want 1", n, err)
	}
	if err := (reminders.Replies{}).HandleFallback(context.Background(), nil, &rapport.Message{}, &rapport.Message{}); err != nil {
		t.Errorf("with nothing behind: %v", err)
	}
}
