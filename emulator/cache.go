package emulator

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"

	"kindewasm/emulator/internal/kinderuntime"
)

// tokenCache is kinde.cache's store: JWTs by key, shared by every run of a
// Project, as Kinde's cache outlives one execution.
type tokenCache struct {
	mu     sync.Mutex
	tokens map[string]string
}

func (c *tokenCache) get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	token, ok := c.tokens[key]
	return token, ok
}

func (c *tokenCache) set(key, token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tokens == nil {
		c.tokens = map[string]string{}
	}
	c.tokens[key] = token
}

func (c *tokenCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tokens = nil
}

// ClearTokenCache empties kinde.cache (as a fresh Kinde environment).
func (p *Project) ClearTokenCache() { p.tokens.clear() }

// CachedToken returns the token kinde.cache holds for key.
func (p *Project) CachedToken(key string) (string, bool) { return p.tokens.get(key) }

// SetCachedToken puts a token into kinde.cache, e.g. to test how a
// workflow handles a stale one.
func (p *Project) SetCachedToken(key, token string) { p.tokens.set(key, token) }

// jwtTokenCall is a parsed kinde.cache.jwtToken(key, options) call.
type jwtTokenCall struct {
	key       string
	jwksURL   string
	onMissing goja.Callable
}

// jwtTokenBinding implements kinde.cache.jwtToken(key, {validation: {key:
// {type: "jwks", jwks: {url}}}, onMissingOrExpired}). A cached token that
// has not expired and whose RS256 signature checks out against the JWKS
// is returned as is; otherwise onMissingOrExpired() is called and what it
// returns (a JWT string, or a Promise of one) is cached and returned.
// Tokens it hands out are masked in the run's record from then on.
func (p *Project) jwtTokenBinding(ctx context.Context, vm *goja.Runtime, _ kinderuntime.BindingSettings, fc goja.FunctionCall) goja.Value {
	run, err := runStateOf(ctx)
	if err != nil {
		panic(vm.NewGoError(err))
	}
	run.clock.enter()
	defer run.clock.exit()
	call, err := parseJWTTokenCall(fc)
	if err != nil {
		panic(vm.NewGoError(err))
	}
	lookup := CacheLookup{Key: call.key, JWKSURL: call.jwksURL, Result: "missing"}
	if token, ok := p.tokens.get(call.key); ok {
		lookup.Result = run.checkToken(ctx, token, call.jwksURL)
		if lookup.Result == "hit" {
			run.redact.add(token)
			run.addLookup(lookup)
			return vm.ToValue(token)
		}
	}
	index := run.addLookup(lookup)

	depth := run.clock.suspend()
	value, err := call.onMissing(goja.Undefined())
	run.clock.resume(depth)
	if err != nil {
		run.updateLookup(index, func(l *CacheLookup) { l.Error = run.redact.text(err.Error()) })
		panic(err)
	}
	store := func(value goja.Value) goja.Value {
		token, ok := value.Export().(string)
		if !ok {
			err := fmt.Errorf("kinde.cache.jwtToken: onMissingOrExpired must return a JWT string, got %s", jsType(value.Export()))
			run.updateLookup(index, func(l *CacheLookup) { l.Error = err.Error() })
			panic(vm.NewGoError(err))
		}
		p.tokens.set(call.key, token)
		run.redact.add(token)
		run.updateLookup(index, func(l *CacheLookup) { l.Refreshed = true })
		return value
	}
	if _, ok := value.Export().(*goja.Promise); ok {
		return chainPromise(vm, value, store, func(reason goja.Value) {
			run.updateLookup(index, func(l *CacheLookup) { l.Error = run.redact.text(reason.String()) })
		})
	}
	return store(value)
}

// chainPromise returns promise.then(onFulfilled, reason => {onRejected(reason); throw reason}).
func chainPromise(vm *goja.Runtime, value goja.Value, onFulfilled func(goja.Value) goja.Value, onRejected func(goja.Value)) goja.Value {
	then, ok := goja.AssertFunction(value.ToObject(vm).Get("then"))
	if !ok {
		panic(vm.NewTypeError("kinde.cache.jwtToken: onMissingOrExpired returned a Promise without then"))
	}
	fulfilled := vm.ToValue(func(fc goja.FunctionCall) goja.Value { return onFulfilled(fc.Argument(0)) })
	rejected := vm.ToValue(func(fc goja.FunctionCall) goja.Value {
		onRejected(fc.Argument(0))
		panic(fc.Argument(0))
	})
	chained, err := then(value, fulfilled, rejected)
	if err != nil {
		panic(err)
	}
	return chained
}

