package kindeapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fixedTime is the clock of tests that need one.
var fixedTime = time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)

// manualClock is a clock a test moves by hand.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// answer is an HTTP answer read in full.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var value map[string]any
	if err := json.Unmarshal(a.body, &value); err != nil {
		t.Fatalf("answer %d is not a JSON object: %v\n%s", a.status, err, a.body)
	}
	return value
}

// firstErrorCode returns errors[0].code of an error_response.
func (a answer) firstErrorCode(t *testing.T) string {
	t.Helper()
	errs, ok := a.json(t)["errors"].([]any)
	if !ok || len(errs) == 0 {
		t.Fatalf("answer has no errors list: %s", a.body)
	}
	return errs[0].(map[string]any)["code"].(string)
}

// send makes one request over loopback with a fresh connection, so the
// transport never retries a request on its own.
func send(t *testing.T, method, target string, header http.Header, body string) (answer, error) {
	t.Helper()
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, target, reader)
	if err != nil {
		t.Fatalf("build request: %v", err)
	}
	for key, values := range header {
		req.Header[key] = values
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// mustSend is send that fails the test on a transport error.
func mustSend(t *testing.T, method, target string, header http.Header, body string) answer {
	t.Helper()
	a, err := send(t, method, target, header, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	return a
}

// tokenForm is a correct client-credentials request body for s.
func tokenForm(s *Server) url.Values {
	return url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {DefaultClientID},
		"client_secret": {DefaultClientSecret.Reveal()},
		"audience":      {s.Audience()},
	}
}

// requestToken posts form to the token endpoint.
func requestToken(t *testing.T, s *Server, form url.Values) answer {
	t.Helper()
	header := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	return mustSend(t, http.MethodPost, s.URL+"/oauth2/token", header, form.Encode())
}

// accessToken obtains a token with the default credentials.
func accessToken(t *testing.T, s *Server) string {
	t.Helper()
	a := requestToken(t, s, tokenForm(s))
	if a.status != http.StatusOK {
		t.Fatalf("token request answered %d: %s", a.status, a.body)
	}
	return a.json(t)["access_token"].(string)
}

// client calls the Management API of one server with one token.
type client struct {
	t     *testing.T
	s     *Server
	token string
}

// newClient obtains a token for s.
func newClient(t *testing.T, s *Server) client {
	t.Helper()
	return client{t: t, s: s, token: accessToken(t, s)}
}

// headers are the headers of an API call with a JSON body.
func (c client) headers() http.Header {
	return http.Header{
		"Authorization": {"Bearer " + c.token},
		"Content-Type":  {"application/json"},
	}
}

// try sends an API call, returning transport errors.
func (c client) try(method, path, body string) (answer, error) {
	c.t.Helper()
	return send(c.t, method, c.s.URL+path, c.headers(), body)
}

// do sends an API call and fails the test on a transport error.
func (c client) do(method, path, body string) answer {
	c.t.Helper()
	return mustSend(c.t, method, c.s.URL+path, c.headers(), body)
}

// newServer starts a peer closed at cleanup without judging violations,
// for tests that provoke them on purpose.
func newServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// createBody is a typical create-user request.
const createBody = `{"profile":{"given_name":"Ada","family_name":"Lovelace"},` +
	`"identities":[{"type":"email","is_verified":true,"details":{"email":"ada@example.com"}}]}`

// sprintAll prints v with every fmt form a log line might use.
func sprintAll(v any) string {
	return fmt.Sprintf("%v %+v %#v %s", v, v, v, v)
}

// sprintf is fmt.Sprintf, named for test doubles of testing.TB.
func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }
