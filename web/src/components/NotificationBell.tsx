// The bell in the top bar: a link to the notifications page with the live unread count.
import { useNotificationsLive, useSession, useUnreadNotificationCount } from "@basekit/client-sdk/react";
import { Link } from "@tanstack/react-router";

export function NotificationBell() {
  const { session } = useSession();
  useNotificationsLive(session?.user.id);
  const unread = useUnreadNotificationCount().data ?? 0;
  const label = unread === 0 ? "Notifications" : `Notifications, ${unread} unread`;
  return (
    <Link to="/notifications" className="bell" aria-label={label} data-testid="notification-bell" data-unread={unread}>
      <span aria-hidden="true">🔔</span>
      {unread > 0 ? (
        <span className="bell-count" aria-hidden="true">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </Link>
  );
}
