// GET /settings, GET /health and GET /.well-known/jwks.json: what auth-js and dashboards read
// about the instance.
import { json } from "../../gateway/types.ts";
import type { AuthHandler } from "../auth-context.ts";

export const AUTH_VERSION = "v2.196.0";

export const settings: AuthHandler = async (ctx) => {
  const { settings: s } = ctx;
  return json(200, {
    external: {
      anonymous_users: s.anonymousSignIns,
      apple: false,
      azure: false,
      bitbucket: false,
      discord: false,
      facebook: false,
      figma: false,
      fly: false,
      github: false,
      gitlab: false,
      google: false,
      keycloak: false,
      kakao: false,
      linkedin_oidc: false,
      notion: false,
      spotify: false,
      slack_oidc: false,
      workos: false,
      twitch: false,
      twitter: false,
      x: false,
      email: s.email.enableSignup,
      phone: s.sms.enableSignup,
      zoom: false,
    },
    disable_signup: !s.enableSignup,
    mailer_autoconfirm: s.email.autoconfirm,
    phone_autoconfirm: false,
    sms_provider: "",
    saml_enabled: false,
  });
};

export const health: AuthHandler = async () =>
  json(200, { version: AUTH_VERSION, name: "GoTrue", description: "GoTrue is a user registration and authentication API" });

// The public halves of `[auth] signing_keys_path`, which auth-js's getClaims() verifies against.
// Without signing keys tokens are HS256 with the secret, which is never published: the set is
// empty and getClaims() falls back to GET /user, as against an HS256 Supabase project.
export const jwks: AuthHandler = async (ctx) =>
  json(200, { keys: ctx.settings.signingKeys?.publicJwks ?? [] }, { "cache-control": "public, max-age=600" });
