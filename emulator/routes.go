package emulator

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Route sends requests for production hosts to a loopback server.
type Route struct {
	// Host is a host pattern: an exact host ("acme.kinde.com"), "*.suffix"
	// (any host ending in ".suffix", one or more labels before it), or a
	// pattern where "*" stands for exactly one label
	// ("cognito-idp.*.amazonaws.com"). Matching ignores case and the port.
	Host string
	// Target is the base URL requests go to instead, e.g.
	// "http://127.0.0.1:43123". Its scheme, host and port replace the
	// request's; a path, if any, is put in front of the request's path.
	Target string
}

// String renders the route as "PATTERN=TARGET", the CLI's syntax.
func (r Route) String() string { return r.Host + "=" + r.Target }

// ParseRoute reads "PATTERN=URL".
func ParseRoute(s string) (Route, error) {
	host, target, ok := strings.Cut(s, "=")
	if !ok {
		return Route{}, fmt.Errorf("route %q: want PATTERN=URL", s)
	}
	route := Route{Host: host, Target: target}
	if _, err := compileRoutes([]Route{route}); err != nil {
		return Route{}, err
	}
	return route, nil
}

// compiledRoute is a checked Route.
type compiledRoute struct {
	route  Route
	labels []string // lower-cased pattern labels
	suffix bool     // pattern was "*.suffix"
	target *url.URL
}

// compileRoutes checks every route's pattern and target.
func compileRoutes(routes []Route) ([]compiledRoute, error) {
	compiled := make([]compiledRoute, 0, len(routes))
	for _, r := range routes {
		c := compiledRoute{route: r}
		pattern := strings.ToLower(strings.TrimSpace(r.Host))
		if strings.HasPrefix(pattern, "*.") {
			c.suffix = true
			pattern = pattern[2:]
		}
		c.labels = strings.Split(pattern, ".")
		for _, label := range c.labels {
			if label == "" || strings.ContainsAny(label, "/:@ ") || (label != "*" && strings.Contains(label, "*")) {
				return nil, fmt.Errorf("route %q: host pattern must be a host name, *.suffix or have * as whole labels", r.Host)
			}
		}
		target, err := url.Parse(r.Target)
		if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" || target.RawQuery != "" || target.Fragment != "" {
			return nil, fmt.Errorf("route %q: target %q must be an http(s) base URL such as http://127.0.0.1:8080", r.Host, r.Target)
		}
		c.target = target
		compiled = append(compiled, c)
	}
	return compiled, nil
}

// matches reports whether host (no port) fits the pattern.
func (c compiledRoute) matches(host string) bool {
	labels := strings.Split(strings.ToLower(host), ".")
	if c.suffix {
		if len(labels) <= len(c.labels) {
			return false
		}
		labels = labels[len(labels)-len(c.labels):]
	} else if len(labels) != len(c.labels) {
		return false
	}
	for i, want := range c.labels {
		if want != "*" && want != labels[i] {
			return false
		}
	}
	return true
}

// rewrite returns u sent to the route's target.
func (c compiledRoute) rewrite(u *url.URL) *url.URL {
	routed := *u
	routed.Scheme = c.target.Scheme
	routed.Host = c.target.Host
	routed.User = nil
	if prefix := strings.TrimSuffix(c.target.Path, "/"); prefix != "" {
		routed.Path = prefix + u.Path
		if u.RawPath != "" {
			routed.RawPath = prefix + u.RawPath
		}
	}
	return &routed
}

// destination is where a request is actually sent.
type destination struct {
	url   *url.URL // the URL dialled
	route string   // the matching route as "PATTERN=TARGET", "" if direct
}

// resolve decides where a request for rawURL goes: the first matching
// route, or the URL itself when its host is loopback. Anything else fails:
// the emulator does not reach the internet.
func resolve(routes []compiledRoute, rawURL string) (destination, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return destination{}, fmt.Errorf("invalid url %q: %w", rawURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return destination{}, fmt.Errorf("invalid url %q: scheme must be http or https", rawURL)
	}
	host := u.Hostname()
	if host == "" {
		return destination{}, fmt.Errorf("invalid url %q: no host", rawURL)
	}
	for _, c := range routes {
		if c.matches(host) {
			return destination{url: c.rewrite(u), route: c.route.String()}, nil
		}
	}
	if isLoopback(host) {
		return destination{url: u}, nil
	}
	return destination{}, fmt.Errorf("no route for host %s: the emulator does not reach the internet; add a route", host)
}

// isLoopback reports whether host is localhost or a loopback address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Matches reports whether host (without port) fits the route's pattern; an
// invalid pattern matches nothing.
func (r Route) Matches(host string) bool {
	compiled, err := compileRoutes([]Route{r})
	return err == nil && compiled[0].matches(host)
}
