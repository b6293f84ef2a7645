// The notifications page: inbox, unread and archived lists (newest first, more on demand), mark
// read, mark all read, archive.
import type { Notification } from "@basekit/client-sdk";
import {
  type NotificationFilter,
  useArchiveNotifications,
  useMarkAllNotificationsRead,
  useMarkNotificationsRead,
  useNotifications,
} from "@basekit/client-sdk/react";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { ErrorMessage, Loading } from "../../components/Status.tsx";

const FILTERS: { value: NotificationFilter; label: string }[] = [
  { value: "inbox", label: "All" },
  { value: "unread", label: "Unread" },
  { value: "archived", label: "Archived" },
];

export function NotificationsPage() {
  const [filter, setFilter] = useState<NotificationFilter>("inbox");
  const list = useNotifications(filter);
  const markAll = useMarkAllNotificationsRead();
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="page narrow">
      <div className="row spread">
        <h1>Notifications</h1>
        <Link to="/settings/notifications">Notification settings</Link>
      </div>
      <fieldset className="row filters">
        <legend className="visually-hidden">Show</legend>
        {FILTERS.map((option) => (
          <button
            key={option.value}
            type="button"
            className={filter === option.value ? undefined : "secondary"}
            aria-pressed={filter === option.value}
            onClick={() => setFilter(option.value)}
          >
            {option.label}
          </button>
        ))}
        <button type="button" className="secondary" onClick={() => markAll.mutate()} disabled={markAll.isPending}>
          Mark all read
        </button>
      </fieldset>
      <ErrorMessage error={markAll.error ?? list.error} />
      {list.isPending ? <Loading /> : null}
      {list.data && items.length === 0 ? <p className="empty">Nothing here.</p> : null}
      <ul className="notifications" aria-label="Notifications">
        {items.map((notification) => (
          <NotificationItem key={notification.id} notification={notification} />
        ))}
      </ul>
      {list.hasNextPage ? (
        <button type="button" className="secondary" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          Show older
        </button>
      ) : null}
    </div>
  );
}

function NotificationItem({ notification }: { notification: Notification }) {
  const mark = useMarkNotificationsRead();
  const archive = useArchiveNotifications();
  const unread = notification.read_at === null;
  const archived = notification.archived_at !== null;
  const roomId =
    typeof (notification.data as { room_id?: unknown }).room_id === "string" ? (notification.data as { room_id: string }).room_id : null;
  return (
    <li className="notification card" data-testid="notification" data-unread={unread}>
      <h2 className="notification-title">
        {unread ? <span className="visually-hidden">Unread: </span> : null}
        {roomId ? (
          <Link to="/chat/$roomId" params={{ roomId }} onClick={() => unread && mark.mutate({ ids: [notification.id] })}>
            {notification.title}
          </Link>
        ) : (
          notification.title
        )}
      </h2>
      {notification.body ? <p>{notification.body}</p> : null}
      <div className="row">
        <time dateTime={notification.created_at}>{new Date(notification.created_at).toLocaleString()}</time>
        <button type="button" className="secondary" onClick={() => mark.mutate({ ids: [notification.id], read: unread })}>
          {unread ? "Mark read" : "Mark unread"}
        </button>
        <button type="button" className="secondary" onClick={() => archive.mutate({ ids: [notification.id], archived: !archived })}>
          {archived ? "Unarchive" : "Archive"}
        </button>
      </div>
      <ErrorMessage error={mark.error ?? archive.error} />
    </li>
  );
}
