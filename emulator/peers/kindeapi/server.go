package kindeapi

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/routers"
)

// maxBodyBytes bounds request bodies.
const maxBodyBytes = 1 << 20

// Server is a Management API peer listening on loopback.
type Server struct {
	// URL is the base URL, e.g. "http://127.0.0.1:41234"; it plays the
	// part of `https://<subdomain>.kinde.com` (event.context.domains.kindeDomain).
	URL string

	cfg      Config
	issuer   string
	spec     *apiSpec
	jwk      jsonWebKey
	listener net.Listener
	http     *http.Server
	inflight sync.WaitGroup
	closed   sync.Once

	mu         sync.Mutex
	store      userStore
	faults     []*armedFault
	exchanges  []Exchange
	violations []Violation
	tokens     int
}

// call is one request being handled.
type call struct {
	req        *http.Request
	body       []byte
	route      string
	specRoute  *routers.Route
	pathParams map[string]string
	violations []Violation
}

// violate records a breach found while handling c.
func (c *call) violate(kind ViolationKind, problem string) {
	c.violations = append(c.violations, Violation{
		Kind: kind, Method: c.req.Method, Path: c.req.URL.Path, Route: c.route, Problem: problem,
	})
}

// New starts a peer; Close stops it.
func New(cfg Config) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	spec, err := specification()
	if err != nil {
		return nil, err
	}
	listener, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("kindeapi: listen on %s: %w", cfg.Addr, err)
	}
	s := &Server{
		URL:      "http://" + listener.Addr().String(),
		issuer:   cfg.PublicURL,
		cfg:      cfg,
		spec:     spec,
		jwk:      publicJWK(&cfg.SigningKey.PublicKey),
		listener: listener,
	}
	if s.issuer == "" {
		s.issuer = s.URL
	}
	s.http = &http.Server{Handler: s}
	go func() { _ = s.http.Serve(listener) }()
	return s, nil
}

// Start starts a peer for a test. At cleanup it closes the peer and fails
// the test if any Violation occurred, so a workflow that sends a request
// the spec forbids fails the test that ran it.
func Start(t testing.TB, cfg Config) *Server {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("start the Kinde Management API peer: %v", err)
	}
	t.Cleanup(func() {
		s.Close()
		for _, v := range s.Violations() {
			t.Errorf("Kinde Management API peer: %s", v)
		}
	})
	return s
}

// Close stops listening, drops open connections and waits for handlers.
func (s *Server) Close() {
	s.closed.Do(func() {
		_ = s.http.Close()
		s.inflight.Wait()
	})
}

// PublicKey is the key that verifies the peer's access tokens.
func (s *Server) PublicKey() *rsa.PublicKey { return &s.cfg.SigningKey.PublicKey }

// Issuer is the base URL clients know the peer by: Config.PublicURL, else
// URL. Tokens carry it as `iss`.
func (s *Server) Issuer() string { return s.issuer }

// Audience is the audience a token request must name: Issuer() + "/api".
func (s *Server) Audience() string { return s.issuer + "/api" }

// Inject arms a fault; see Fault for how calls are matched.
func (s *Server) Inject(f Fault) error {
	f, err := f.normalized(s.knownRoute)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &armedFault{Fault: f})
	return nil
}

// AddUser stores u as it is (seeding state); an empty ID gets the next
// generated one. It returns the stored user.
func (s *Server) AddUser(u User) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.CreatedOn.IsZero() {
		u.CreatedOn = s.cfg.Clock().UTC()
	}
	return s.store.add(u)
}

// Users returns every user in creation order.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store.all()
}

// UserByEmail returns the first user created with the e-mail identity
// email (compared without regard to case).
func (s *Server) UserByEmail(email string) (User, bool) {
	users := s.UsersByEmail(email)
	if len(users) == 0 {
		return User{}, false
	}
	return users[0], true
}

// UsersByEmail returns every user having the e-mail identity email, in
// creation order: more than one means a duplicate was created.
func (s *Server) UsersByEmail(email string) []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store.withEmail(email)
}

// Requests returns every exchange in the order the answers were settled.
func (s *Server) Requests() []Exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Exchange(nil), s.exchanges...)
}

// Violations returns every contract breach seen so far, in order.
func (s *Server) Violations() []Violation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Violation(nil), s.violations...)
}

// knownRoute reports whether route ("METHOD /template") is served.
func (s *Server) knownRoute(route string) bool {
	method, path, _ := strings.Cut(route, " ")
	switch path {
	case tokenPath:
		return method == http.MethodPost
	case jwksPath:
		return method == http.MethodGet
	}
	item := s.spec.doc.Paths.Value(path)
	return item != nil && item.GetOperation(method) != nil
}

// ServeHTTP handles one exchange: route, fault, handle, validate, answer,
// record.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.inflight.Add(1)
	defer s.inflight.Done()

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	c := &call{req: r, body: body}
	if err != nil {
		c.violate(RequestViolation, fmt.Sprintf("body could not be read (limit %d bytes): %v", maxBodyBytes, err))
		s.finish(w, c, errorsReply(http.StatusBadRequest, problem{Code: "INVALID_BODY", Message: "the request body could not be read"}), 0)
		return
	}
	answer, routed := s.route(c)
	if !routed {
		s.finish(w, c, answer, 0)
		return
	}

	s.mu.Lock()
	fault := matchFault(s.faults, c.route)
	s.mu.Unlock()
	answer, answered := s.answer(c, fault)
	if !answered {
		return
	}

	if c.specRoute != nil && !answer.offSpec {
		input := requestInput(r, c.body, c.specRoute, c.pathParams)
		for _, message := range validateResponse(r.Context(), input, answer) {
			c.violate(ResponseViolation, message)
		}
	}

	switch fault.Kind {
	case LostAnswer:
		s.loseAnswer(w, c)
		return
	case BadGatewayAfterCommit:
		answer = badGatewayReply()
	}
	s.finish(w, c, answer, fault.Kind)
}

