package messaging

import (
	"testing"

	"github.com/rapporthq/rapport"
)

// TestMessageEventKind: the kinds the pipeline writes are the ones metrics
// read by name ([rapport.EventMessageSent] …); undelivered counts as failed.
func TestMessageEventKind(t *testing.T) {
	for _, c := range []struct {
		status rapport.MessageStatus
		want   rapport.EventKind
	}{
		{rapport.MessageSent, rapport.EventMessageSent},
		{rapport.MessageDelivered, rapport.EventMessageDelivered},
		{rapport.MessageUndelivered, rapport.EventMessageFailed},
		{rapport.MessageFailed, rapport.EventMessageFailed},
		{rapport.MessageSuppressed, rapport.EventMessageSuppressed},
		{rapport.MessageUnknown, rapport.EventMessageUnknown},
	} {
		if got := messageEventKind(c.status); got != c.want {
			t.Errorf("messageEventKind(%s) = %s, want %s", c.status, got, c.want)
		}
	}
}
