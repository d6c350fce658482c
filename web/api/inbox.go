package api

import (
	"net/http"
	"strconv"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web"
)

// Inbox is the answer of GET /api/v1/inbox.
type Inbox struct {
	Items []*rapport.InboxItem `json:"items"`
}

// ResolveRequest is the body of POST /api/v1/inbox/{id}/resolve.
type ResolveRequest struct {
	Note string `json:"note"`
}

// maxInbox is the most items one listing returns.
const maxInbox = 500

// inboxFilter reads ?kind=&priority=&open=&limit=, refusing values it does
// not know (400 naming the parameter) rather than ignoring them.
func inboxFilter(r *http.Request) (rapport.InboxFilter, error) {
	q := r.URL.Query()
	for k := range q {
		switch k {
		case "kind", "priority", "open", "limit":
		default:
			return rapport.InboxFilter{}, rapport.Errorf(rapport.EINVALID, "%s is not a known parameter: use kind, priority, open, limit", k)
		}
	}
	f := rapport.InboxFilter{Kind: rapport.InboxKind(q.Get("kind")), Priority: rapport.Priority(q.Get("priority"))}
	switch f.Kind {
	case "", rapport.InboxReply, rapport.InboxUnmatched, rapport.InboxCareTask:
	default:
		return f, rapport.Errorf(rapport.EINVALID, "kind %q is not one of reply, unmatched, care_task", f.Kind)
	}
	switch f.Priority {
	case "", rapport.PriorityUrgent, rapport.PriorityHigh, rapport.PriorityNormal, rapport.PriorityLow:
	default:
		return f, rapport.Errorf(rapport.EINVALID, "priority %q is not one of urgent, high, normal, low", f.Priority)
	}
	if v := q.Get("open"); v != "" {
		open, err := strconv.ParseBool(v)
		if err != nil {
			return f, rapport.Errorf(rapport.EINVALID, "open %q is not true or false", v)
		}
		f.Open = open
	}
	f.Limit = 100
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxInbox {
			return f, rapport.Errorf(rapport.EINVALID, "limit %q is not a number from 1 to %d", v, maxInbox)
		}
		f.Limit = n
	}
	return f, nil
}

// inbox answers GET /api/v1/inbox: items most urgent and oldest first.
// Each patient an item names is audited as read before the list is sent.
func (a *api) inbox(w http.ResponseWriter, r *http.Request) {
	f, err := inboxFilter(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	items, err := a.DB.FindInboxItems(r.Context(), f)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if items == nil {
		items = []*rapport.InboxItem{}
	}
	seen := map[rapport.PatientID]bool{}
	var entries []rapport.Audit
	for _, it := range items {
		if it.PatientID != "" && !seen[it.PatientID] {
			seen[it.PatientID] = true
			entries = append(entries, a.audit(r, "read", "Inbox", it.PatientID))
		}
	}
	if len(entries) > 0 {
		if err := a.DB.AppendAudit(r.Context(), entries...); err != nil {
			web.Error(w, r, err)
			return
		}
	}
	web.JSON(w, http.StatusOK, Inbox{Items: items})
}

// resolve answers POST /api/v1/inbox/{id}/resolve: the item closed with
// the note and the token's name, and its ledger event (the store writes
// it), 200 with the item; 404 for an unknown item, 409 if already resolved.
func (a *api) resolve(w http.ResponseWriter, r *http.Request) {
	var req ResolveRequest
	if !decode(w, r, &req) {
		return
	}
	if len(req.Note) > 4000 {
		web.Error(w, r, rapport.Errorf(rapport.EINVALID, "note is longer than 4000 bytes"))
		return
	}
	who := actor(r)
	var it *rapport.InboxItem
	err := a.DB.InTx(r.Context(), func(tx *store.Tx) (err error) {
		it, err = tx.ResolveInboxItem(r.Context(), r.PathValue("id"), who.Name, req.Note)
		return err
	})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if err := a.DB.AppendAudit(r.Context(), a.audit(r, "update", "Inbox/"+it.ID, it.PatientID)); err != nil {
		a.Logger.ErrorContext(r.Context(), "audit of a resolved inbox item", "item", it.ID, "err", err)
	}
	web.JSON(w, http.StatusOK, it)
}
