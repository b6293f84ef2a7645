// Service worker side of Web Push: show what the processor sends ({title, body, url, type}) and
// open its page on click. Call `handlePushEvents(self)` from the app's service worker.

/** The payload the notification processor pushes (see supabase/functions/_shared/notifications). */
export interface PushPayload {
  title?: string;
  body?: string;
  url?: string;
  type?: string;
}

interface PushEventLike {
  data: { json(): unknown } | null;
  waitUntil(work: Promise<unknown>): void;
}
interface NotificationClickLike {
  notification: { data?: unknown; close(): void };
  waitUntil(work: Promise<unknown>): void;
}
/** The parts of ServiceWorkerGlobalScope used here (the SDK is not compiled with the WebWorker lib). */
export interface PushWorkerScope {
  addEventListener(type: "push", listener: (event: PushEventLike) => void): void;
  addEventListener(type: "notificationclick", listener: (event: NotificationClickLike) => void): void;
  registration: { showNotification(title: string, options: { body?: string; data?: unknown; tag?: string }): Promise<void> };
  clients: { openWindow(url: string): Promise<unknown> };
  location: { origin: string };
}

export function parsePushPayload(data: { json(): unknown } | null): PushPayload {
  try {
    const value = data?.json();
    return value && typeof value === "object" ? (value as PushPayload) : {};
  } catch {
    return {};
  }
}

export function handlePushEvents(scope: PushWorkerScope): void {
  scope.addEventListener("push", (event) => {
    const payload = parsePushPayload(event.data);
    event.waitUntil(
      scope.registration.showNotification(payload.title ?? "New notification", {
        body: payload.body,
        data: { url: payload.url },
        tag: payload.type,
      }),
    );
  });
  scope.addEventListener("notificationclick", (event) => {
    event.notification.close();
    const url = (event.notification.data as { url?: string } | undefined)?.url;
    // Only the app's own pages: a push payload cannot send the user to another site.
    const target = new URL(url ?? "/", scope.location.origin);
    event.waitUntil(scope.clients.openWindow(new URL(`${target.pathname}${target.search}`, scope.location.origin).href));
  });
}
