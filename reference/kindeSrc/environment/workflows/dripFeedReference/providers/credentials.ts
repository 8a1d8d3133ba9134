/** The credentials to check, from the event. */
export interface Credentials {
  /** The e-mail the user entered, trimmed. */
  email: string;
  /** The password the user entered. */
  password: string;
  /** The end user's IP address, when Kinde sends it (Auth0 is told it). */
  ip?: string;
}
