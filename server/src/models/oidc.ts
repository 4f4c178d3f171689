/**
 * Sign-ins through the provincial identity platform in progress (services/oidc.ts): one document
 * per `GET /auth/oidc/login`, found again by the `state` the provider sends back, used once.
 */
import { Schema } from 'mongoose';

export interface OidcLoginDoc {
  _id: string; // sha256 of `state`; the state itself is never stored
  /** sha256 of the random value in the browser's `lianban_oidc` cookie: the callback must come from the browser that started. */
  binding: string;
  /** PKCE code verifier (RFC 7636) and the ID token's expected nonce. */
  codeVerifier: string;
  nonce: string;
  tenant: string;
  /** Same-origin path to go to once signed in. */
  next: string;
  redirectUri: string;
  createdAt: Date;
  /** A TTL index removes unfinished sign-ins (10 minutes). */
  expiresAt: Date;
}

export const oidcLoginSchema = new Schema<OidcLoginDoc>({
  _id: { type: String, required: true },
  binding: { type: String, required: true },
  codeVerifier: { type: String, required: true },
  nonce: { type: String, required: true },
  tenant: { type: String, required: true },
  next: { type: String, required: true },
  redirectUri: { type: String, required: true },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
}, { versionKey: false });
oidcLoginSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
