package twilio

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
)

// IdempotencyHeader carries rapport's message id on every API request; see
// the package documentation for why and how the id round-trips.
const IdempotencyHeader = "I-Twilio-Idempotency-Token"

// maxResponse bounds how much of an API answer is read.
const maxResponse = 64 << 10

// Client sends SMS and voice messages through Twilio's REST API. It is safe
// for concurrent use.
type Client struct {
	cfg         Config
	hc          *http.Client
	clock       rapport.Clock
	auth        string // the Authorization header value, computed once
	messagesURL string
	callsURL    string
}

var _ channel.Sender = (*Client)(nil)

// defaultTransport is shared by every Client built without an HTTPClient, so
// connections are pooled across them.
var defaultTransport = func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxConnsPerHost = MaxConnsPerHost
	t.MaxIdleConnsPerHost = MaxConnsPerHost
	t.MaxIdleConns = 2 * MaxConnsPerHost // the REST API and Lookup's host
	return t
}()

// MaxConnsPerHost bounds the requests a process has in flight to one Twilio
// host; more wait for a connection. Twilio refuses an account's requests
// beyond its concurrency limit (HTTP 429, error 20429), and a campaign's
// send jobs can ask for 20 × 16 at once. Unbounded, with a smaller idle
// pool, the connections above it were closed and dialled again: a campaign
// of 100,000 texts dialled the Twilio fake 828–1,592 times (each a TLS
// handshake with the real API), 100 times with the bound, at the same rate
// and 6–28 MB less memory (BENCHMARKS.md, session 35).
const MaxConnsPerHost = 100

// New returns a Client for cfg, or the errors of [Config.Validate].
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second, Transport: defaultTransport}
	}
	clock := cfg.Clock
	if clock == nil {
		clock = rapport.SystemClock{}
	}
	account := strings.TrimRight(cfg.BaseURL, "/") + "/2010-04-01/Accounts/" + url.PathEscape(cfg.AccountSID)
	return &Client{
		cfg:         cfg,
		hc:          hc,
		clock:       clock,
		auth:        "Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.AccountSID+":"+cfg.AuthToken)),
		messagesURL: account + "/Messages.json",
		callsURL:    account + "/Calls.json",
	}, nil
}

// String describes the client without its credentials.
func (c *Client) String() string { return "twilio.Client{" + c.cfg.String() + "}" }

// Send sends m as an SMS, or as a voice call when m.Channel is
// [rapport.ChannelVoice]. m.From defaults to Config.From. On failure it
// returns a [*channel.Error] whose Kind says whether to retry. A timeout
// after the request was written is [channel.ErrUnknown]: Twilio may have
// accepted the message, and [Client.Lookup] tells whether it did.
func (c *Client) Send(ctx context.Context, m channel.Message) (channel.Result, error) {
	if m.To == "" {
		return channel.Result{}, &channel.Error{Kind: channel.ErrBadAddress, Msg: "message has no recipient"}
	}
	if m.From == "" {
		m.From = c.cfg.From
	}
	var (
		endpoint string
		form     string
		err      error
	)
	switch m.Channel {
	case rapport.ChannelVoice:
		endpoint = c.callsURL
		form, err = c.callForm(m)
	case rapport.ChannelSMS, "":
		endpoint = c.messagesURL
		form, err = c.messageForm(m)
	default:
		err = &channel.Error{Kind: channel.ErrPermanent, Msg: fmt.Sprintf("channel %q is not sms or voice", m.Channel)}
	}
	if err != nil {
		return channel.Result{}, err
	}
	return c.post(ctx, endpoint, m.ID, form)
}

// messageForm is the body of a Messages.json request.
func (c *Client) messageForm(m channel.Message) (string, error) {
	if m.Body == "" {
		return "", &channel.Error{Kind: channel.ErrPermanent, Msg: "sms has no body"}
	}
	var f formBuilder
	f.add("To", m.To)
	f.add("From", m.From)
	f.add("Body", m.Body)
	if cb := c.statusCallback(m.ID); cb != "" {
		f.add("StatusCallback", cb)
	}
	return f.String(), nil
}

