package azureb2c

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"kindewasm/emulator/peers/internal/idtoken"
)

// tokenLifetime is B2C's default access and ID token lifetime in seconds.
const tokenLifetime = 3600

// b2cError is an error answer before its correlation trailer is added.
type b2cError struct {
	status  int
	code    string // OAuth error, e.g. "invalid_request"
	message string // "AADB2C90225: …" or a bare message
}

func badRequest(message string) *b2cError {
	return &b2cError{http.StatusBadRequest, "invalid_request", message}
}

func (s *Server) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.served++
		serial := s.served
		s.mu.Unlock()
		answer, failure := s.token(r, serial)
		if failure != nil {
			writeJSON(w, failure.status, map[string]string{
				"error":             failure.code,
				"error_description": s.describe(failure.message, serial),
			})
			return
		}
		writeJSON(w, http.StatusOK, answer)
	})
}

// describe appends B2C's correlation id and timestamp lines.
func (s *Server) describe(message string, serial int) string {
	return fmt.Sprintf("%s\r\nCorrelation ID: %s\r\nTimestamp: %s\r\n",
		message, correlationID(serial), s.config.Clock().UTC().Format("2006-01-02 15:04:05Z"))
}

// correlationID is a deterministic UUID-shaped id for the serial-th request.
func correlationID(serial int) string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", serial)
}

func (s *Server) token(r *http.Request, serial int) (map[string]any, *b2cError) {
	policy, failure := s.route(r)
	if failure != nil {
		return nil, failure
	}
	params, failure := readForm(r)
	if failure != nil {
		return nil, failure
	}
	app, failure := s.checkClient(params)
	if failure != nil {
		return nil, failure
	}
	if failure := checkGrant(params); failure != nil {
		return nil, failure
	}
	responseTypes, scopes, failure := checkScopes(params, app.ID)
	if failure != nil {
		return nil, failure
	}
	user, failure := s.authenticate(params.Get("username"), params.Get("password"))
	if failure != nil {
		return nil, failure
	}
	return s.tokens(app, user, policy, responseTypes, scopes, serial)
}

// route checks method, tenant, policy and endpoint; it returns the policy.
func (s *Server) route(r *http.Request) (string, *b2cError) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) != 5 || parts[2] != "oauth2" || parts[3] != "v2.0" || parts[4] != "token" {
		return "", &b2cError{http.StatusNotFound, "invalid_request", "the azureb2c peer only serves POST /{tenant}.onmicrosoft.com/{policy}/oauth2/v2.0/token"}
	}
	if !strings.EqualFold(parts[0], s.config.Tenant+".onmicrosoft.com") {
		return "", &b2cError{http.StatusNotFound, "invalid_tenant", fmt.Sprintf("Tenant '%s' not found.", parts[0])}
	}
	if !s.knownPolicy(parts[1]) {
		return "", &b2cError{http.StatusNotFound, "invalid_request", fmt.Sprintf("The policy '%s' does not exist in tenant '%s'.", parts[1], parts[0])}
	}
	if r.Method != http.MethodPost {
		return "", badRequest("AADB2C90226: The specified token exchange is only supported over HTTP POST.")
	}
	return parts[1], nil
}

func readForm(r *http.Request) (url.Values, *b2cError) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "application/x-www-form-urlencoded" {
		return nil, badRequest(fmt.Sprintf("The request body must be application/x-www-form-urlencoded, not %q.", r.Header.Get("Content-Type")))
	}
	if err := r.ParseForm(); err != nil {
		return nil, badRequest("The request body is not a valid form: " + err.Error())
	}
	return r.PostForm, nil
}

func (s *Server) checkClient(params url.Values) (Application, *b2cError) {
	id := params.Get("client_id")
	if id == "" {
		return Application{}, badRequest("AADB2C90008: The request does not contain a client ID parameter.")
	}
	app, ok := s.application(id)
	if !ok {
		return Application{}, badRequest(fmt.Sprintf("AADB2C90018: The client ID '%s' specified in the request is not registered in tenant '%s.onmicrosoft.com'.", id, s.config.Tenant))
	}
	switch app.Misconfiguration {
	case ROPCNotEnabled:
		return app, &b2cError{http.StatusBadRequest, "unauthorized_client", "AADB2C90224: Resource owner flow has not been enabled for the application."}
	case ImplicitFlowNotAllowed:
		return app, &b2cError{http.StatusBadRequest, "unauthorized_client", "AADB2C90057: The provided application is not configured to allow the 'OAuth' Implicit flow."}
	case NotPublicClient:
		return app, &b2cError{http.StatusBadRequest, "unauthorized_client", "AADB2C90058: The provided application is not configured to allow public clients."}
	}
	if params.Get("client_secret") != "" {
		return app, badRequest("AADB2C90084: Public clients should not send a client_secret when redeeming a publicly acquired grant.")
	}
	return app, nil
}

func checkGrant(params url.Values) *b2cError {
	for _, field := range []string{"grant_type", "username", "password"} {
		if params.Get(field) == "" {
			return badRequest("AADB2C90083: The request is missing required parameter: " + field + ".")
		}
	}
	if grant := params.Get("grant_type"); grant != "password" {
		return &b2cError{http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("AADB2C90086: The supplied grant_type [%s] is not supported.", grant)}
	}
	return nil
}

