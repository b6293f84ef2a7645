// Every /auth/v1 endpoint auth-js calls, in one table.

import { logout } from "./handlers/logout.ts";
import { health, jwks, settings } from "./handlers/settings.ts";
import { signup } from "./handlers/signup.ts";
import { token } from "./handlers/token.ts";
import { getUser, reauthenticate, updateUser } from "./handlers/user.ts";
import type { Route } from "./router.ts";

export const authRoutes: Route[] = [
  { method: "GET", path: "/health", handler: health },
  { method: "GET", path: "/settings", handler: settings },
  { method: "GET", path: "/.well-known/jwks.json", handler: jwks },
  { method: "POST", path: "/signup", handler: signup },
  { method: "POST", path: "/token", handler: token },
  { method: "GET", path: "/user", handler: getUser },
  { method: "PUT", path: "/user", handler: updateUser },
  { method: "GET", path: "/reauthenticate", handler: reauthenticate },
  { method: "POST", path: "/logout", handler: logout },
];
