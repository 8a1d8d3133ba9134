package legacyapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// maxBodyBytes bounds request bodies.
const maxBodyBytes = 64 << 10

// credentials is the request body of the contract.
type credentials struct {
	Email    string
	Password string
}

// verdict is the answer body of the contract.
type verdict struct {
	Result     Result `json:"result"`
	GivenName  string `json:"given_name,omitempty"`
	FamilyName string `json:"family_name,omitempty"`
}

func (s *Server) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != s.path {
			s.refuse(w, http.StatusNotFound, fmt.Sprintf("%s %s: no such endpoint (the endpoint is %s)", r.Method, r.URL.Path, s.path))
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			s.refuse(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s %s: only POST is served", r.Method, r.URL.Path))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
		if err != nil {
			s.refuse(w, http.StatusBadRequest, fmt.Sprintf("body could not be read (limit %d bytes)", maxBodyBytes))
			return
		}
		plaintext, encrypted, problem := s.open(r.Header.Get("Content-Type"), body)
		if problem != "" {
			s.refuse(w, http.StatusBadRequest, problem)
			return
		}
		creds, problem := parseCredentials(plaintext)
		if problem != "" {
			s.refuse(w, http.StatusBadRequest, problem)
			return
		}
		answer := s.check(creds, encrypted)
		writeJSON(w, answer.Result.Status(), answer)
	})
}

// open returns the JSON the workflow meant to send: the body itself, or,
// when a key is configured, the body decrypted.
func (s *Server) open(contentType string, body []byte) (plaintext []byte, encrypted bool, problem string) {
	if s.key == nil {
		mediaType, _, _ := mime.ParseMediaType(contentType)
		if mediaType != "application/json" {
			return nil, false, fmt.Sprintf("Content-Type %q: want application/json", contentType)
		}
		return body, false, ""
	}
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '{' {
		return nil, false, "plaintext JSON body, but this endpoint expects a kinde.secureFetch (encrypted) body"
	}
	opened, err := Decrypt(s.key, string(body))
	if err != nil {
		return nil, false, "secureFetch body: " + err.Error()
	}
	return opened, true, ""
}

// parseCredentials checks the body is exactly {"email", "password"} with
// string values. Problems name fields, never values.
func parseCredentials(body []byte) (credentials, string) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return credentials{}, "body is not a JSON object"
	}
	var creds credentials
	for name, raw := range fields {
		var target *string
		switch name {
		case "email":
			target = &creds.Email
		case "password":
			target = &creds.Password
		default:
			return credentials{}, fmt.Sprintf("body has field %q; the contract allows only email and password", name)
		}
		if err := json.Unmarshal(raw, target); err != nil {
			return credentials{}, fmt.Sprintf("body field %q is not a string", name)
		}
	}
	switch {
	case fields["email"] == nil:
		return credentials{}, `body lacks field "email"`
	case fields["password"] == nil:
		return credentials{}, `body lacks field "password"`
	case strings.TrimSpace(creds.Email) == "":
		return credentials{}, `body field "email" is empty`
	}
	return creds, ""
}

// check judges the credentials and records the attempt.
func (s *Server) check(creds credentials, encrypted bool) verdict {
	s.mu.Lock()
	defer s.mu.Unlock()
	user, known := s.users[strings.ToLower(strings.TrimSpace(creds.Email))]
	matched := known && user.Password == creds.Password
	answer := verdict{Result: Rejected}
	if matched {
		answer.Result = user.Result
		if user.Result == Verified || user.Result == MFARequired {
			answer.GivenName, answer.FamilyName = user.GivenName, user.FamilyName
		}
	}
	s.attempts = append(s.attempts, Attempt{
		Email: creds.Email, Encrypted: encrypted, KnownUser: known, PasswordMatched: matched, Result: answer.Result,
	})
	return answer
}

// refuse answers a request that breaks the contract and records why.
func (s *Server) refuse(w http.ResponseWriter, status int, problem string) {
	s.mu.Lock()
	s.violations = append(s.violations, problem)
	s.mu.Unlock()
	writeJSON(w, status, map[string]string{"error": "invalid_request", "error_description": problem})
}

func writeJSON(w http.ResponseWriter, status int, value any) {
	body, _ := json.Marshal(value)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
