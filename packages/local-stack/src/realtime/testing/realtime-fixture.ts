// Test support: a fixture project with small chat tables, RLS policies and realtime.messages
// policies; supabase-js clients with minted user tokens; a second Realtime instance on the same
// database behind its own gateway; waiting for events.
import type { Server } from "node:http";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { createGateway } from "../../gateway/server.ts";
import type { Service } from "../../gateway/types.ts";
import { signHs256 } from "../../keys/api-keys.ts";
import { createLogger } from "../../log/logger.ts";
import type { StackContext } from "../../services.ts";
import { type FixtureStack, freePort, startFixtureStack } from "../../testing/fixture-stack.ts";
import { createRealtimeService, type RealtimeOptions } from "../realtime-service.ts";

export const FIXTURE_MIGRATION = `
create table public.rt_rooms (id bigint primary key, name text not null);
create table public.rt_members (
  room_id bigint not null references public.rt_rooms (id),
  user_id uuid not null,
  primary key (room_id, user_id)
);
create index on public.rt_members (user_id);
create table public.rt_messages (
  id bigint generated always as identity primary key,
  room_id bigint not null references public.rt_rooms (id),
  author uuid,
  body text not null,
  priority int not null default 0,
  tags text[] not null default '{}',
  extra jsonb
);
create index on public.rt_messages (room_id);
alter table public.rt_messages enable row level security;
create policy "members read room messages" on public.rt_messages for select to authenticated
  using (exists (select 1 from public.rt_members m where m.room_id = rt_messages.room_id and m.user_id = (select auth.uid())));
create table public.rt_open (id bigint primary key, note text);
-- Owners' notes: the old row is logged in full, and authenticated may select only some columns.
create table public.rt_notes (id bigint primary key, owner uuid not null, title text not null, secret text not null);
alter table public.rt_notes replica identity full;
alter table public.rt_notes enable row level security;
create policy "owners read their notes" on public.rt_notes for select to authenticated using (owner = (select auth.uid()));
revoke all on public.rt_notes from anon, authenticated;
grant select (id, owner, title) on public.rt_notes to authenticated;
alter publication supabase_realtime add table public.rt_messages, public.rt_open, public.rt_notes;

create policy "members receive room broadcasts" on realtime.messages for select to authenticated
  using (exists (select 1 from public.rt_members m where 'room:' || m.room_id = (select realtime.topic()) and m.user_id = (select auth.uid())));
create policy "members send room broadcasts" on realtime.messages for insert to authenticated
  with check (exists (select 1 from public.rt_members m where 'room:' || m.room_id = (select realtime.topic()) and m.user_id = (select auth.uid())));
`;

export async function startRealtimeFixture(): Promise<FixtureStack> {
  return startFixtureStack({ files: { "migrations/20250101000000_realtime_fixture.sql": FIXTURE_MIGRATION } });
}

export function userToken(secret: string, sub: string, expiresInSeconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  return signHs256({ aud: "authenticated", sub, role: "authenticated", iat: now, exp: now + expiresInSeconds }, secret);
}

/** An unmodified supabase-js client; `token` makes it act as that user (else anonymous). */
export function realtimeClient(apiUrl: string, anonKey: string, token?: string, vsn?: "1.0.0" | "2.0.0"): SupabaseClient {
  const client = createClient(apiUrl, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never, ...(vsn ? { vsn } : {}) },
    ...(token ? { global: { headers: { Authorization: `Bearer ${token}` } } } : {}),
  });
  // What an app does after sign-in: channels join with the user's token.
  if (token) client.realtime.setAuth(token);
  return client;
}

/** Collects values pushed by callbacks and waits for those matching a predicate. */
export class Inbox<T> {
  readonly items: T[] = [];
  private waiters: { test: (item: T) => boolean; resolve: (item: T) => void }[] = [];
  push = (item: T): void => {
    this.items.push(item);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.test(item)) return true;
      waiter.resolve(item);
      return false;
    });
  };
  next(test: (item: T) => boolean = () => true, timeoutMs = 20_000): Promise<T> {
    const found = this.items.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.items)}`)),
        timeoutMs,
      );
      this.waiters.push({ test, resolve: (item) => (clearTimeout(timer), resolve(item)) });
    });
  }
}

export function subscribed(channel: ReturnType<SupabaseClient["channel"]>): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.subscribe((status, error) => {
      if (status === "SUBSCRIBED") resolve();
      else if (status === "CHANNEL_ERROR" || status === "TIMED_OUT") reject(error ?? new Error(status));
    });
  });
}

/** How a join ended (joined, refused, timed out or closed), so a test can assert on either outcome
 * without hanging when the one it expects never comes. */
export function joinOutcome(channel: ReturnType<SupabaseClient["channel"]>): Promise<{ status: string; error?: Error }> {
  return new Promise((resolve) => channel.subscribe((status, error) => resolve({ status, error })));
}

/** A second Realtime instance on the fixture's database, behind its own gateway port. */
export async function startSecondInstance(
  stack: FixtureStack,
  options: RealtimeOptions,
): Promise<{ apiUrl: string; service: Service; stop(): Promise<void> }> {
  const logger = createLogger(
    { instance: options.instance },
    (line) => process.env.BASEKIT_REALTIME_TEST_LOG && process.stderr.write(`${line}\n`),
    "info",
  );
  const context: StackContext = { config: stack.config, keys: stack.keys, db: stack.db, logger, mailApiUrl: stack.mailUrl };
  const service = await createRealtimeService(context, options);
  const gateway: Server = createGateway({ services: [service], keys: stack.keys, logger });
  const port = await freePort();
  await new Promise<void>((resolve) => gateway.listen(port, "127.0.0.1", resolve));
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    service,
    async stop() {
      await service.close?.();
      gateway.closeAllConnections();
      await new Promise((resolve) => gateway.close(resolve));
    },
  };
}
