// The legacy identity providers, chosen by LEGACY_PROVIDER.

import { invalid, required } from "../config";
import type { Verdict } from "../verdict";
import { checkAuth0, loadAuth0 } from "./auth0";
import { checkAzureB2c, loadAzureB2c } from "./azureB2c";
import { checkCognito, loadCognito } from "./cognito";
import type { Credentials } from "./credentials";
import { checkGeneric, loadGeneric } from "./generic";

export type { Credentials } from "./credentials";

export const PROVIDER_VAR = "LEGACY_PROVIDER";

/** A configured provider: its name (for log lines) and its password check. */
export interface Provider {
  name: "generic" | "auth0" | "cognito" | "azure_b2c";
  check(credentials: Credentials): Promise<Verdict>;
}

/** Reads LEGACY_PROVIDER (required, as in crates/drip-feed) and the chosen provider's variables. */
export function loadProvider(): Provider {
  const name = required(PROVIDER_VAR);
  switch (name) {
    case "generic": {
      const config = loadGeneric();
      return { name, check: (credentials) => checkGeneric(config, credentials) };
    }
    case "auth0": {
      const config = loadAuth0();
      return { name, check: (credentials) => checkAuth0(config, credentials) };
    }
    case "cognito": {
      const config = loadCognito();
      return { name, check: (credentials) => checkCognito(config, credentials) };
    }
    case "azure_b2c": {
      const config = loadAzureB2c();
      return { name, check: (credentials) => checkAzureB2c(config, credentials) };
    }
    default:
      throw invalid(PROVIDER_VAR, "expected `generic`, `auth0`, `cognito` or `azure_b2c`");
  }
}
