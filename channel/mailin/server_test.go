package mailin

import (
	"context"
	"errors"
	"net/smtp"
	"strings"
	"sync"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging"
)

// fakePipeline records what it is given; fail makes Receive fail.
type fakePipeline struct {
	mu   sync.Mutex
	in   []*rapport.Inbound
	fail bool
}

func (f *fakePipeline) Receive(_ context.Context, in *rapport.Inbound) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return false, errors.New("database down")
	}
	f.in = append(f.in, in)
	return true, nil
}

func (f *fakePipeline) HandleStatus(context.Context, messaging.StatusReport) error { return nil }

func (f *fakePipeline) received() []*rapport.Inbound {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*rapport.Inbound(nil), f.in...)
}

func listen(t *testing.T, p *fakePipeline) *Server {
	t.Helper()
	s, err := Listen(context.Background(), ServerConfig{Addr: "127.0.0.1:0", Domains: []string{"valley.example"}}, &Receiver{Pipeline: p}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

const simpleReply = "From: rosa@example.org\r\nSubject: Re: visit\r\nMessage-ID: <r1@example.org>\r\n\r\nyes\r\n"

// TestServerLimits: the listener takes mail for its domains only, refuses
// too many recipients and oversized messages, and answers 451 when the
// message cannot be stored, so the sender tries again.
func TestServerLimits(t *testing.T) {
	t.Parallel()
	p := &fakePipeline{}
	s := listen(t, p)
	cases := []struct {
		name string
		to   []string
		msg  string
		fail bool
		code string // in the error; "" for success
	}{
		{"accepted", []string{"Care@Valley.Example"}, simpleReply, false, ""},
		{"another domain", []string{"someone@elsewhere.example"}, simpleReply, false, "550"},
		{"too many recipients", strings.Split(strings.Repeat("care@valley.example,", MaxRecipients+1), ",")[:MaxRecipients+1], simpleReply, false, "452"},
		{"too large", []string{"care@valley.example"}, simpleReply + strings.Repeat(strings.Repeat("x", 98)+"\r\n", MaxMessageBytes/100+1), false, "552"},
		{"no sender: taken, nothing stored", []string{"care@valley.example"}, "\r\njust text\r\n", false, ""},
		{"database down", []string{"care@valley.example"}, simpleReply, true, "451"},
	}
	for _, c := range cases {
		p.mu.Lock()
		p.fail = c.fail
		p.mu.Unlock()
		err := smtp.SendMail(s.Addr(), nil, "rosa@example.org", c.to, []byte(c.msg))
		switch {
		case c.code == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.code != "" && (err == nil || !strings.Contains(err.Error(), c.code)):
			t.Errorf("%s: error %v, want %s", c.name, err, c.code)
		}
	}
	got := p.received()
	if len(got) != 1 || got[0].Body != "yes" || got[0].From != "rosa@example.org" || got[0].To != "care@valley.example" ||
		got[0].Channel != rapport.ChannelEmail || got[0].ProviderID != "<r1@example.org>" {
		t.Errorf("received %+v, want the one accepted reply", got)
	}
}
