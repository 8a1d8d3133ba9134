package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"kindewasm/emulator/internal/kinderuntime"
)

// maxResponseBytes bounds how much of a response body kinde.fetch reads.
const maxResponseBytes = 10 << 20

// fetchRequest is a parsed kinde.fetch(url, options) call.
type fetchRequest struct {
	method         string
	url            string
	headers        http.Header
	body           string
	responseFormat string
}

// fetchBinding implements kinde.fetch(url, {method, headers, body,
// responseFormat}). It blocks until the response is read and returns
// {json, text}; json is null when the body is not JSON or responseFormat is
// "text". Non-2xx answers are returned, not thrown; transport errors are
// thrown into JS.
func fetchBinding(ctx context.Context, run *runState, args []any) (any, error) {
	req, err := parseFetchArgs(args)
	if err != nil {
		return nil, err
	}
	record := RequestRecord{
		Method:  req.method,
		URL:     req.url,
		Headers: flattenHeaders(req.headers),
		Body:    req.body,
	}
	status, body, err := run.send(ctx, req)
	record.Status = status
	if err != nil {
		record.Error = err.Error()
	}
	run.addRequest(record)
	if err != nil {
		return nil, fmt.Errorf("kinde.fetch %s %s: %w", req.method, req.url, err)
	}
	return fetchResponse(body, req.responseFormat), nil
}

// send performs the request, bounded by the run's deadline.
func (s *runState) send(ctx context.Context, req fetchRequest) (int, []byte, error) {
	ctx, cancel := context.WithDeadline(ctx, s.deadline)
	defer cancel()
	var body io.Reader
	if req.body != "" {
		body = strings.NewReader(req.body)
	}
	httpReq, err := http.NewRequestWithContext(ctx, req.method, req.url, body)
	if err != nil {
		return 0, nil, err
	}
	httpReq.Header = req.headers
	resp, err := s.client.Do(httpReq)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("reading response: %w", err)
	}
	return resp.StatusCode, data, nil
}

func fetchResponse(body []byte, responseFormat string) map[string]any {
	var parsed any
	if responseFormat != "text" {
		if err := json.Unmarshal(body, &parsed); err != nil {
			parsed = nil
		}
	}
	return map[string]any{"json": parsed, "text": string(body)}
}

// parseFetchArgs reads the goja-exported arguments of kinde.fetch.
func parseFetchArgs(args []any) (fetchRequest, error) {
	if len(args) == 0 {
		return fetchRequest{}, fmt.Errorf("kinde.fetch: url is required")
	}
	target, err := urlArg(args[0])
	if err != nil {
		return fetchRequest{}, err
	}
	req := fetchRequest{method: http.MethodGet, url: target, headers: http.Header{}}
	if len(args) < 2 || args[1] == nil {
		return req, nil
	}
	opts, ok := args[1].(map[string]any)
	if !ok {
		return fetchRequest{}, fmt.Errorf("kinde.fetch: options must be an object, got %T", args[1])
	}
	if m, ok := opts["method"].(string); ok && m != "" {
		req.method = strings.ToUpper(m)
	}
	if f, ok := opts["responseFormat"].(string); ok {
		req.responseFormat = f
	}
	if h, ok := opts["headers"].(map[string]any); ok {
		for name, value := range h {
			req.headers.Set(name, fmt.Sprint(value))
		}
	}
	body, contentType, err := encodeBody(opts["body"])
	if err != nil {
		return fetchRequest{}, err
	}
	req.body = body
	if contentType != "" && req.headers.Get("Content-Type") == "" {
		req.headers.Set("Content-Type", contentType)
	}
	return req, nil
}

// urlArg accepts a string, or a URL object of the url binding (exported as
// a Go value whose String method gives the href) or any other Stringer.
func urlArg(arg any) (string, error) {
	switch v := arg.(type) {
	case string:
		return v, nil
	case fmt.Stringer:
		return v.String(), nil
	}
	return "", fmt.Errorf("kinde.fetch: url must be a string, got %T", arg)
}

// encodeBody turns a fetch body into text plus the content type it implies:
// strings as they are, URLSearchParams form-encoded, plain objects and
// arrays as JSON.
func encodeBody(body any) (string, string, error) {
	if form, ok := kinderuntime.FormEncoding(body); ok {
		return form, "application/x-www-form-urlencoded;charset=UTF-8", nil
	}
	switch v := body.(type) {
	case nil:
		return "", "", nil
	case string:
		return v, "", nil
	case map[string]any, []any:
		encoded, err := json.Marshal(v)
		if err != nil {
			return "", "", fmt.Errorf("kinde.fetch: encoding body: %w", err)
		}
		return string(encoded), "application/json", nil
	default:
		return "", "", fmt.Errorf("kinde.fetch: unsupported body type %T", body)
	}
}

// flattenHeaders renders headers for the request record.
func flattenHeaders(h http.Header) map[string]string {
	flat := make(map[string]string, len(h))
	for name, values := range h {
		flat[name] = strings.Join(values, ", ")
	}
	return flat
}