// callForm is the body of a Calls.json request, with the call's TwiML inline.
func (c *Client) callForm(m channel.Message) (string, error) {
	if m.Body == "" {
		return "", &channel.Error{Kind: channel.ErrPermanent, Msg: "voice message has no body"}
	}
	action := ""
	if len(m.Choices) > 0 {
		if c.cfg.VoiceURL == "" {
			return "", &channel.Error{Kind: channel.ErrPermanent, Msg: "voice message with choices needs Config.VoiceURL"}
		}
		action = gatherActionURL(c.cfg.VoiceURL, m.ID)
	}
	twiml := VoiceTwiML(m.Language, m.Body, m.Choices, action)
	if len(twiml) > MaxTwimlLength {
		return "", &channel.Error{Kind: channel.ErrPermanent,
			Msg: fmt.Sprintf("call TwiML is %d bytes, more than Twilio's %d", len(twiml), MaxTwimlLength)}
	}
	var f formBuilder
	f.add("To", m.To)
	f.add("From", m.From)
	f.add("Twiml", string(twiml))
	if cb := c.statusCallback(m.ID); cb != "" {
		f.add("StatusCallback", cb)
	}
	return f.String(), nil
}

// statusCallback is Config.StatusCallbackURL with mid=<id> added to its query.
func (c *Client) statusCallback(id string) string {
	cb := c.cfg.StatusCallbackURL
	if cb == "" || id == "" {
		return cb
	}
	sep := "?"
	if strings.Contains(cb, "?") {
		sep = "&"
	}
	return cb + sep + "mid=" + url.QueryEscape(id)
}

// post sends one form to the API and classifies the answer.
func (c *Client) post(ctx context.Context, endpoint, id, form string) (channel.Result, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form))
	if err != nil {
		return channel.Result{}, &channel.Error{Kind: channel.ErrPermanent, Msg: "build request: " + err.Error()}
	}
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if id != "" {
		// Twilio's REST API ignores this header (it sets it only on the
		// webhooks it sends); it is kept for request logs and the test server.
		req.Header.Set(IdempotencyHeader, id)
	}
	// Whether the whole request went out decides what a failure means:
	// before, Twilio cannot have accepted it; after, it may have.
	var wrote atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) { wrote.Store(i.Err == nil) },
	}))
	resp, err := c.hc.Do(req)
	if err != nil {
		return channel.Result{}, transportError(err, wrote.Load())
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse)) // let the connection be reused
	if err != nil {
		return channel.Result{}, transportError(err, true)
	}
	return c.classify(resp, body)
}

// transportError classifies a failure to get an answer at all. Before the
// request was written (refused or reset connections, DNS hiccups, a
// cancelled wait for a connection) it is retryable. After (a timeout
// waiting for the answer, a connection broken while reading it) Twilio may
// have accepted the message: [channel.ErrUnknown], which is never retried
// blindly.
func transportError(err error, written bool) *channel.Error {
	msg := "request failed"
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		msg = "request timed out"
	}
	// url.Error repeats the URL, which names the account: keep the cause only.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	kind := channel.ErrRetryable
	if written {
		kind, msg = channel.ErrUnknown, msg+" after the request was sent"
	}
	return &channel.Error{Kind: kind, Msg: msg + ": " + err.Error()}
}

// formBuilder writes application/x-www-form-urlencoded pairs in the order
// added, without url.Values' map and sort.
type formBuilder struct{ strings.Builder }

func (f *formBuilder) add(k, v string) {
	if f.Len() > 0 {
		f.WriteByte('&')
	}
	f.WriteString(url.QueryEscape(k))
	f.WriteByte('=')
	f.WriteString(url.QueryEscape(v))
}
