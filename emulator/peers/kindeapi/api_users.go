package kindeapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// operations maps the modelled operation ids to their handlers.
func (s *Server) operations() map[string]func(*call) reply {
	return map[string]func(*call) reply{
		"createUser":      s.createUser,
		"getUsers":        s.listUsers,
		"getUserData":     s.getUser,
		"SetUserPassword": s.setUserPassword,
	}
}

// createUserRequest is the body of `POST /api/v1/user`.
type createUserRequest struct {
	Profile *struct {
		GivenName  string `json:"given_name"`
		FamilyName string `json:"family_name"`
		Picture    string `json:"picture"`
	} `json:"profile"`
	OrganizationCode *string `json:"organization_code"`
	ProvidedID       string  `json:"provided_id"`
	Identities       []struct {
		Type       string `json:"type"`
		IsVerified bool   `json:"is_verified"`
		Details    struct {
			Email          string `json:"email"`
			Phone          string `json:"phone"`
			PhoneCountryID string `json:"phone_country_id"`
			Username       string `json:"username"`
		} `json:"details"`
	} `json:"identities"`
}

// identityResult is one entry of create_user_response.identities.
type identityResult struct {
	Type   string `json:"type"`
	Result struct {
		Created bool `json:"created"`
	} `json:"result"`
}

// createUserResponse is the spec's create_user_response.
type createUserResponse struct {
	ID         string           `json:"id"`
	Created    bool             `json:"created"`
	Identities []identityResult `json:"identities"`
}

