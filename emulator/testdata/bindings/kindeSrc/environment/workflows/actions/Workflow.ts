// Calls every action binding once.
declare const kinde: any;

export const workflowSettings = {
  id: "actions",
  trigger: "user:pre_mfa",
  bindings: {
    "kinde.widget": {},
    "kinde.auth": {},
    "kinde.idToken": {},
    "kinde.accessToken": {},
    "kinde.m2mToken": {},
    "kinde.mfa": {},
    "kinde.plan": {},
    "kinde.localization": {},
  },
};

export default async function actions() {
  kinde.widget.invalidateFormField("p_password", "Wrong password");
  kinde.auth.denyAccess("Legacy account locked");
  kinde.idToken.setCustomClaim("legacy_id", "u-42");
  kinde.accessToken.setCustomClaim("roles", ["admin", "dev"]);
  kinde.accessToken.setCustomClaim("level", 3);
  kinde.m2mToken.setCustomClaim("tenant", { id: 7 });
  kinde.mfa.setEnforcementPolicy("required");
  kinde.plan.denySelection("Plan not available", { reason: "region" });
  kinde.plan.denyCancellation("Contract runs until June");
  let bad = "";
  try {
    kinde.widget.invalidateFormField(42);
  } catch (e: any) {
    bad = e.message;
  }
  return {
    accessClaims: kinde.accessToken.getCustomClaims(),
    idClaims: kinde.idToken.getCustomClaims(),
    greeting: kinde.localization.get("greeting"),
    missing: kinde.localization.get("nope"),
    bad,
  };
}
