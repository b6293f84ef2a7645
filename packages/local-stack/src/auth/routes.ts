// Every /auth/v1 endpoint auth-js calls, in one table.
import { generateLink, invite } from "./handlers/admin-links.ts";
import {
  createAdminUser,
  deleteAdminFactor,
  deleteAdminUser,
  getAdminUser,
  listAdminFactors,
  listUsers,
  updateAdminUser,
} from "./handlers/admin-users.ts";
import { manualLinkingDisabled, samlDisabled } from "./handlers/disabled-features.ts";
import { otp, recover, resend } from "./handlers/email-links.ts";
import { challengeFactor, enrollFactor, unenrollFactor, verifyFactor } from "./handlers/factors.ts";
import { logout } from "./handlers/logout.ts";
import { health, jwks, settings } from "./handlers/settings.ts";
import { signup } from "./handlers/signup.ts";
import { token } from "./handlers/token.ts";
import { getUser, reauthenticate, updateUser } from "./handlers/user.ts";
import { verifyGet, verifyPost } from "./handlers/verify.ts";
import type { Route } from "./router.ts";

export const authRoutes: Route[] = [
  { method: "GET", path: "/health", handler: health },
  { method: "GET", path: "/settings", handler: settings },
  { method: "GET", path: "/.well-known/jwks.json", handler: jwks },
  { method: "POST", path: "/signup", handler: signup },
  { method: "POST", path: "/token", handler: token },
  { method: "POST", path: "/otp", handler: otp },
  { method: "POST", path: "/magiclink", handler: otp },
  { method: "POST", path: "/recover", handler: recover },
  { method: "POST", path: "/resend", handler: resend },
  { method: "GET", path: "/verify", handler: verifyGet },
  { method: "POST", path: "/verify", handler: verifyPost },
  { method: "GET", path: "/user", handler: getUser },
  { method: "PUT", path: "/user", handler: updateUser },
  { method: "GET", path: "/reauthenticate", handler: reauthenticate },
  { method: "POST", path: "/logout", handler: logout },
  { method: "GET", path: "/user/identities/authorize", handler: manualLinkingDisabled },
  { method: "DELETE", path: "/user/identities/:id", handler: manualLinkingDisabled },
  { method: "POST", path: "/sso", handler: samlDisabled },
  { method: "GET", path: "/sso/saml/metadata", handler: samlDisabled },
  { method: "POST", path: "/sso/saml/acs", handler: samlDisabled },
  { method: "POST", path: "/factors", handler: enrollFactor },
  { method: "POST", path: "/factors/:id/challenge", handler: challengeFactor },
  { method: "POST", path: "/factors/:id/verify", handler: verifyFactor },
  { method: "DELETE", path: "/factors/:id", handler: unenrollFactor },
  { method: "POST", path: "/invite", handler: invite },
  { method: "POST", path: "/admin/generate_link", handler: generateLink },
  { method: "GET", path: "/admin/users", handler: listUsers },
  { method: "POST", path: "/admin/users", handler: createAdminUser },
  { method: "GET", path: "/admin/users/:id", handler: getAdminUser },
  { method: "PUT", path: "/admin/users/:id", handler: updateAdminUser },
  { method: "DELETE", path: "/admin/users/:id", handler: deleteAdminUser },
  { method: "GET", path: "/admin/users/:id/factors", handler: listAdminFactors },
  { method: "DELETE", path: "/admin/users/:id/factors/:factorId", handler: deleteAdminFactor },
];
