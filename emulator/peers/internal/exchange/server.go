package exchange

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server is a loopback HTTP server that records exchanges and applies faults
// around a peer's handler.
type Server struct {
	// URL is the base URL, e.g. "http://127.0.0.1:41234".
	URL string

	handler  http.Handler
	redactor Redactor
	http     *http.Server
	closing  chan struct{}
	once     sync.Once

	mu        sync.Mutex
	exchanges []Exchange
	faults    []*armedFault
}

type armedFault struct {
	Fault
	seen int
}

// Serve starts a Server on 127.0.0.1 with a free port.
func Serve(handler http.Handler, redactor Redactor) (*Server, error) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	s := &Server{
		URL:      "http://" + listener.Addr().String(),
		handler:  handler,
		redactor: redactor,
		closing:  make(chan struct{}),
	}
	s.http = &http.Server{Handler: http.HandlerFunc(s.serveHTTP), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.http.Serve(listener) }()
	return s, nil
}

// Inject arms a fault; calls are counted from now on.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &armedFault{Fault: f})
}

// ClearFaults disarms every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Requests returns the recorded exchanges in arrival order.
func (s *Server) Requests() []Exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Exchange(nil), s.exchanges...)
}

// Close stops the server, cutting open connections and pending delays.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		close(s.closing)
		err = s.http.Close()
	})
	return err
}

// nextFault counts the call for every armed fault and returns the first that
// applies to it.
func (s *Server) nextFault() *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	var chosen *Fault
	for _, f := range s.faults {
		f.seen++
		if chosen == nil && (f.Call == 0 || f.Call == f.seen) {
			fault := f.Fault
			chosen = &fault
		}
	}
	return chosen
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "reading the request body: "+err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	record := Exchange{
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.RawQuery,
		Header: s.redactor.header(r.Header),
		Body:   s.redactor.body(body, r.Header.Get("Content-Type")),
	}
	recorder := &responseRecorder{ResponseWriter: w}
	fault := s.nextFault()
	if fault != nil {
		record.Fault = fault.name()
		if fault.Delay > 0 && !s.wait(r, fault.Delay) {
			s.store(record)
			return
		}
	}
	switch {
	case fault != nil && fault.DropConnection:
		// Recorded before the client sees the connection end, so its next
		// request is recorded after this one.
		s.store(record)
		dropConnection(w)
		return
	case fault != nil && fault.replaces():
		for name, values := range fault.Header {
			w.Header()[name] = values
		}
		recorder.WriteHeader(fault.Status)
		_, _ = io.WriteString(recorder, fault.Body)
	default:
		s.handler.ServeHTTP(recorder, r)
	}
	if recorder.status == 0 {
		recorder.status = http.StatusOK
	}
	record.Status = recorder.status
	record.ResponseBody = s.redactor.body(recorder.body.Bytes(), recorder.Header().Get("Content-Type"))
	// net/http sends a buffered answer when the handler returns, so this is
	// recorded before the client can send its next request.
	s.store(record)
}

func (s *Server) store(record Exchange) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.exchanges = append(s.exchanges, record)
}

// wait sleeps for d; it returns false when the client went away or the server
// is closing first.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.closing:
		return false
	}
}

func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2): abort the handler, which resets the stream.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// responseRecorder passes the answer through and keeps a copy.
type responseRecorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *responseRecorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *responseRecorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body.Write(p)
	return r.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *responseRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
