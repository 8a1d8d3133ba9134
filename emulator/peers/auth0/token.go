package auth0

import (
	"encoding/json"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"kindewasm/emulator/peers/internal/idtoken"
)

// tokenLifetime is Auth0's default access-token lifetime in seconds.
const tokenLifetime = 86400

// apiError is Auth0's error answer.
type apiError struct {
	status      int
	code        string
	description string
	mfaToken    string
}

func (e apiError) body() map[string]string {
	body := map[string]string{"error": e.code, "error_description": e.description}
	if e.mfaToken != "" {
		body["mfa_token"] = e.mfaToken
	}
	return body
}

func missing(field string) *apiError {
	return &apiError{http.StatusBadRequest, "invalid_request", "Missing required parameter: " + field, ""}
}

func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			writeJSON(w, http.StatusMethodNotAllowed, apiError{code: "method_not_allowed", description: "Only POST is allowed on /oauth/token"}.body())
			return
		}
		answer, failure := s.token(r)
		if failure != nil {
			writeJSON(w, failure.status, failure.body())
			return
		}
		writeJSON(w, http.StatusOK, answer)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]any{"statusCode": 404, "error": "Not Found", "message": "the auth0 peer only serves POST /oauth/token"})
	})
	return mux
}

// token runs Auth0's checks in its order and returns the success body or the
// error.
func (s *Server) token(r *http.Request) (map[string]any, *apiError) {
	params, failure := readParams(r)
	if failure != nil {
		return nil, failure
	}
	grant := params.Get("grant_type")
	if grant == "" {
		return nil, missing("grant_type")
	}
	if grant != GrantPassword && grant != GrantPasswordRealm {
		return nil, &apiError{http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: " + grant, ""}
	}
	client, failure := s.authenticateClient(r, params)
	if failure != nil {
		return nil, failure
	}
	if !client.allows(grant) {
		return nil, &apiError{http.StatusForbidden, "unauthorized_client", fmt.Sprintf("Grant type '%s' not allowed for the client.", grant), ""}
	}
	for _, field := range []string{"username", "password"} {
		if params.Get(field) == "" {
			return nil, missing(field)
		}
	}
	connection, failure := s.connectionFor(grant, params)
	if failure != nil {
		return nil, failure
	}
	return s.login(r, client, connection, params)
}

// readParams parses a form or JSON body into string parameters.
func readParams(r *http.Request) (url.Values, *apiError) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, &apiError{http.StatusBadRequest, "invalid_request", "Malformed form body: " + err.Error(), ""}
		}
		return r.PostForm, nil
	case "application/json":
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return nil, &apiError{http.StatusBadRequest, "invalid_request", "Malformed JSON body: " + err.Error(), ""}
		}
		params := url.Values{}
		for key, value := range body {
			text, ok := value.(string)
			if !ok {
				return nil, &apiError{http.StatusBadRequest, "invalid_request", fmt.Sprintf("Parameter %s must be a string", key), ""}
			}
			params.Set(key, text)
		}
		return params, nil
	default:
		return nil, &apiError{http.StatusBadRequest, "invalid_request", fmt.Sprintf("Unsupported Content-Type %q: send application/x-www-form-urlencoded or application/json", r.Header.Get("Content-Type")), ""}
	}
}

// authenticateClient finds the client by client_id (body or HTTP Basic) and
// checks its secret when it has one.
func (s *Server) authenticateClient(r *http.Request, params url.Values) (Client, *apiError) {
	id, secret := params.Get("client_id"), params.Get("client_secret")
	if basicID, basicSecret, ok := r.BasicAuth(); ok {
		id, secret = basicID, basicSecret
	}
	if id == "" {
		return Client{}, missing("client_id")
	}
	for _, c := range s.config.Clients {
		if c.ID != id {
			continue
		}
		if c.Secret != "" && secret != c.Secret {
			return Client{}, &apiError{http.StatusUnauthorized, "invalid_client", "Client authentication failed.", ""}
		}
		return c, nil
	}
	return Client{}, &apiError{http.StatusUnauthorized, "invalid_client", fmt.Sprintf("Unknown client: %s", id), ""}
}

