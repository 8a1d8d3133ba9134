package exchange

import "time"

// Slow delays the answer to call (0: every call) by d; the peer then answers
// normally.
func Slow(call int, d time.Duration) Fault {
	return Fault{Name: "slow", Call: call, Delay: d}
}

// Malformed answers call with 200 and a truncated JSON body.
func Malformed(call int) Fault {
	return Fault{Name: "malformed", Call: call, Status: 200, Header: jsonHeader(), Body: `{"access_token":"eyJ`}
}

// Empty answers call with 200 and an empty body.
func Empty(call int) Fault {
	return Fault{Name: "empty", Call: call, Status: 200, Header: jsonHeader()}
}

// Dropped closes the connection of call without answering.
func Dropped(call int) Fault {
	return Fault{Name: "dropped", Call: call, DropConnection: true}
}

// JSONError answers call with status and a JSON body.
func JSONError(name string, call, status int, body string) Fault {
	return Fault{Name: name, Call: call, Status: status, Header: jsonHeader(), Body: body}
}

func jsonHeader() map[string][]string {
	return map[string][]string{"Content-Type": {"application/json"}}
}
