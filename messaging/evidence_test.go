package messaging

import (
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
)

func TestIsFailureEvidence(t *testing.T) {
	m := &rapport.Message{ID: "m1", Channel: rapport.ChannelSMS}
	for _, tc := range []struct {
		evidence string
		want     bool
	}{
		{failureEvidence(m, &channel.Error{Kind: channel.ErrBadAddress, Code: "30003"}), true},
		{failureEvidence(&rapport.Message{ID: "m2", Channel: rapport.ChannelVoice}, &channel.Error{Kind: channel.ErrBadAddress}), true},
		{`the patient answered "no" to journey contact-reverify step wait_ask`, false},
		{"imported as invalid: the message failed to parse", false},
		{"", false},
	} {
		if got := IsFailureEvidence(tc.evidence); got != tc.want {
			t.Errorf("IsFailureEvidence(%q) = %v, want %v", tc.evidence, got, tc.want)
		}
	}
}
