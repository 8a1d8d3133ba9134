package kindeapi

import (
	"encoding/json"
	"net/http"
	"strings"
)

// setPasswordRequest is the body of `PUT /api/v1/users/{user_id}/password`;
// pointers tell absent fields from empty ones.
type setPasswordRequest struct {
	HashedPassword      string  `json:"hashed_password"`
	HashingMethod       *string `json:"hashing_method"`
	Salt                *string `json:"salt"`
	SaltPosition        *string `json:"salt_position"`
	Iterations          *int    `json:"iterations"`
	Variant             *string `json:"variant"`
	SignerKey           *string `json:"signer_key"`
	SaltSeparator       *string `json:"salt_separator"`
	Rounds              *int    `json:"rounds"`
	MemCost             *int    `json:"mem_cost"`
	IsTemporaryPassword *bool   `json:"is_temporary_password"`
}

// successResponse is the spec's success_response.
type successResponse struct {
	Message string `json:"message"`
	Code    string `json:"code"`
}

// setUserPassword handles `PUT /api/v1/users/{user_id}/password`.
func (s *Server) setUserPassword(c *call) reply {
	var request setPasswordRequest
	if err := json.Unmarshal(c.body, &request); err != nil {
		return badRequest(c, "INVALID_BODY", "body: "+err.Error())
	}
	if p, bad := passwordRuleBroken(request); bad {
		return badRequest(c, p.Code, p.Message)
	}
	password := Password{
		Hash:          NewSecret(request.HashedPassword),
		HashingMethod: valueOr(request.HashingMethod, "bcrypt"),
		Salt:          NewSecret(valueOr(request.Salt, "")),
		SaltPosition:  valueOr(request.SaltPosition, ""),
		Iterations:    valueOr(request.Iterations, 0),
		Variant:       valueOr(request.Variant, ""),
		SignerKey:     NewSecret(valueOr(request.SignerKey, "")),
		SaltSeparator: NewSecret(valueOr(request.SaltSeparator, "")),
		Rounds:        valueOr(request.Rounds, 0),
		MemCost:       valueOr(request.MemCost, 0),
		IsTemporary:   valueOr(request.IsTemporaryPassword, false),
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	user := s.store.byID(c.pathParams["user_id"])
	if user == nil {
		return userNotFound()
	}
	user.Password = &password
	user.PasswordSets++
	return jsonReply(http.StatusOK, successResponse{Message: "Success", Code: "OK"})
}

// passwordRuleBroken checks the rules the spec states in its field
// descriptions (which its schema cannot express) and returns the first
// one broken.
func passwordRuleBroken(r setPasswordRequest) (problem, bool) {
	method := valueOr(r.HashingMethod, "bcrypt")
	missing := func(field string) (problem, bool) {
		return problem{Code: "MISSING_FIELD", Message: "body: " + field + " is required for hashing_method " + method}, true
	}
	rejected := func(field string) (problem, bool) {
		return problem{Code: "INVALID_FIELD", Message: "body /" + field + ": not allowed with hashing_method " + method}, true
	}
	if strings.TrimSpace(r.HashedPassword) == "" {
		return problem{Code: "INVALID_FIELD", Message: "body /hashed_password: must not be empty"}, true
	}
	firebaseOnly := map[string]bool{
		"signer_key": r.SignerKey != nil, "salt_separator": r.SaltSeparator != nil,
		"rounds": r.Rounds != nil, "mem_cost": r.MemCost != nil,
	}
	switch method {
	case "pbkdf2":
		if r.Salt == nil {
			return missing("salt")
		}
		if r.Variant == nil {
			return missing("variant")
		}
	case "firebase-scrypt":
		for _, field := range []string{"salt", "signer_key", "salt_separator", "rounds", "mem_cost"} {
			if field == "salt" && r.Salt == nil || field != "salt" && !firebaseOnly[field] {
				return missing(field)
			}
		}
		if r.Iterations != nil {
			return rejected("iterations")
		}
		if r.Variant != nil {
			return rejected("variant")
		}
		if *r.Rounds < 1 || *r.Rounds > 16 {
			return problem{Code: "INVALID_FIELD", Message: "body /rounds: must be 1-16"}, true
		}
		if *r.MemCost < 1 || *r.MemCost > 20 {
			return problem{Code: "INVALID_FIELD", Message: "body /mem_cost: must be 1-20"}, true
		}
		return problem{}, false
	case "aspnet-identity-v2":
		embedded := []struct {
			field   string
			present bool
		}{{"salt", r.Salt != nil}, {"salt_position", r.SaltPosition != nil}, {"iterations", r.Iterations != nil}, {"variant", r.Variant != nil}}
		for _, e := range embedded {
			if e.present {
				return rejected(e.field)
			}
		}
	}
	for _, field := range []string{"signer_key", "salt_separator", "rounds", "mem_cost"} {
		if firebaseOnly[field] {
			return rejected(field)
		}
	}
	return problem{}, false
}

// valueOr dereferences p, or returns fallback when p is nil.
func valueOr[T any](p *T, fallback T) T {
	if p == nil {
		return fallback
	}
	return *p
}
