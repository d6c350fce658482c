package fhirapi

import (
	"bytes"
	"encoding/json"
	"mime"
	"strings"

	"github.com/rapporthq/rapport"
)

// checkContentType accepts application/fhir+json and application/json,
// with any parameters (charset, fhirVersion).
func checkContentType(header string) error {
	mt, _, err := mime.ParseMediaType(header)
	if err != nil || (mt != "application/fhir+json" && mt != "application/json") {
		return rapport.Errorf(rapport.EINVALID, "Content-Type %q is not supported: send application/fhir+json", header)
	}
	return nil
}

// checkBundle checks what can be told of a request body before it is
// imported or queued: that it is JSON, a Bundle of a type rapport imports
// (collection, transaction, batch or searchset), and that no entry asks for
// a method other than POST or PUT (a DELETE or a read would otherwise be
// passed over in silence). The entries' resources are checked by the
// import. Errors are EINVALID and name the entry and field. types are the
// entries' resource types ("" for an entry without one).
func checkBundle(body []byte) (types []string, err error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, rapport.Errorf(rapport.EINVALID, "the request body is empty: send a Bundle")
	}
	var b struct {
		ResourceType string            `json:"resourceType"`
		Type         string            `json:"type"`
		Entry        []json.RawMessage `json:"entry"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, rapport.Errorf(rapport.EINVALID, "the request body is not a JSON Bundle: %v", err)
	}
	if b.ResourceType != "Bundle" {
		return nil, rapport.Errorf(rapport.EINVALID, "Bundle: resourceType: %q is not Bundle", b.ResourceType)
	}
	switch b.Type {
	case "collection", "transaction", "batch", "searchset":
	default:
		return nil, rapport.Errorf(rapport.EINVALID, "Bundle: type: %q is not one of collection, transaction, batch, searchset", b.Type)
	}
	types = make([]string, 0, len(b.Entry))
	for i, raw := range b.Entry {
		var e struct {
			Resource struct {
				ResourceType any `json:"resourceType"`
			} `json:"resource"`
			Request *struct {
				Method string `json:"method"`
			} `json:"request"`
		}
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, rapport.Errorf(rapport.EINVALID, "Bundle entry %d: not an object whose request.method is a string", i)
		}
		typ, _ := e.Resource.ResourceType.(string)
		types = append(types, typ)
		if e.Request == nil {
			continue
		}
		switch strings.ToUpper(e.Request.Method) {
		case "POST", "PUT":
		default:
			return nil, rapport.Errorf(rapport.EINVALID, "Bundle entry %d: request.method: %q is not supported: rapport imports resources (POST or PUT) only", i, e.Request.Method)
		}
	}
	return types, nil
}
