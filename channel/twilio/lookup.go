package twilio

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
)

var _ channel.Reconciler = (*Client)(nil)

// lookupPage is how many of the newest resources to the number a lookup
// reads: a patient gets a handful of messages a day.
const lookupPage = 50

// listPage is the part of a Messages.json or Calls.json list page rapport
// reads: {"messages":[…]} or {"calls":[…]}, newest first.
type listPage struct {
	Messages []listed `json:"messages"`
	Calls    []listed `json:"calls"`
}

type listed struct {
	apiResource
	To          string `json:"to"`
	From        string `json:"from"`
	Body        string `json:"body"`
	DateCreated string `json:"date_created"` // RFC 1123 with a numeric zone
}

// Lookup asks Twilio whether it accepted m since the given time: it lists
// the newest messages (or calls) from m.From to m.To and takes the newest
// created since then with m's body (the oldest, if several). Twilio's list filters take only a date
// (DateSent, and an unsent message has none), so the time is compared here.
// A call carries no body to compare: any call from m.From to m.To since
// then counts. Either way a false match leaves a message unsent (and
// recorded sent); a miss would send it twice: the lookup errs towards
// not sending again.
func (c *Client) Lookup(ctx context.Context, m channel.Message, since time.Time) (channel.Result, bool, error) {
	if m.From == "" {
		m.From = c.cfg.From
	}
	endpoint := c.messagesURL
	if m.Channel == rapport.ChannelVoice {
		endpoint = c.callsURL
	}
	since = since.Truncate(time.Second) // Twilio dates have whole seconds
	q := url.Values{"To": {m.To}, "From": {m.From}, "PageSize": {fmt.Sprint(lookupPage)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"?"+q.Encode(), nil)
	if err != nil {
		return channel.Result{}, false, fmt.Errorf("twilio lookup: %w", err)
	}
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return channel.Result{}, false, fmt.Errorf("twilio lookup: %w", transportError(err, false))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4*maxResponse))
	if err != nil {
		return channel.Result{}, false, fmt.Errorf("twilio lookup: read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return channel.Result{}, false, fmt.Errorf("twilio lookup: HTTP %d", resp.StatusCode)
	}
	var page listPage
	if err := json.Unmarshal(body, &page); err != nil {
		return channel.Result{}, false, fmt.Errorf("twilio lookup: unreadable list: %w", err)
	}
	items := page.Messages
	if m.Channel == rapport.ChannelVoice {
		items = page.Calls
	}
	// Newest first: the last match is the oldest since then, the closest
	// to the message's own send.
	var res channel.Result
	found := false
	for _, it := range items {
		created, err := time.Parse(time.RFC1123Z, it.DateCreated)
		if err != nil {
			return channel.Result{}, false, fmt.Errorf("twilio lookup: resource %s: date_created %q: %w", it.SID, it.DateCreated, err)
		}
		if created.Before(since) || it.To != m.To || it.From != m.From {
			continue
		}
		if m.Channel != rapport.ChannelVoice && it.Body != m.Body {
			continue
		}
		res, found = channel.Result{ProviderID: it.SID, Status: it.Status, Segments: int(it.NumSegments)}, true
	}
	return res, found, nil
}
