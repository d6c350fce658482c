package rapport

import "testing"

func TestMessageStatusMayBecome(t *testing.T) {
	t.Parallel()
	cases := []struct {
		from, to MessageStatus
		want     bool
	}{
		{MessageQueued, MessageQueued, true}, // a deferral
		{MessageQueued, MessageSent, true},
		{MessageQueued, MessageDelivered, true}, // a receipt that overtook "sent"
		{MessageQueued, MessageSuppressed, true},
		{MessageSent, MessageSent, true},
		{MessageSent, MessageDelivered, true},
		{MessageSent, MessageUndelivered, true},
		{MessageSent, MessageFailed, true},
		{MessageSent, MessageQueued, false},
		{MessageQueued, MessageUnknown, true}, // a send that timed out after it went
		{MessageUnknown, MessageSent, true},   // the provider had it
		{MessageUnknown, MessageQueued, true}, // the provider had none: it may go again
		{MessageUnknown, MessageDelivered, true},
		{MessageUnknown, MessageUnknown, true},
		{MessageSent, MessageUnknown, false},
		{MessageDelivered, MessageUnknown, false},
		{MessageDelivered, MessageSent, false},
		{MessageDelivered, MessageFailed, false},
		{MessageDelivered, MessageUndelivered, false},
		{MessageDelivered, MessageDelivered, false},
		{MessageFailed, MessageSent, false},
		{MessageFailed, MessageDelivered, false},
		{MessageUndelivered, MessageSent, false},
		{MessageSuppressed, MessageSent, false},
		{MessageSuppressed, MessageQueued, false},
		{"", MessageSent, false},
		{MessageQueued, "bogus", false},
	}
	for _, c := range cases {
		if got := c.from.MayBecome(c.to); got != c.want {
			t.Errorf("%q.MayBecome(%q) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
}
