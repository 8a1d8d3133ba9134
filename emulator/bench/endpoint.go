package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// endpointPath is where the floor workflows POST.
const endpointPath = "/hello"

// endpointRequest is one request the floor endpoint received.
type endpointRequest struct {
	Method      string
	Path        string
	ContentType string
	Body        string
}

// floorEndpoint is the loopback HTTP server the floor workflows call: it
// takes a POST of JSON {"email", "userAgent"} and answers JSON
// answer(email). Any other request gets a 400 (without a `message`, so the
// workflow rejects and the benchmark stops).
type floorEndpoint struct {
	// URL is the base URL, e.g. "http://127.0.0.1:41234".
	URL string

	answer func(email string) any
	server *http.Server

	mu       sync.Mutex
	requests []endpointRequest
}

// startFloorEndpoint serves on 127.0.0.1 with a free port until Close.
func startFloorEndpoint(answer func(email string) any) (*floorEndpoint, error) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("floor endpoint: listen on loopback: %w", err)
	}
	e := &floorEndpoint{URL: "http://" + listener.Addr().String(), answer: answer}
	e.server = &http.Server{Handler: http.HandlerFunc(e.serveHTTP), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = e.server.Serve(listener) }()
	return e, nil
}

// env is the kinde.env of a floor run: the endpoint to call.
func (e *floorEndpoint) env() map[string]string {
	return map[string]string{"EXAMPLE_ENDPOINT_URL": e.URL + endpointPath}
}

// Requests returns the requests received so far, in order.
func (e *floorEndpoint) Requests() []endpointRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]endpointRequest(nil), e.requests...)
}

// Close stops the server.
func (e *floorEndpoint) Close() error { return e.server.Close() }

func (e *floorEndpoint) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "unreadable body: "+err.Error(), http.StatusBadRequest)
		return
	}
	e.mu.Lock()
	e.requests = append(e.requests, endpointRequest{Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"), Body: string(body)})
	e.mu.Unlock()

	email, problem := signInOf(r, body)
	w.Header().Set("Content-Type", "application/json")
	if problem != "" {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": problem})
		return
	}
	_ = json.NewEncoder(w).Encode(e.answer(email))
}

// signInOf checks a floor request and returns its e-mail, or what is wrong.
func signInOf(r *http.Request, body []byte) (email, problem string) {
	if r.Method != http.MethodPost || r.URL.Path != endpointPath {
		return "", fmt.Sprintf("want POST %s, got %s %s", endpointPath, r.Method, r.URL.Path)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		return "", fmt.Sprintf("want Content-Type application/json, got %q", ct)
	}
	var sent struct {
		Email     string  `json:"email"`
		UserAgent *string `json:"userAgent"`
	}
	decoder := json.NewDecoder(bytes.NewReader(body))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&sent); err != nil {
		return "", "want JSON {email, userAgent}: " + err.Error()
	}
	if sent.Email == "" {
		return "", "want a non-empty email"
	}
	return sent.Email, ""
}
