package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"kindewasm/emulator/internal/kinderuntime"
)

// Limits on what kinde.fetch reads and reports.
const (
	maxResponseBytes       = 10 << 20 // read from a response
	maxErrorBodyBytes      = 2 << 10  // quoted in a throw profile's error
	maxRecordedBodyBytes   = 16 << 10 // kept in the run record
	secureFetchContentType = "text/plain;charset=UTF-8"
)

// fetchRequest is a parsed kinde.fetch(url, options) call.
type fetchRequest struct {
	binding        string // "fetch" or "secureFetch"
	method         string
	url            string
	headers        http.Header
	body           string
	responseFormat string
	encrypted      bool
}

// fetchAnswer is a received response.
type fetchAnswer struct {
	status  int
	headers http.Header
	body    []byte
}

// fetchBinding implements kinde.fetch(url, {method, headers, body,
// responseFormat}). It blocks until the response is read and returns the
// profile's shape; see Profile for non-2xx answers. Transport errors and
// refused hosts are thrown.
func fetchBinding(ctx context.Context, run *runState, args []any) (any, error) {
	req, err := parseFetchArgs("fetch", args)
	if err != nil {
		return nil, err
	}
	return run.fetch(ctx, req)
}

// fetch routes, sends and records req, and converts the answer.
func (s *runState) fetch(ctx context.Context, req fetchRequest) (any, error) {
	record := RequestRecord{
		Binding:   req.binding,
		Method:    req.method,
		URL:       s.redact.url(req.url),
		Headers:   s.redact.headers(flattenHeaders(req.headers)),
		Body:      s.redact.body(req.body),
		Encrypted: req.encrypted,
	}
	if req.encrypted {
		record.Body = req.body // ciphertext: nothing readable to mask
	}
	fail := func(err error) (any, error) {
		err = fmt.Errorf("kinde.%s %s %s: %w", req.binding, req.method, req.url, err)
		record.Error = s.redact.text(err.Error())
		s.addRequest(record)
		return nil, err
	}
	dest, err := resolve(s.routes, req.url)
	if err != nil {
		return fail(err)
	}
	if dest.route != "" {
		record.RoutedTo = s.redact.url(dest.url.String())
		record.Route = dest.route
	}
	answer, err := s.send(ctx, req, dest)
	if err != nil {
		return fail(err)
	}
	record.Status = answer.status
	record.ResponseBody = truncateUTF8(s.redact.body(string(answer.body)), maxRecordedBodyBytes)
	if !isSuccess(answer.status) && s.profile.NonSuccess == NonSuccessThrow {
		text := truncateUTF8(string(answer.body), maxErrorBodyBytes)
		msg := fmt.Sprintf("kinde.%s: HTTP %d from %s %s: %s", req.binding, answer.status, req.method, req.url, text)
		record.Error = s.redact.text(msg)
		s.addRequest(record)
		return nil, &kinderuntime.JSError{Message: msg}
	}
	s.addRequest(record)
	return s.profile.answer(answer, req.responseFormat), nil
}

// send performs the request, bounded by the run's deadline. A routed
// request keeps the production host in its Host header.
func (s *runState) send(ctx context.Context, req fetchRequest, dest destination) (fetchAnswer, error) {
	ctx, cancel := context.WithDeadline(ctx, s.deadline)
	defer cancel()
	var body io.Reader
	if req.body != "" {
		body = strings.NewReader(req.body)
	}
	httpReq, err := http.NewRequestWithContext(ctx, req.method, dest.url.String(), body)
	if err != nil {
		return fetchAnswer{}, err
	}
	httpReq.Header = req.headers.Clone()
	if dest.route != "" {
		if original, err := httpReq.URL.Parse(req.url); err == nil {
			httpReq.Host = original.Host
		}
	}
	resp, err := s.client.Do(httpReq)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fetchAnswer{}, fmt.Errorf("no answer within the run's time limit")
		}
		return fetchAnswer{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return fetchAnswer{}, fmt.Errorf("reading response (HTTP %d): %w", resp.StatusCode, err)
	}
	return fetchAnswer{status: resp.StatusCode, headers: resp.Header, body: data}, nil
}

// answer converts a response into what kinde.fetch returns: {json, text},
// plus status, ok and headers in the full shape. json is the parsed body,
// or null when the body is not JSON or responseFormat is "text".
func (p Profile) answer(a fetchAnswer, responseFormat string) map[string]any {
	var parsed any
	if responseFormat != "text" {
		if err := json.Unmarshal(a.body, &parsed); err != nil {
			parsed = nil
		}
	}
	result := map[string]any{"json": parsed, "text": string(a.body)}
	if p.Shape == ShapeFull {
		headers := map[string]any{}
		for name, values := range a.headers {
			headers[strings.ToLower(name)] = strings.Join(values, ", ")
		}
		result["status"] = a.status
		result["ok"] = isSuccess(a.status)
		result["headers"] = headers
	}
	return result
}

func isSuccess(status int) bool { return status >= 200 && status <= 299 }

// truncateUTF8 cuts s to at most n bytes on a rune boundary, noting the cut.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s…[%d more bytes]", s[:cut], len(s)-cut)
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// parseFetchArgs reads the goja-exported arguments of kinde.<binding>.
func parseFetchArgs(binding string, args []any) (fetchRequest, error) {
	name := "kinde." + binding
	if len(args) == 0 {
		return fetchRequest{}, fmt.Errorf("%s: url is required", name)
	}
	target, err := urlArg(args[0])
	if err != nil {
		return fetchRequest{}, fmt.Errorf("%s: %w", name, err)
	}
	req := fetchRequest{binding: binding, method: http.MethodGet, url: target, headers: http.Header{}}
	if len(args) < 2 || args[1] == nil {
		return req, nil
	}
	opts, ok := args[1].(map[string]any)
	if !ok {
		return fetchRequest{}, fmt.Errorf("%s: options must be an object, got %s", name, jsType(args[1]))
	}
	if m, ok := opts["method"].(string); ok && m != "" {
		req.method = strings.ToUpper(m)
	}
	if f, ok := opts["responseFormat"].(string); ok {
		if f != "json" && f != "text" {
			return fetchRequest{}, fmt.Errorf("%s: responseFormat must be \"json\" or \"text\", got %q", name, f)
		}
		req.responseFormat = f
	}
	if raw, present := opts["headers"]; present && raw != nil {
		h, ok := raw.(map[string]any)
		if !ok {
			return fetchRequest{}, fmt.Errorf("%s: headers must be an object, got %s", name, jsType(raw))
		}
		for header, value := range h {
			req.headers.Set(header, fmt.Sprint(value))
		}
	}
	body, contentType, err := encodeBody(opts["body"])
	if err != nil {
		return fetchRequest{}, fmt.Errorf("%s: %w", name, err)
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
	return "", fmt.Errorf("url must be a string, got %s", jsType(arg))
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
		encoded, err := marshalCompact(v)
		if err != nil {
			return "", "", fmt.Errorf("encoding body: %w", err)
		}
		return string(encoded), "application/json", nil
	default:
		return "", "", fmt.Errorf("body must be a string, a plain object or URLSearchParams, got %s", jsType(body))
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
