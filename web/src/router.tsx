// The app's routes: signed-out pages at the top level, everything else inside the signed-in shell.
import { createRootRoute, createRoute, createRouter, Link, Outlet } from "@tanstack/react-router";
import { AppShell } from "./components/AppShell.tsx";
import { AdminPage } from "./pages/admin/AdminPage.tsx";
import { ConfirmPage } from "./pages/auth/ConfirmPage.tsx";
import { EmailLinkPage } from "./pages/auth/EmailLinkPage.tsx";
import { MfaChallengePage } from "./pages/auth/MfaChallengePage.tsx";
import { ResetPasswordPage } from "./pages/auth/ResetPasswordPage.tsx";
import { SignInPage } from "./pages/auth/SignInPage.tsx";
import { SignUpPage } from "./pages/auth/SignUpPage.tsx";
import { ChatPage, NoRoomSelected } from "./pages/chat/ChatPage.tsx";
import { RoomPage } from "./pages/chat/RoomPage.tsx";
import { DashboardPage } from "./pages/DashboardPage.tsx";
import { NotificationPreferencesPage } from "./pages/notifications/NotificationPreferencesPage.tsx";
import { NotificationsPage } from "./pages/notifications/NotificationsPage.tsx";
import { ProfilePage } from "./pages/ProfilePage.tsx";
import { SettingsPage } from "./pages/settings/SettingsPage.tsx";
import { UnsubscribePage } from "./pages/UnsubscribePage.tsx";

const rootRoute = createRootRoute({
  component: Outlet,
  notFoundComponent: () => (
    <main id="main" className="page">
      <h1>Page not found</h1>
      <Link to="/">Go to the dashboard</Link>
    </main>
  ),
});

const signInRoute = createRoute({ getParentRoute: () => rootRoute, path: "/sign-in", component: SignInPage });
const signUpRoute = createRoute({ getParentRoute: () => rootRoute, path: "/sign-up", component: SignUpPage });
const magicLinkRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/magic-link",
  component: () => <EmailLinkPage kind="magic-link" />,
});
const forgotRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/forgot-password",
  component: () => <EmailLinkPage kind="reset" />,
});
const resetRoute = createRoute({ getParentRoute: () => rootRoute, path: "/reset-password", component: ResetPasswordPage });
const confirmRoute = createRoute({ getParentRoute: () => rootRoute, path: "/auth/confirm", component: ConfirmPage });
const mfaRoute = createRoute({ getParentRoute: () => rootRoute, path: "/mfa", component: MfaChallengePage });
// Email unsubscribe links work without signing in.
const unsubscribeRoute = createRoute({ getParentRoute: () => rootRoute, path: "/unsubscribe", component: UnsubscribePage });

// Pathless layout: every page below needs a session.
const appRoute = createRoute({ getParentRoute: () => rootRoute, id: "app", component: AppShell });
const dashboardRoute = createRoute({ getParentRoute: () => appRoute, path: "/", component: DashboardPage });
const profileRoute = createRoute({ getParentRoute: () => appRoute, path: "/profile", component: ProfilePage });
const settingsRoute = createRoute({ getParentRoute: () => appRoute, path: "/settings", component: SettingsPage });
const notificationsRoute = createRoute({ getParentRoute: () => appRoute, path: "/notifications", component: NotificationsPage });
const notificationSettingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/settings/notifications",
  component: NotificationPreferencesPage,
});
const adminRoute = createRoute({ getParentRoute: () => appRoute, path: "/admin", component: AdminPage });
const chatRoute = createRoute({ getParentRoute: () => appRoute, path: "/chat", component: ChatPage });
const chatIndexRoute = createRoute({ getParentRoute: () => chatRoute, path: "/", component: NoRoomSelected });
export const roomRoute = createRoute({ getParentRoute: () => chatRoute, path: "$roomId", component: RoomPage });

const routeTree = rootRoute.addChildren([
  signInRoute,
  signUpRoute,
  magicLinkRoute,
  forgotRoute,
  resetRoute,
  confirmRoute,
  mfaRoute,
  unsubscribeRoute,
  appRoute.addChildren([
    dashboardRoute,
    profileRoute,
    settingsRoute,
    notificationsRoute,
    notificationSettingsRoute,
    adminRoute,
    chatRoute.addChildren([chatIndexRoute, roomRoute]),
  ]),
]);

export const router = createRouter({ routeTree, defaultPreload: "intent" });

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