// parseJWTTokenCall checks the arguments of kinde.cache.jwtToken.
func parseJWTTokenCall(fc goja.FunctionCall) (jwtTokenCall, error) {
	const name = "kinde.cache.jwtToken"
	key, ok := fc.Argument(0).Export().(string)
	if !ok || key == "" {
		return jwtTokenCall{}, fmt.Errorf("%s: key (argument 1) must be a non-empty string", name)
	}
	options, ok := fc.Argument(1).(*goja.Object)
	if !ok {
		return jwtTokenCall{}, fmt.Errorf("%s: options (argument 2) must be an object", name)
	}
	onMissing, ok := goja.AssertFunction(options.Get("onMissingOrExpired"))
	if !ok {
		return jwtTokenCall{}, fmt.Errorf("%s: options.onMissingOrExpired must be a function", name)
	}
	validation, _ := options.Get("validation").Export().(map[string]any)
	keySpec, _ := validation["key"].(map[string]any)
	if keyType, _ := keySpec["type"].(string); keyType != "jwks" {
		return jwtTokenCall{}, fmt.Errorf("%s: options.validation.key.type must be \"jwks\", got %v", name, keySpec["type"])
	}
	jwks, _ := keySpec["jwks"].(map[string]any)
	url, _ := jwks["url"].(string)
	if url == "" {
		return jwtTokenCall{}, fmt.Errorf("%s: options.validation.key.jwks.url must be a non-empty string", name)
	}
	return jwtTokenCall{key: key, jwksURL: url, onMissing: onMissing}, nil
}

// checkToken returns "hit" when token has not expired and its RS256
// signature verifies against the JWKS at jwksURL, else "expired" or
// "invalid: <reason>". The JWKS is fetched through the run's routes.
func (s *runState) checkToken(ctx context.Context, token, jwksURL string) string {
	header, claims, signed, signature, err := splitJWT(token)
	if err != nil {
		return "invalid: " + err.Error()
	}
	exp, ok := claims["exp"].(float64)
	if !ok {
		return "invalid: no exp claim"
	}
	if time.Now().After(time.Unix(int64(exp), 0)) {
		return "expired"
	}
	if header.Alg != "RS256" {
		return fmt.Sprintf("invalid: alg %q is not RS256", header.Alg)
	}
	keys, err := s.fetchJWKS(ctx, jwksURL)
	if err != nil {
		return "invalid: jwks: " + err.Error()
	}
	digest := sha256.Sum256([]byte(signed))
	for _, key := range keys {
		if header.Kid != "" && key.kid != "" && key.kid != header.Kid {
			continue
		}
		if rsa.VerifyPKCS1v15(key.public, crypto.SHA256, digest[:], signature) == nil {
			return "hit"
		}
	}
	return "invalid: signature does not match the JWKS"
}

// jwtHeader is the part of a JWT header the check reads.
type jwtHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
}

// splitJWT decodes a compact JWS: header, claims, the signed part and the
// signature.
func splitJWT(token string) (jwtHeader, map[string]any, string, []byte, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return jwtHeader{}, nil, "", nil, fmt.Errorf("not a JWT (want 3 dot-separated parts, got %d)", len(parts))
	}
	var header jwtHeader
	if err := decodeSegment(parts[0], &header); err != nil {
		return jwtHeader{}, nil, "", nil, fmt.Errorf("header: %w", err)
	}
	var claims map[string]any
	if err := decodeSegment(parts[1], &claims); err != nil {
		return jwtHeader{}, nil, "", nil, fmt.Errorf("claims: %w", err)
	}
	signature, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return jwtHeader{}, nil, "", nil, fmt.Errorf("signature is not base64url")
	}
	return header, claims, parts[0] + "." + parts[1], signature, nil
}

func decodeSegment(segment string, v any) error {
	data, err := base64.RawURLEncoding.DecodeString(segment)
	if err != nil {
		return fmt.Errorf("not base64url")
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("not a JSON object")
	}
	return nil
}

// jwk is one usable RSA key of a JWKS.
type jwk struct {
	kid    string
	public *rsa.PublicKey
}

// fetchJWKS GETs a JWKS and returns its RSA keys.
func (s *runState) fetchJWKS(ctx context.Context, jwksURL string) ([]jwk, error) {
	dest, err := resolve(s.routes, jwksURL)
	if err != nil {
		return nil, err
	}
	answer, err := s.send(ctx, fetchRequest{method: http.MethodGet, url: jwksURL, headers: http.Header{"Accept": {"application/json"}}}, dest)
	if err != nil {
		return nil, err
	}
	if !isSuccess(answer.status) {
		return nil, fmt.Errorf("HTTP %d from %s", answer.status, jwksURL)
	}
	var set struct {
		Keys []struct {
			Kty string `json:"kty"`
			Kid string `json:"kid"`
			N   string `json:"n"`
			E   string `json:"e"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(answer.body, &set); err != nil {
		return nil, fmt.Errorf("%s is not a JWKS: %w", jwksURL, err)
	}
	var keys []jwk
	for _, k := range set.Keys {
		if k.Kty != "RSA" {
			continue
		}
		n, errN := base64.RawURLEncoding.DecodeString(k.N)
		e, errE := base64.RawURLEncoding.DecodeString(k.E)
		if errN != nil || errE != nil || len(e) == 0 || len(e) > 4 {
			return nil, fmt.Errorf("key %q has an invalid n or e", k.Kid)
		}
		exponent := int(new(big.Int).SetBytes(e).Int64())
		keys = append(keys, jwk{kid: k.Kid, public: &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: exponent}})
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s has no RSA keys", jwksURL)
	}
	return keys, nil
}