// createUser handles `POST /api/v1/user`.
func (s *Server) createUser(c *call) reply {
	var request createUserRequest
	if len(c.body) > 0 {
		if err := json.Unmarshal(c.body, &request); err != nil {
			return badRequest(c, "INVALID_BODY", "body: "+err.Error())
		}
	}
	if request.OrganizationCode != nil {
		return notModelled(c, "organization_code")
	}
	user := User{ProvidedID: request.ProvidedID}
	if request.Profile != nil {
		user.GivenName = request.Profile.GivenName
		user.FamilyName = request.Profile.FamilyName
		user.Picture = request.Profile.Picture
	}
	for i, in := range request.Identities {
		identity := Identity{Type: in.Type, IsVerified: in.IsVerified, PhoneCountryID: in.Details.PhoneCountryID}
		switch in.Type {
		case "email":
			identity.Value = in.Details.Email
		case "phone":
			identity.Value = in.Details.Phone
		case "username":
			identity.Value = in.Details.Username
		}
		if identity.Value == "" {
			return badRequest(c, "MISSING_FIELD", fmt.Sprintf("body /identities/%d/details: an identity of type %s needs details.%s", i, in.Type, in.Type))
		}
		user.Identities = append(user.Identities, identity)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	kept, results, answer, rejected := s.applyDuplicatePolicy(user.Identities)
	if rejected {
		return answer
	}
	user.Identities = kept
	user.CreatedOn = s.cfg.Clock().UTC()
	stored, err := s.store.add(user)
	if err != nil {
		return badRequest(c, "INVALID_USER", err.Error())
	}
	return jsonReply(http.StatusOK, createUserResponse{ID: stored.ID, Created: true, Identities: results})
}

// applyDuplicatePolicy decides, for identities of a new user, which are
// kept and what is reported; rejected means answer must be sent instead.
// Callers hold the lock.
func (s *Server) applyDuplicatePolicy(identities []Identity) (kept []Identity, results []identityResult, answer reply, rejected bool) {
	results = []identityResult{}
	for _, identity := range identities {
		duplicate := identity.Type == "email" && len(s.store.withEmail(identity.Value)) > 0
		if duplicate && s.cfg.DuplicateEmail == RejectDuplicate {
			return nil, nil, errorsReply(http.StatusBadRequest, problem{
				Code:    "USER_ALREADY_EXISTS",
				Message: "a user with this email already exists",
			}), true
		}
		result := identityResult{Type: identity.Type}
		if duplicate && s.cfg.DuplicateEmail == SkipDuplicateIdentity {
			results = append(results, result)
			continue
		}
		result.Result.Created = true
		results = append(results, result)
		kept = append(kept, identity)
	}
	return kept, results, reply{}, false
}

// userIdentity is an identity as the read operations show it.
type userIdentity struct {
	Type     string `json:"type"`
	Identity string `json:"identity"`
}

// listedUser is one entry of users_response.users.
type listedUser struct {
	ID             string         `json:"id"`
	ProvidedID     string         `json:"provided_id,omitempty"`
	Email          string         `json:"email,omitempty"`
	Phone          string         `json:"phone,omitempty"`
	Username       string         `json:"username,omitempty"`
	LastName       string         `json:"last_name,omitempty"`
	FirstName      string         `json:"first_name,omitempty"`
	IsSuspended    bool           `json:"is_suspended"`
	Picture        string         `json:"picture,omitempty"`
	TotalSignIns   int            `json:"total_sign_ins"`
	FailedSignIns  int            `json:"failed_sign_ins"`
	LastSignedIn   *string        `json:"last_signed_in"`
	CreatedOn      string         `json:"created_on"`
	Organizations  []string       `json:"organizations,omitempty"`
	Identities     []userIdentity `json:"identities,omitempty"`
	PreferredEmail string         `json:"preferred_email,omitempty"`
}

// usersResponse is the spec's users_response.
type usersResponse struct {
	Code      string       `json:"code"`
	Message   string       `json:"message"`
	Users     []listedUser `json:"users"`
	NextToken string       `json:"next_token,omitempty"`
}

// Page sizes of `GET /api/v1/users`.
const (
	defaultPageSize = 10
	maxPageSize     = 500
)

// listUsers handles `GET /api/v1/users`.
func (s *Server) listUsers(c *call) reply {
	query := c.req.URL.Query()
	for _, name := range []string{"has_organization", "active_since"} {
		if query.Has(name) {
			return notModelled(c, "query parameter "+name)
		}
	}
	expand, answer, ok := parseExpand(c, query)
	if !ok {
		return answer
	}
	pageSize := defaultPageSize
	if raw := query.Get("page_size"); raw != "" {
		pageSize, _ = strconv.Atoi(raw) // an integer: checked against the spec
		pageSize = min(max(pageSize, 1), maxPageSize)
	}
	offset := 0
	if token := query.Get("next_token"); token != "" {
		parsed, err := strconv.Atoi(strings.TrimPrefix(token, "offset-"))
		if !strings.HasPrefix(token, "offset-") || err != nil || parsed < 0 {
			return badRequest(c, "INVALID_PARAMETER", `query parameter "next_token" is not a token this server issued`)
		}
		offset = parsed
	}
	filters := map[string][]string{}
	for param, kind := range map[string]string{"email": "email", "phone": "phone", "username": "username", "user_id": "id"} {
		if raw := query.Get(param); raw != "" {
			filters[kind] = splitList(raw)
		}
	}

	s.mu.Lock()
	var matched []User
	for _, u := range s.store.all() {
		if matchesFilters(u, filters) {
			matched = append(matched, u)
		}
	}
	s.mu.Unlock()

	response := usersResponse{Code: "OK", Message: "Success", Users: []listedUser{}}
	for i := offset; i < len(matched) && i < offset+pageSize; i++ {
		response.Users = append(response.Users, listed(matched[i], expand, false))
	}
	if offset+pageSize < len(matched) {
		response.NextToken = "offset-" + strconv.Itoa(offset+pageSize)
	}
	return jsonReply(http.StatusOK, response)
}

// getUser handles `GET /api/v1/user?id=`.
func (s *Server) getUser(c *call) reply {
	query := c.req.URL.Query()
	expand, answer, ok := parseExpand(c, query)
	if !ok {
		return answer
	}
	s.mu.Lock()
	found := s.store.byID(query.Get("id"))
	var user User
	if found != nil {
		user = found.clone()
	}
	s.mu.Unlock()
	if found == nil {
		return userNotFound()
	}
	return jsonReply(http.StatusOK, listed(user, expand, true))
}

// listed shapes u as users_response.users[] or, when single, as the
// spec's user schema (which calls the e-mail preferred_email).
func listed(u User, expand map[string]bool, single bool) listedUser {
	out := listedUser{
		ID:          u.ID,
		ProvidedID:  u.ProvidedID,
		FirstName:   u.GivenName,
		LastName:    u.FamilyName,
		Picture:     u.Picture,
		CreatedOn:   u.CreatedOn.UTC().Format(time.RFC3339Nano),
		IsSuspended: false,
	}
	if single {
		out.PreferredEmail = u.Email()
	} else {
		out.Email = u.Email()
	}
	for _, identity := range u.Identities {
		switch {
		case identity.Type == "phone" && out.Phone == "":
			out.Phone = identity.Value
		case identity.Type == "username" && out.Username == "":
			out.Username = identity.Value
		}
		if expand["identities"] {
			out.Identities = append(out.Identities, userIdentity{Type: identity.Type, Identity: identity.Value})
		}
	}
	if expand["organizations"] {
		out.Organizations = []string{}
	}
	return out
}

// parseExpand reads the `expand` parameter: a comma-separated subset of
// organizations, identities, billing (the last is not modelled).
func parseExpand(c *call, query url.Values) (map[string]bool, reply, bool) {
	expand := map[string]bool{}
	raw := query.Get("expand")
	if raw == "" {
		return expand, reply{}, true
	}
	for _, name := range splitList(raw) {
		switch name {
		case "organizations", "identities":
			expand[name] = true
		case "billing":
			return nil, notModelled(c, "expand=billing"), false
		default:
			answer := badRequest(c, "INVALID_PARAMETER", fmt.Sprintf(`query parameter "expand": %q is not one of organizations, identities, billing`, name))
			return nil, answer, false
		}
	}
	return expand, reply{}, true
}

// splitList splits a comma-separated parameter, dropping blanks.
func splitList(raw string) []string {
	var items []string
	for _, item := range strings.Split(raw, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}

// matchesFilters reports whether u passes every filter (kind → values).
func matchesFilters(u User, filters map[string][]string) bool {
	for kind, values := range filters {
		if kind == "id" {
			found := false
			for _, id := range values {
				found = found || u.ID == id
			}
			if !found {
				return false
			}
			continue
		}
		if !u.hasIdentity(kind, values) {
			return false
		}
	}
	return true
}

// badRequest answers 400 and records the request as a violation: the
// spec's descriptions forbid it even where its schemas cannot say so.
func badRequest(c *call, code, message string) reply {
	c.violate(RequestViolation, message)
	return errorsReply(http.StatusBadRequest, problem{Code: code, Message: message})
}

// userNotFound answers an unknown user id. Kinde's status for this is not
// documented; the spec lists 400 as the only client error besides 403/429.
func userNotFound() reply {
	return errorsReply(http.StatusBadRequest, problem{Code: "USER_NOT_FOUND", Message: "no user has this id"})
}