// answer produces the answer to a routed call under fault (zero for none).
// It returns false when the call was abandoned while delayed (already
// recorded).
func (s *Server) answer(c *call, fault Fault) (reply, bool) {
	switch fault.Kind {
	case RateLimited:
		return rateLimitedReply(fault.ResetSeconds), true
	case ServerError:
		answer := errorsReply(fault.Status, problem{Code: "INTERNAL_SERVER_ERROR", Message: "injected server error"})
		answer.offSpec = true
		return answer, true
	case Delayed:
		if err := s.cfg.Sleep(c.req.Context(), fault.Delay); err != nil {
			s.record(c, Exchange{Status: 0, Fault: Delayed})
			return reply{}, false
		}
	}
	return s.handle(c), true
}

// route finds the operation a request is for. When there is none it
// returns the answer to give and false.
func (s *Server) route(c *call) (reply, bool) {
	r := c.req
	switch r.URL.Path {
	case tokenPath, jwksPath:
		want := http.MethodPost
		if r.URL.Path == jwksPath {
			want = http.MethodGet
		}
		if r.Method != want {
			c.violate(RequestViolation, fmt.Sprintf("%s %s is not served (use %s)", r.Method, r.URL.Path, want))
			return methodNotAllowedReply(want), false
		}
		c.route = r.Method + " " + r.URL.Path
		return reply{}, true
	}
	route, params, err := s.spec.router.FindRoute(r)
	switch {
	case errors.Is(err, routers.ErrMethodNotAllowed):
		c.violate(RequestViolation, fmt.Sprintf("the spec defines no %s operation on %s", r.Method, r.URL.Path))
		return errorsReply(http.StatusMethodNotAllowed, problem{Code: "METHOD_NOT_ALLOWED", Message: "method not allowed on this route"}), false
	case err != nil:
		c.violate(RequestViolation, fmt.Sprintf("the spec defines no route %s", r.URL.Path))
		return routeNotFoundReply(), false
	}
	c.route = r.Method + " " + route.Path
	c.specRoute = route
	c.pathParams = params
	return reply{}, true
}

// handle answers a routed request without faults.
func (s *Server) handle(c *call) reply {
	switch c.route {
	case "POST " + tokenPath:
		return s.issueToken(c)
	case "GET " + jwksPath:
		return jsonReply(http.StatusOK, jwks{Keys: []jsonWebKey{s.jwk}})
	}
	return s.handleAPI(c)
}

// handleAPI authenticates, validates and dispatches a Management API call.
func (s *Server) handleAPI(c *call) reply {
	operation := c.specRoute.Operation
	if answer, ok := s.authorize(c, operation.OperationID); !ok {
		return answer
	}
	input := requestInput(c.req, c.body, c.specRoute, c.pathParams)
	if problems := validateRequest(c.req.Context(), input, c.body, !s.cfg.AllowUnknownFields); len(problems) > 0 {
		for _, p := range problems {
			c.violate(RequestViolation, p.Message)
		}
		return errorsReply(http.StatusBadRequest, problems...)
	}
	handler, modelled := s.operations()[operation.OperationID]
	if !modelled {
		return notModelled(c, "operation "+operation.OperationID)
	}
	return handler(c)
}

// finish writes an answer and records the exchange.
//
// The exchange is recorded before the client gets the answer, so a client's
// next request is always recorded after this one.
func (s *Server) finish(w http.ResponseWriter, c *call, answer reply, fault FaultKind) {
	s.record(c, Exchange{
		Status:       answer.status,
		ResponseBody: redactBody(answer.header.Get("Content-Type"), answer.body),
		Fault:        fault,
	})
	for key, values := range answer.header {
		w.Header()[key] = values
	}
	w.WriteHeader(answer.status)
	_, _ = w.Write(answer.body)
}

// loseAnswer closes the connection without a response (recorded first, as in
// finish).
func (s *Server) loseAnswer(w http.ResponseWriter, c *call) {
	if hijacker, ok := w.(http.Hijacker); ok {
		if conn, _, err := hijacker.Hijack(); err == nil {
			s.record(c, Exchange{Status: 0, Fault: LostAnswer})
			_ = conn.Close()
			return
		}
	}
	// Only HTTP/1 connections can be hijacked; abort the stream instead.
	s.record(c, Exchange{Status: 0, Fault: LostAnswer})
	panic(http.ErrAbortHandler)
}

// record appends the exchange and the call's violations.
func (s *Server) record(c *call, e Exchange) {
	e.Method = c.req.Method
	e.Path = c.req.URL.Path
	e.Query = c.req.URL.RawQuery
	e.Route = c.route
	e.RequestBody = redactBody(c.req.Header.Get("Content-Type"), c.body)
	e.Violations = slices.Clone(c.violations)
	s.mu.Lock()
	s.exchanges = append(s.exchanges, e)
	s.violations = append(s.violations, c.violations...)
	s.mu.Unlock()
	if s.cfg.OnExchange != nil {
		s.cfg.OnExchange(e)
	}
}