// connectionFor picks the connection: realm for password-realm, the default
// directory for password.
func (s *Server) connectionFor(grant string, params url.Values) (string, *apiError) {
	if grant == GrantPassword {
		if s.config.DefaultConnection == "" {
			return "", &apiError{http.StatusInternalServerError, "server_error", "Authorization server not configured with default connection.", ""}
		}
		return s.config.DefaultConnection, nil
	}
	realm := params.Get("realm")
	if realm == "" {
		return "", missing("realm")
	}
	s.mu.Lock()
	_, ok := s.users[realm]
	s.mu.Unlock()
	if !ok {
		return "", &apiError{http.StatusBadRequest, "invalid_request", "the connection was not found", ""}
	}
	return realm, nil
}

// login checks brute-force protection, the credentials and the user's state.
func (s *Server) login(r *http.Request, client Client, connection string, params url.Values) (map[string]any, *apiError) {
	login := params.Get("username")
	attemptKey := strings.ToLower(login) + "\x00" + endUserIP(r)
	s.mu.Lock()
	blockedByAttempts := s.failures[attemptKey] >= s.config.BruteForceLimit
	s.mu.Unlock()
	if blockedByAttempts {
		return nil, &apiError{http.StatusTooManyRequests, "too_many_attempts", "Your account has been blocked after multiple consecutive login attempts. We've sent you an email with instructions on how to unblock it.", ""}
	}
	user, found := s.findUser(connection, login)
	if !found || user.Password != params.Get("password") {
		s.mu.Lock()
		s.failures[attemptKey]++
		s.mu.Unlock()
		return nil, &apiError{http.StatusForbidden, "invalid_grant", "Wrong email or password.", ""}
	}
	s.mu.Lock()
	delete(s.failures, attemptKey)
	s.issued++
	serial := strconv.Itoa(s.issued)
	s.mu.Unlock()
	if user.Blocked {
		return nil, &apiError{http.StatusUnauthorized, "unauthorized", "user is blocked", ""}
	}
	if user.MFA {
		token := idtoken.Opaque("mfa", []byte(s.config.SigningSecret), serial, userID(user))
		return nil, &apiError{http.StatusForbidden, "mfa_required", "Multifactor authentication required", token}
	}
	return s.tokens(client, user, params, serial)
}

// tokens builds the success answer; an ID token only when scope has openid.
func (s *Server) tokens(client Client, user User, params url.Values, serial string) (map[string]any, *apiError) {
	secret := []byte(s.config.SigningSecret)
	if client.Secret != "" {
		secret = []byte(client.Secret)
	}
	answer := map[string]any{
		"access_token": idtoken.Opaque("at", []byte(s.config.SigningSecret), serial, userID(user)),
		"token_type":   "Bearer",
		"expires_in":   tokenLifetime,
	}
	scope := params.Get("scope")
	if scope != "" {
		answer["scope"] = scope
	}
	if hasScope(scope, "openid") {
		idToken, err := idtoken.Sign(s.idClaims(client, user, scope), secret)
		if err != nil {
			return nil, &apiError{http.StatusInternalServerError, "server_error", err.Error(), ""}
		}
		answer["id_token"] = idToken
	}
	return answer, nil
}

func (s *Server) idClaims(client Client, user User, scope string) map[string]any {
	now := s.now().Unix()
	claims := map[string]any{
		"iss": "https://" + s.config.Domain + "/",
		"sub": userID(user),
		"aud": client.ID,
		"iat": now,
		"exp": now + 36000,
	}
	if hasScope(scope, "email") && user.Email != "" {
		claims["email"] = user.Email
		claims["email_verified"] = user.EmailVerified
	}
	if hasScope(scope, "profile") {
		if user.GivenName != "" {
			claims["given_name"] = user.GivenName
		}
		if user.FamilyName != "" {
			claims["family_name"] = user.FamilyName
		}
		if name := strings.TrimSpace(user.GivenName + " " + user.FamilyName); name != "" {
			claims["name"] = name
		}
	}
	return claims
}

func userID(u User) string {
	if u.ID != "" {
		return "auth0|" + u.ID
	}
	if u.Email != "" {
		return "auth0|" + strings.ToLower(u.Email)
	}
	return "auth0|" + u.Username
}

func hasScope(scope, want string) bool {
	for _, s := range strings.Fields(scope) {
		if s == want {
			return true
		}
	}
	return false
}

// endUserIP is auth0-forwarded-for when sent, else the caller's address.
func endUserIP(r *http.Request) string {
	if ip := strings.TrimSpace(r.Header.Get("auth0-forwarded-for")); ip != "" {
		return ip
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
