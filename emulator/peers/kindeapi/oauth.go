package kindeapi

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Paths of the endpoints that are not part of the Management API spec.
const (
	tokenPath = "/oauth2/token"
	jwksPath  = "/.well-known/jwks.json"
)

// operationScopes is the scope each modelled operation needs (from the
// `<code>` scope in each operation's description in the spec).
var operationScopes = map[string]string{
	"createUser":      "create:users",
	"getUsers":        "read:users",
	"getUserData":     "read:users",
	"SetUserPassword": "update:user_passwords",
}

// tokenResponse is a successful client-credentials answer (RFC 6749 §5.1).
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
	TokenType   string `json:"token_type"`
	Scope       string `json:"scope"`
}

// oauthError is an OAuth 2.0 error answer (RFC 6749 §5.2).
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// oauthErrorReply answers an OAuth error; 401 ones carry WWW-Authenticate.
func oauthErrorReply(status int, code, description string) reply {
	answer := jsonReply(status, oauthError{Error: code, Description: description})
	if status == http.StatusUnauthorized {
		answer.header.Set("WWW-Authenticate", `Basic realm="kinde-api-peer"`)
	}
	answer.header.Set("Cache-Control", "no-store")
	return answer
}

// issueToken implements the client-credentials grant. Malformed requests
// are violations; wrong credentials or scopes are not (they are a
// configuration the workflow cannot fix).
func (s *Server) issueToken(c *call) reply {
	malformed := func(code, description string) reply {
		c.violate(RequestViolation, "token request: "+description)
		return oauthErrorReply(http.StatusBadRequest, code, description)
	}
	mediaType, _, err := mime.ParseMediaType(c.req.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/x-www-form-urlencoded" {
		return malformed("invalid_request", "Content-Type must be application/x-www-form-urlencoded")
	}
	form, err := url.ParseQuery(string(c.body))
	if err != nil {
		return malformed("invalid_request", "the body is not valid form data")
	}
	for name, values := range form {
		if len(values) > 1 {
			return malformed("invalid_request", fmt.Sprintf("parameter %s is repeated", name))
		}
	}
	switch grant := form.Get("grant_type"); grant {
	case "client_credentials":
	case "":
		return malformed("invalid_request", "grant_type is missing")
	default:
		return malformed("unsupported_grant_type", fmt.Sprintf("grant_type %q is not supported (use client_credentials)", grant))
	}
	clientID, clientSecret, err := clientCredentials(c.req, form)
	if err != nil {
		return malformed("invalid_request", err.Error())
	}
	idMatches := subtle.ConstantTimeCompare([]byte(clientID), []byte(s.cfg.ClientID)) == 1
	secretMatches := subtle.ConstantTimeCompare([]byte(clientSecret), []byte(s.cfg.ClientSecret.Reveal())) == 1
	if !idMatches || !secretMatches {
		return oauthErrorReply(http.StatusUnauthorized, "invalid_client", "client authentication failed")
	}
	switch audience := form.Get("audience"); audience {
	case s.Audience():
	case "":
		return malformed("invalid_request", "audience is missing (want "+s.Audience()+")")
	default:
		return malformed("invalid_request", fmt.Sprintf("audience %q is not this API (want %s)", audience, s.Audience()))
	}
	scopes, ok := s.grantedScopes(form.Get("scope"))
	if !ok {
		return oauthErrorReply(http.StatusBadRequest, "invalid_scope", "a requested scope is not granted to this client")
	}
	return s.signedToken(scopes)
}

// clientCredentials reads client_secret_basic or client_secret_post
// authentication; using both or neither is an error.
func clientCredentials(r *http.Request, form url.Values) (id, secret string, err error) {
	basicID, basicSecret, hasBasic := r.BasicAuth()
	_, hasPostID := form["client_id"]
	_, hasPostSecret := form["client_secret"]
	switch {
	case hasBasic && (hasPostID || hasPostSecret):
		return "", "", errors.New("client credentials are sent both in the Authorization header and in the body")
	case hasBasic:
		id, err1 := url.QueryUnescape(basicID)
		secret, err2 := url.QueryUnescape(basicSecret)
		if err1 != nil || err2 != nil {
			return "", "", errors.New("the Authorization header's credentials are not form-encoded")
		}
		return id, secret, nil
	case !hasPostID:
		return "", "", errors.New("client_id is missing")
	case !hasPostSecret:
		return "", "", errors.New("client_secret is missing")
	default:
		return form.Get("client_id"), form.Get("client_secret"), nil
	}
}

// grantedScopes returns the scopes of a new token: those requested (space
// separated), or all granted ones when none is requested.
func (s *Server) grantedScopes(requested string) ([]string, bool) {
	fields := strings.Fields(requested)
	if len(fields) == 0 {
		return s.cfg.Scopes, true
	}
	for _, scope := range fields {
		if !slices.Contains(s.cfg.Scopes, scope) {
			return nil, false
		}
	}
	return fields, true
}

// signedToken issues an access token for scopes.
func (s *Server) signedToken(scopes []string) reply {
	now := s.cfg.Clock()
	s.mu.Lock()
	s.tokens++
	serial := s.tokens
	s.mu.Unlock()
	lifetime := int64(s.cfg.TokenLifetime.Seconds())
	claims := accessClaims{
		Audience:  []string{s.Audience()},
		AuthParty: s.cfg.ClientID,
		Expiry:    now.Unix() + lifetime,
		GrantType: []string{"client_credentials"},
		IssuedAt:  now.Unix(),
		Issuer:    s.issuer,
		ID:        fmt.Sprintf("tok_%d", serial),
		Scope:     strings.Join(scopes, " "),
	}
	token, err := signRS256(s.cfg.SigningKey, s.jwk.KeyID, claims)
	if err != nil {
		return oauthErrorReply(http.StatusInternalServerError, "server_error", "the token could not be signed")
	}
	answer := jsonReply(http.StatusOK, tokenResponse{
		AccessToken: token,
		ExpiresIn:   lifetime,
		TokenType:   "bearer",
		Scope:       claims.Scope,
	})
	answer.header.Set("Cache-Control", "no-store")
	return answer
}

// authorize checks the bearer token and the operation's scope. A refusal
// is the spec's 403 error_response and not a violation: tokens expire.
func (s *Server) authorize(c *call, operationID string) (reply, bool) {
	refuse := func(code, message string) (reply, bool) {
		return errorsReply(http.StatusForbidden, problem{Code: code, Message: message}), false
	}
	scheme, token, found := strings.Cut(c.req.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return refuse("UNAUTHORIZED", "a bearer access token is required (Authorization: Bearer <token>)")
	}
	claims, err := verifyRS256(s.PublicKey(), s.jwk.KeyID, strings.TrimSpace(token), s.issuer, s.Audience(), s.cfg.Clock())
	if errors.Is(err, errTokenExpired) {
		return refuse("TOKEN_EXPIRED", err.Error())
	}
	if err != nil {
		return refuse("UNAUTHORIZED", err.Error())
	}
	if scope, ok := operationScopes[operationID]; ok && !slices.Contains(strings.Fields(claims.Scope), scope) {
		return refuse("FORBIDDEN", fmt.Sprintf("the access token lacks the scope %s", scope))
	}
	return reply{}, true
}
