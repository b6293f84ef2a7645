// The service worker for Web Push on a deployed app: shows what the notification processor sends
// and opens its page on click (built to /push-sw.js, registered as a module worker).
import { handlePushEvents, type PushWorkerScope } from "@basekit/client-sdk";

handlePushEvents(self as unknown as PushWorkerScope);