// checkScopes validates scope and response_type and returns both as sets.
func checkScopes(params url.Values, clientID string) (map[string]bool, map[string]bool, *b2cError) {
	if params.Get("scope") == "" {
		return nil, nil, badRequest("AADB2C90010: The request does not contain a scope parameter.")
	}
	scopes := set(params.Get("scope"))
	for scope := range scopes {
		if scope != "openid" && scope != "offline_access" && scope != clientID {
			return nil, nil, badRequest(fmt.Sprintf("AADB2C90117: The scope '%s' provided in the request is not supported.", scope))
		}
	}
	responseType := params.Get("response_type")
	if responseType == "" {
		return nil, nil, badRequest("AADB2C90083: The request is missing required parameter: response_type.")
	}
	responseTypes := set(responseType)
	for rt := range responseTypes {
		if rt != "token" && rt != "id_token" {
			return nil, nil, badRequest(fmt.Sprintf("AADB2C90013: The requested response type '%s' provided in the request is not supported.", responseType))
		}
	}
	if responseTypes["id_token"] && !scopes["openid"] {
		return nil, nil, badRequest("AADB2C90110: The scope parameter must include 'openid' when requesting a response_type that includes 'id_token'.")
	}
	return responseTypes, scopes, nil
}

// authenticate applies account state, lockout and the password check.
func (s *Server) authenticate(signInName, password string) (User, *b2cError) {
	denied := func(message string) *b2cError {
		return &b2cError{http.StatusBadRequest, s.config.WrongCredentialsError, message}
	}
	user, found := s.findUser(signInName)
	key := strings.ToLower(signInName)
	s.mu.Lock()
	lockedOut := s.failures[key] >= s.config.LockoutThreshold
	s.mu.Unlock()
	switch {
	case found && user.State == Disabled:
		return user, denied("AADB2C90111: Your account has been locked. Contact your support person to unlock it, then try again.")
	case lockedOut || (found && user.State == Locked):
		return user, denied("AADB2C90114: Your account is temporarily locked to prevent unauthorized use. Try again later.")
	case !found || user.Password != password:
		s.mu.Lock()
		s.failures[key]++
		s.mu.Unlock()
		return user, denied("AADB2C90225: The username or password provided in the request are invalid.")
	case user.State == PasswordExpired:
		return user, denied("Your password has expired.")
	}
	s.mu.Lock()
	delete(s.failures, key)
	s.mu.Unlock()
	return user, nil
}

// tokens builds the documented success answer.
func (s *Server) tokens(app Application, user User, policy string, responseTypes, scopes map[string]bool, serial int) (map[string]any, *b2cError) {
	secret := []byte(s.config.SigningSecret)
	now := s.config.Clock().Unix()
	subject := objectID(user)
	answer := map[string]any{"token_type": "Bearer", "expires_in": strconv.Itoa(tokenLifetime)}
	if responseTypes["token"] && scopes[app.ID] {
		access, err := idtoken.Sign(map[string]any{
			"iss": s.issuer(), "sub": subject, "aud": app.ID, "scp": "access", "tfp": policy,
			"iat": now, "nbf": now, "exp": now + tokenLifetime,
		}, secret)
		if err != nil {
			return nil, &b2cError{http.StatusInternalServerError, "server_error", err.Error()}
		}
		answer["access_token"] = access
	}
	if scopes["offline_access"] {
		answer["refresh_token"] = idtoken.Opaque("rt", secret, strconv.Itoa(serial), subject)
	}
	if responseTypes["id_token"] {
		claims := map[string]any{
			"iss": s.issuer(), "sub": subject, "oid": subject, "aud": app.ID, "tfp": policy, "ver": "1.0",
			"iat": now, "nbf": now, "auth_time": now, "exp": now + tokenLifetime,
		}
		if user.Email != "" {
			claims["emails"] = []string{user.Email}
		}
		if user.GivenName != "" {
			claims["given_name"] = user.GivenName
		}
		if user.FamilyName != "" {
			claims["family_name"] = user.FamilyName
		}
		if name := strings.TrimSpace(user.GivenName + " " + user.FamilyName); name != "" {
			claims["name"] = name
		}
		id, err := idtoken.Sign(claims, secret)
		if err != nil {
			return nil, &b2cError{http.StatusInternalServerError, "server_error", err.Error()}
		}
		answer["id_token"] = id
	}
	return answer, nil
}

func (s *Server) issuer() string {
	return fmt.Sprintf("https://%s.b2clogin.com/%s.onmicrosoft.com/v2.0/", s.config.Tenant, s.config.Tenant)
}

func objectID(u User) string {
	if u.ObjectID != "" {
		return u.ObjectID
	}
	return "oid-" + strings.ToLower(u.SignInName)
}

func set(spaceSeparated string) map[string]bool {
	out := map[string]bool{}
	for _, item := range strings.Fields(spaceSeparated) {
		out[item] = true
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
