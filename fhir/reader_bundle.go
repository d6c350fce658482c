package fhir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

type bundleJSON struct {
	ResourceType string            `json:"resourceType"`
	Type         string            `json:"type"`
	Entry        []json.RawMessage `json:"entry"`
}

type entryJSON struct {
	FullURL  string          `json:"fullUrl"`
	Resource json.RawMessage `json:"resource"`
	Request  struct {
		Method string `json:"method"`
		URL    string `json:"url"`
	} `json:"request"`
}

// bundleEntry is an entry after the first pass: its resource's type and id
// are known, or err says why not.
type bundleEntry struct {
	fullURL  string
	resource []byte
	typ, id  string
	deleted  bool
	err      *fieldError
}

// ReadBundle reads a FHIR Bundle of type collection, transaction, batch or
// searchset from r (wholly, into memory) and calls fn with each entry as an
// [Item], in entry order. name names the file in items and errors.
//
// References between entries are resolved through the entries' fullUrls,
// whatever their order: "urn:uuid:X" resolves to the id of the entry whose
// fullUrl it is, and an entry whose resource has no id takes the uuid of its
// urn:uuid fullUrl. A reference to a urn that no entry has is an item error.
//
// An entry that cannot be read or mapped is passed to fn with Item.Err set
// to an [*ItemError]; an entry without a resource comes as an item with no
// record: a DELETE in a transaction ("request": {"method": "DELETE", "url":
// "RelatedPerson/abc"}) with Deleted set and the type and id it names. ReadBundle returns fn's
// first error unchanged; a wrapped I/O error; or an [*ItemError] with Entry
// -1 when the file is not a Bundle of a supported type.
func ReadBundle(r io.Reader, name string, fn func(Item) error) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	fileErr := func(field, format string, args ...any) error {
		return &ItemError{Name: name, Entry: -1, ResourceType: "Bundle", Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	var b bundleJSON
	if err := json.Unmarshal(bytes.TrimPrefix(data, utf8BOM), &b); err != nil {
		fe := jsonError(err)
		return fileErr(fe.Field, "%s", fe.Msg)
	}
	if b.ResourceType != "Bundle" {
		return fileErr("resourceType", "%q is not Bundle", b.ResourceType)
	}
	switch b.Type {
	case "collection", "transaction", "batch", "searchset":
	default:
		return fileErr("type", "%q is not one of collection, transaction, batch, searchset", b.Type)
	}

	entries := make([]bundleEntry, len(b.Entry))
	res := &resolver{fullURLs: make(map[string]target, len(b.Entry))}
	firstUse := make(map[string]int, len(b.Entry))
	for i, raw := range b.Entry {
		e := &entries[i]
		e.read(raw)
		if e.err != nil || e.fullURL == "" || e.typ == "" {
			continue
		}
		if j, dup := firstUse[e.fullURL]; dup {
			e.err = errField("fullUrl", "%q is also the fullUrl of entry %d", e.fullURL, j)
			continue
		}
		firstUse[e.fullURL] = i
		res.fullURLs[e.fullURL] = target{typ: e.typ, id: e.id}
	}

	for i := range entries {
		e := &entries[i]
		item := Item{Name: name, Entry: i, ResourceType: e.typ, ID: e.id, Deleted: e.deleted}
		if e.err != nil {
			// Envelope errors name the entry: entry[3].fullUrl.
			field := "entry[" + strconv.Itoa(i) + "]"
			if e.err.Field != "" {
				field += "." + e.err.Field
			}
			item.Err = &ItemError{Name: name, Entry: i, ResourceType: e.typ, ID: e.id, Field: field, Msg: e.err.Msg}
		} else if e.resource != nil {
			id, rec, subject, err := mapResource(e.typ, e.resource, res)
			if id != "" {
				item.ID = id
			}
			item.Record, item.Subject = rec, subject
			if err != nil {
				// Resource errors name the FHIR path: birthDate.
				item.Record, item.Err = nil, itemError(name, 0, i, item.ResourceType, item.ID, err)
			}
		}
		if err := fn(item); err != nil {
			return err
		}
	}
	return nil
}

// read decodes an entry's envelope and its resource's type and id.
func (e *bundleEntry) read(raw []byte) {
	var env entryJSON
	if err := json.Unmarshal(raw, &env); err != nil {
		e.err = jsonError(err)
		return
	}
	e.fullURL = env.FullURL
	if len(env.Resource) == 0 || string(env.Resource) == "null" {
		// A transaction's DELETE names what it deletes: "RelatedPerson/abc".
		if typ, id, ok := strings.Cut(strings.TrimPrefix(env.Request.URL, "/"), "/"); ok && env.Request.Method == "DELETE" &&
			isTypeName(typ) && id != "" && !strings.ContainsAny(id, "/?") {
			e.typ, e.id, e.deleted = typ, id, true
		}
		return
	}
	var h header
	if err := json.Unmarshal(env.Resource, &h); err != nil {
		e.err = jsonError(err)
		e.err.Field = "resource." + e.err.Field
		return
	}
	if !isTypeName(h.ResourceType) {
		e.err = errField("resource.resourceType", "%q is not a FHIR resource type", h.ResourceType)
		return
	}
	e.resource, e.typ, e.id = env.Resource, h.ResourceType, h.ID
	if e.id == "" {
		e.id, _ = strings.CutPrefix(env.FullURL, "urn:uuid:")
		if e.id == env.FullURL {
			e.id = ""
		}
	}
}
