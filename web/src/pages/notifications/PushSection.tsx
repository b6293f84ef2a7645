// Push on this browser. Against the local stack the browser's own push service (FCM for Chromium)
// is out of reach, so the subscription comes from basekit's push receiver (/push/v1), which
// decrypts what is sent and shows it in the inbox page; elsewhere the service worker's PushManager.
import { localPushReceiver, type PushManagerLike } from "@basekit/client-sdk";
import { usePushDevices, usePushSubscribe, usePushUnsubscribe } from "@basekit/client-sdk/react";
import { useState } from "react";
import { supabaseUrl } from "../../basekit.ts";
import { ErrorMessage, Notice } from "../../components/Status.tsx";

const ENDPOINT_KEY = "basekit.push-endpoint";
/** The local stack (basekit start) answers on a loopback address. */
export const usesLocalPushReceiver = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(supabaseUrl.replace(/\/+$/, ""));

async function pushManager(): Promise<PushManagerLike> {
  if (usesLocalPushReceiver) return localPushReceiver(supabaseUrl);
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) throw new Error("This browser does not support push notifications.");
  if ((await Notification.requestPermission()) !== "granted") throw new Error("Notifications are blocked for this site.");
  const registration = await navigator.serviceWorker.register("/push-sw.js", { type: "module" });
  await navigator.serviceWorker.ready;
  return registration.pushManager as unknown as PushManagerLike;
}

export function PushSection() {
  const devices = usePushDevices();
  const subscribe = usePushSubscribe();
  const unsubscribe = usePushUnsubscribe();
  const [endpoint, setEndpoint] = useState(() => localStorage.getItem(ENDPOINT_KEY));
  const [problem, setProblem] = useState<unknown>(null);
  const here = endpoint !== null && (devices.data?.some((device) => device.endpoint === endpoint) ?? false);

  async function turnOn() {
    setProblem(null);
    try {
      const manager = await pushManager();
      const result = await subscribe.mutateAsync({ pushManager: manager, userAgent: navigator.userAgent });
      localStorage.setItem(ENDPOINT_KEY, result.subscription.endpoint);
      setEndpoint(result.subscription.endpoint);
    } catch (error) {
      setProblem(error);
    }
  }

  async function turnOff() {
    if (!endpoint) return;
    setProblem(null);
    try {
      await unsubscribe.mutateAsync(endpoint);
      if (!usesLocalPushReceiver)
        await (await navigator.serviceWorker.getRegistration())?.pushManager.getSubscription().then((s) => s?.unsubscribe());
      localStorage.removeItem(ENDPOINT_KEY);
      setEndpoint(null);
    } catch (error) {
      setProblem(error);
    }
  }

  return (
    <section className="card" aria-labelledby="push-title">
      <h2 id="push-title">Push notifications</h2>
      {usesLocalPushReceiver ? (
        <p className="hint">Local development: pushes go to the stack's push receiver and show in the mail inbox page.</p>
      ) : null}
      {here ? (
        <>
          <Notice>Push is on for this browser.</Notice>
          <button type="button" className="secondary" onClick={turnOff} disabled={unsubscribe.isPending}>
            Turn off push on this browser
          </button>
        </>
      ) : (
        <button type="button" onClick={turnOn} disabled={subscribe.isPending || devices.isPending}>
          Turn on push on this browser
        </button>
      )}
      <p className="hint">{devices.data ? `${devices.data.length} device(s) receive push.` : ""}</p>
      <ErrorMessage error={problem ?? devices.error} />
    </section>
  );
}
