package kindeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// problem is one thing wrong with a request, as reported in the
// `{errors:[{code, message}]}` body and in a Violation.
type problem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// validationOptions are kin-openapi's options for both directions. The
// bearer token is checked before validation, so security is a no-op here;
// error details (which would quote values) are left out.
func validationOptions() *openapi3filter.Options {
	return &openapi3filter.Options{
		MultiError:                        true,
		RejectWhenRequestBodyNotSpecified: true,
		IncludeResponseStatus:             true,
		SkipSettingDefaults:               true,
		AuthenticationFunc:                openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions:           []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()},
	}
}

// requestInput builds kin-openapi's view of a request whose body was read.
func requestInput(r *http.Request, body []byte, route *routers.Route, params map[string]string) *openapi3filter.RequestValidationInput {
	clone := r.Clone(r.Context())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	clone.ContentLength = int64(len(body))
	return &openapi3filter.RequestValidationInput{
		Request:    clone,
		PathParams: params,
		Route:      route,
		Options:    validationOptions(),
	}
}

// validateRequest lists what the spec forbids in a request: kin-openapi's
// findings, then (when strict) fields and query parameters the spec does
// not name.
func validateRequest(ctx context.Context, input *openapi3filter.RequestValidationInput, body []byte, strict bool) []problem {
	var problems []problem
	if err := openapi3filter.ValidateRequest(ctx, input); err != nil {
		problems = append(problems, describeValidationError(err)...)
	}
	if !strict {
		return problems
	}
	problems = append(problems, unknownQueryParameters(input.Route, input.Request.URL.Query())...)
	if len(body) > 0 && len(problems) == 0 {
		if schema := requestBodySchema(input.Route.Operation); schema != nil {
			var value any
			if json.Unmarshal(body, &value) == nil {
				problems = append(problems, unknownFields(schema, value, "")...)
			}
		}
	}
	return problems
}

// describeValidationError flattens a kin-openapi error into problems.
func describeValidationError(err error) []problem {
	// A RequestError unwraps to its cause, which may be a MultiError: match
	// the MultiError only at the top, not through errors.As.
	if multi, ok := err.(openapi3.MultiError); ok {
		var problems []problem
		for _, inner := range multi {
			problems = append(problems, describeValidationError(inner)...)
		}
		return problems
	}
	var requestErr *openapi3filter.RequestError
	if !errors.As(err, &requestErr) {
		return []problem{{Code: "INVALID_REQUEST", Message: err.Error()}}
	}
	switch {
	case requestErr.Parameter != nil:
		code := "INVALID_PARAMETER"
		if errors.Is(requestErr.Err, openapi3filter.ErrInvalidRequired) {
			code = "MISSING_PARAMETER"
		}
		return []problem{{Code: code, Message: requestErr.Error()}}
	case requestErr.RequestBody != nil:
		if errors.Is(requestErr.Err, openapi3filter.ErrInvalidRequired) {
			return []problem{{Code: "MISSING_BODY", Message: "body: a request body is required"}}
		}
		if schemaProblems := describeSchemaErrors(requestErr.Err); len(schemaProblems) > 0 {
			return schemaProblems
		}
		return []problem{{Code: "INVALID_BODY", Message: requestErr.Error()}}
	default:
		return []problem{{Code: "INVALID_REQUEST", Message: requestErr.Error()}}
	}
}

// describeSchemaErrors turns the schema errors in err into problems named
// by JSON pointer, or returns nil if err holds none.
func describeSchemaErrors(err error) []problem {
	if multi, ok := err.(openapi3.MultiError); ok {
		var problems []problem
		for _, inner := range multi {
			problems = append(problems, describeSchemaErrors(inner)...)
		}
		return problems
	}
	var schemaErr *openapi3.SchemaError
	if !errors.As(err, &schemaErr) {
		return nil
	}
	code := "INVALID_FIELD"
	switch schemaErr.SchemaField {
	case "required":
		code = "MISSING_FIELD"
	case "type":
		code = "INVALID_TYPE"
	case "enum":
		code = "INVALID_VALUE"
	}
	return []problem{{Code: code, Message: bodyLocation(schemaErr.JSONPointer()) + ": " + schemaErr.Reason}}
}

// bodyLocation names a place in the request body.
func bodyLocation(pointer []string) string {
	if len(pointer) == 0 {
		return "body"
	}
	return "body /" + strings.Join(pointer, "/")
}

// requestBodySchema is the JSON schema of an operation's request body.
func requestBodySchema(op *openapi3.Operation) *openapi3.Schema {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	media := op.RequestBody.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		return nil
	}
	return media.Schema.Value
}

// unknownFields lists the object fields of value that schema does not
// name, for objects whose schema lists properties and says nothing about
// additional ones.
func unknownFields(schema *openapi3.Schema, value any, pointer string) []problem {
	if schema == nil || len(schema.AllOf)+len(schema.AnyOf)+len(schema.OneOf) > 0 {
		return nil
	}
	var problems []problem
	switch v := value.(type) {
	case map[string]any:
		open := schema.AdditionalProperties.Has != nil || schema.AdditionalProperties.Schema != nil
		keys := make([]string, 0, len(v))
		for key := range v {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		for _, key := range keys {
			property := schema.Properties[key]
			switch {
			case property != nil:
				problems = append(problems, unknownFields(property.Value, v[key], pointer+"/"+key)...)
			case !open && len(schema.Properties) > 0:
				problems = append(problems, problem{
					Code:    "UNKNOWN_FIELD",
					Message: fmt.Sprintf("body %s/%s: field is not in the spec's schema (Kinde would ignore it)", pointer, key),
				})
			}
		}
	case []any:
		if schema.Items != nil {
			for i, item := range v {
				problems = append(problems, unknownFields(schema.Items.Value, item, fmt.Sprintf("%s/%d", pointer, i))...)
			}
		}
	}
	return problems
}

// unknownQueryParameters lists query parameters the operation does not
// declare.
func unknownQueryParameters(route *routers.Route, query url.Values) []problem {
	var declared []string
	for _, params := range []openapi3.Parameters{route.PathItem.Parameters, route.Operation.Parameters} {
		for _, param := range params {
			if param.Value != nil && param.Value.In == openapi3.ParameterInQuery {
				declared = append(declared, param.Value.Name)
			}
		}
	}
	names := make([]string, 0, len(query))
	for name := range query {
		names = append(names, name)
	}
	sort.Strings(names)
	var problems []problem
	for _, name := range names {
		if !slices.Contains(declared, name) {
			problems = append(problems, problem{
				Code:    "UNKNOWN_PARAMETER",
				Message: fmt.Sprintf("query parameter %q is not declared by the spec (Kinde would ignore it)", name),
			})
		}
	}
	return problems
}

// validateResponse lists what the spec forbids in one of the peer's
// answers.
func validateResponse(ctx context.Context, input *openapi3filter.RequestValidationInput, answer reply) []string {
	responseInput := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 answer.status,
		Header:                 answer.header,
		Options:                validationOptions(),
	}
	responseInput.SetBodyBytes(answer.body)
	err := openapi3filter.ValidateResponse(ctx, responseInput)
	if err == nil {
		return nil
	}
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		messages := make([]string, len(multi))
		for i, inner := range multi {
			messages[i] = fmt.Sprintf("status %d: %v", answer.status, inner)
		}
		return messages
	}
	return []string{fmt.Sprintf("status %d: %v", answer.status, err)}
}
