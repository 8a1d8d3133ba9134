package cognito

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Seeded is what seeding created; the IDs a workflow needs.
type Seeded struct {
	// UserPoolID is the pool's id ("{region}_…").
	UserPoolID string
	// PublicClientID is an app client without a secret.
	PublicClientID string
	// SecretClientID is an app client with a secret (SECRET_HASH needed).
	SecretClientID string
	// ClientSecret is SecretClientID's secret.
	ClientSecret string
	// AccessKeyID and SecretAccessKey belong to an IAM user whose inline policy
	// allows cognito-idp:*.
	AccessKeyID, SecretAccessKey string
}

// iamUserName and the policy name of the seeded IAM user.
const (
	iamUserName   = "kinde-workflow"
	iamPolicyName = "cognito-idp-all"
)

// seeder runs the seeding requests against moto, within its unauthenticated
// budget. moto routes an unsigned request by the credential scope of its
// Authorization header and does not check the signature while the budget
// lasts, so each request names its service and region there.
type seeder struct {
	motoURL string
	config  Config
	client  *http.Client
	out     Seeded
}

// steps lists every seeding request; len(steps) is the unauthenticated budget.
func (s *seeder) steps() []func() error {
	steps := []func() error{
		func() error { return s.iam(url.Values{"Action": {"CreateUser"}, "UserName": {iamUserName}}, nil) },
		func() error {
			policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cognito-idp:*","Resource":"*"}]}`
			return s.iam(url.Values{"Action": {"PutUserPolicy"}, "UserName": {iamUserName}, "PolicyName": {iamPolicyName}, "PolicyDocument": {policy}}, nil)
		},
		func() error {
			var answer struct {
				ID     string `xml:"CreateAccessKeyResult>AccessKey>AccessKeyId"`
				Secret string `xml:"CreateAccessKeyResult>AccessKey>SecretAccessKey"`
			}
			if err := s.iam(url.Values{"Action": {"CreateAccessKey"}, "UserName": {iamUserName}}, &answer); err != nil {
				return err
			}
			s.out.AccessKeyID, s.out.SecretAccessKey = answer.ID, answer.Secret
			return nil
		},
		func() error {
			var answer struct{ UserPool struct{ Id string } }
			err := s.cognito("CreateUserPool", map[string]any{"PoolName": "legacy-users"}, &answer)
			s.out.UserPoolID = answer.UserPool.Id
			return err
		},
		func() error { return s.createClient("workflow-public", false, &s.out.PublicClientID, nil) },
		func() error {
			return s.createClient("workflow-secret", true, &s.out.SecretClientID, &s.out.ClientSecret)
		},
	}
	for _, u := range s.config.Users {
		steps = append(steps, s.userSteps(u)...)
	}
	return steps
}

func (s *seeder) createClient(name string, withSecret bool, id, secret *string) error {
	var answer struct {
		UserPoolClient struct{ ClientId, ClientSecret string }
	}
	err := s.cognito("CreateUserPoolClient", map[string]any{
		"UserPoolId": s.out.UserPoolID, "ClientName": name, "GenerateSecret": withSecret,
		"ExplicitAuthFlows": []string{"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		// Real app clients read every attribute unless restricted; moto puts
		// only the listed ones into ID tokens.
		"ReadAttributes": []string{"email", "email_verified", "given_name", "family_name"},
	}, &answer)
	*id = answer.UserPoolClient.ClientId
	if secret != nil {
		*secret = answer.UserPoolClient.ClientSecret
	}
	return err
}

// userSteps creates u and leaves it in its state.
func (s *seeder) userSteps(u User) []func() error {
	attributes := []map[string]string{}
	add := func(name, value string) {
		if value != "" {
			attributes = append(attributes, map[string]string{"Name": name, "Value": value})
		}
	}
	add("email", u.Email)
	if u.Email != "" {
		add("email_verified", "true")
	}
	add("given_name", u.GivenName)
	add("family_name", u.FamilyName)
	create := map[string]any{"UserPoolId": s.out.UserPoolID, "Username": u.Username, "MessageAction": "SUPPRESS", "UserAttributes": attributes}
	if u.State == ForceChangePassword {
		create["TemporaryPassword"] = u.Password
		return []func() error{func() error {
			create["UserPoolId"] = s.out.UserPoolID
			return s.cognito("AdminCreateUser", create, nil)
		}}
	}
	steps := []func() error{
		func() error {
			create["UserPoolId"] = s.out.UserPoolID
			return s.cognito("AdminCreateUser", create, nil)
		},
		func() error {
			return s.cognito("AdminSetUserPassword", map[string]any{"UserPoolId": s.out.UserPoolID, "Username": u.Username, "Password": u.Password, "Permanent": true}, nil)
		},
	}
	switch u.State {
	case ResetRequired:
		steps = append(steps, func() error {
			return s.cognito("AdminResetUserPassword", map[string]any{"UserPoolId": s.out.UserPoolID, "Username": u.Username}, nil)
		})
	case SMSMFA:
		steps = append(steps, func() error {
			return s.cognito("AdminSetUserMFAPreference", map[string]any{"UserPoolId": s.out.UserPoolID, "Username": u.Username,
				"SMSMfaSettings": map[string]bool{"Enabled": true, "PreferredMfa": true}}, nil)
		})
	}
	return steps
}

func (s *seeder) routing(service string) string {
	return fmt.Sprintf("AWS4-HMAC-SHA256 Credential=seed/20260101/%s/%s/aws4_request, SignedHeaders=host, Signature=unverified-seed", s.config.Region, service)
}

// iam calls an IAM query action and decodes its XML answer into out.
func (s *seeder) iam(params url.Values, out any) error {
	params.Set("Version", "2010-05-08")
	req, err := http.NewRequest(http.MethodPost, s.motoURL+"/", strings.NewReader(params.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", s.routing("iam"))
	body, err := s.do(req, "iam:"+params.Get("Action"))
	if err != nil || out == nil {
		return err
	}
	if err := xml.Unmarshal(body, out); err != nil {
		return fmt.Errorf("seeding iam:%s: decoding %q: %w", params.Get("Action"), body, err)
	}
	return nil
}

// cognito calls a Cognito user-pool action and decodes its JSON answer.
func (s *seeder) cognito(action string, input, out any) error {
	payload, err := json.Marshal(input)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, s.motoURL+"/", bytes.NewReader(payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+action)
	req.Header.Set("Authorization", s.routing("cognito-idp"))
	body, err := s.do(req, "cognito-idp:"+action)
	if err != nil || out == nil {
		return err
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("seeding cognito-idp:%s: decoding %q: %w", action, body, err)
	}
	return nil
}

func (s *seeder) do(req *http.Request, what string) ([]byte, error) {
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("seeding %s: %w", what, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("seeding %s: reading the answer: %w", what, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("seeding %s: moto answered %d: %s", what, resp.StatusCode, body)
	}
	return body, nil
}
