-- basekit's pg_net 0.19.5: the SQL surface of supabase/pg_net (schema net, the request queue, the
-- response table, net.http_get/post/delete and their helpers) written in SQL and PL/pgSQL. The
-- requests themselves are sent by the local stack (src/extensions/pg-net/net-worker.ts), which
-- LISTENs on channel `pg_net`: a NOTIFY is delivered only when the enqueuing transaction commits,
-- so a rolled-back transaction sends nothing, as with the real background worker.
\echo Use "CREATE EXTENSION pg_net" to load this file. \quit

create schema if not exists net;

create domain net.http_method as text
  check (value ilike 'get' or value ilike 'post' or value ilike 'delete');

create unlogged table net.http_request_queue (
  id bigserial,
  method net.http_method not null,
  url text not null,
  headers jsonb,
  body bytea,
  timeout_milliseconds int not null
);
comment on table net.http_request_queue is
  'Requests waiting to be sent (private API). The worker deletes a batch, sends it and records the responses in one transaction.';

create unlogged table net._http_response (
  id bigint,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out bool,
  error_msg text,
  created timestamptz not null default now()
);
create index on net._http_response (created);
comment on table net._http_response is
  'One row per sent request, keyed by the request id; rows older than pg_net.ttl (default 6 hours) are deleted.';

-- Worker signals ----------------------------------------------------------------------------------

create function net.wake()
returns void
language sql
as $$
  -- Delivered at commit; identical notifications of one transaction arrive once.
  select pg_catalog.pg_notify('pg_net', 'wake');
$$;
comment on function net.wake() is 'Tells the worker that requests are queued (delivered when the transaction commits).';

create function net._wake_worker_on_enqueue()
returns trigger
language plpgsql
as $$
begin
  perform net.wake();
  return null;
end;
$$;
comment on function net._wake_worker_on_enqueue() is
  'basekit: wakes the worker for rows written to the queue directly, not through net.http_*.';

create trigger wake_worker_on_enqueue
  after insert on net.http_request_queue
  for each statement execute function net._wake_worker_on_enqueue();

create function net.worker_restart()
returns bool
language sql
as $$
  select pg_catalog.pg_notify('pg_net', 'restart');
  select true;
$$;
comment on function net.worker_restart() is 'Asks the worker to reconnect and start over (at commit).';

-- The worker's own connection is named `pg_net <version> worker`; other roles may not see another
-- session's application_name, hence security definer.
create function net.check_worker_is_up()
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not exists (
    select from pg_catalog.pg_stat_activity where application_name like 'pg\_net % worker' and datname = pg_catalog.current_database()
  ) then
    raise exception using
      message = 'the pg_net background worker is not up',
      detail = 'the pg_net worker of the basekit local stack is not connected to this database',
      hint = 'start the stack (basekit start); the worker reconnects by itself after a db reset';
  end if;
end;
$$;
comment on function net.check_worker_is_up() is
  'Raises an exception if the pg_net worker is not up, otherwise returns nothing.';

create function net.wait_until_running()
returns void
language plpgsql
as $$
begin
  for attempt in 1..200 loop
    begin
      perform net.check_worker_is_up();
      return;
    exception when raise_exception then
      perform pg_catalog.pg_sleep(0.05);
    end;
  end loop;
  perform net.check_worker_is_up();
end;
$$;
comment on function net.wait_until_running() is 'Waits (up to 10 s here) until the worker is running.';

-- URL helpers (curl's behaviour) ----------------------------------------------------------------------

-- Percent-encodes every byte but ALPHA / DIGIT / - . _ ~, as curl_easy_escape does.
create function net._urlencode_string(string varchar)
returns text
language sql
immutable
strict
as $$
  select coalesce(
    pg_catalog.string_agg(
      case
        when octet between 48 and 57 or octet between 65 and 90 or octet between 97 and 122 or octet in (45, 46, 95, 126)
          then pg_catalog.chr(octet)
        else '%' || pg_catalog.upper(pg_catalog.lpad(pg_catalog.to_hex(octet), 2, '0'))
      end,
      '' order by idx
    ),
    ''
  )
  from pg_catalog.convert_to(string, 'UTF8') as bytes,
    lateral pg_catalog.generate_series(0, pg_catalog.length(bytes) - 1) as idx,
    lateral pg_catalog.get_byte(bytes, idx) as octet;
$$;

-- Checks the URL as curl's URL parser would (an absolute URL with a scheme libcurl knows and, for
-- HTTP, a host), then appends the encoded parameters to its query.
create function net._encode_url_with_params_array(url text, params_array text[])
returns text
language plpgsql
immutable
strict
as $$
declare
  scheme text := pg_catalog.lower(substring(url from '^([A-Za-z][A-Za-z0-9+.-]*):'));
  fragment text := substring(url from '#.*$');
  base text := pg_catalog.regexp_replace(url, '#.*$', '');
  params text := pg_catalog.array_to_string(params_array, '&');
begin
  if url ~ '[[:space:][:cntrl:]]' then
    raise exception 'invalid URL "%": Malformed input to a URL function', url;
  end if;
  if scheme is null then
    raise exception 'invalid URL "%": Bad scheme', url;
  end if;
  if scheme <> all (array['http', 'https', 'ftp', 'ftps', 'file', 'ws', 'wss', 'dict', 'gopher', 'gophers', 'imap',
                          'imaps', 'ldap', 'ldaps', 'mqtt', 'pop3', 'pop3s', 'rtsp', 'scp', 'sftp', 'smb', 'smbs',
                          'smtp', 'smtps', 'telnet', 'tftp']) then
    raise exception 'invalid URL "%": Unsupported URL scheme', url;
  end if;
  if scheme <> 'file' and base !~ '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#@]*@?[^/?#@:]+' then
    raise exception 'invalid URL "%": No host part in the URL', url;
  end if;
  -- curl's normalised form has a path: http://host -> http://host/
  if base ~ '^[A-Za-z][A-Za-z0-9+.-]*://[^/?]*(\?|$)' then
    base := pg_catalog.regexp_replace(base, '^([A-Za-z][A-Za-z0-9+.-]*://[^/?]*)', '\1/');
  end if;
  if params <> '' then
    base := base || case when base !~ '\?' then '?' when base ~ '[?&]$' then '' else '&' end || params;
  end if;
  return base || coalesce(fragment, '');
end;
$$;

-- Public API: enqueue a request, return its id ---------------------------------------------------------

create function net.http_get(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds int default 5000
)
returns bigint
language plpgsql
as $$
declare
  request_id bigint;
begin
  insert into net.http_request_queue (method, url, headers, timeout_milliseconds)
  values (
    'GET',
    net._encode_url_with_params_array(
      url,
      (select coalesce(pg_catalog.array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
       from pg_catalog.jsonb_each_text(params))
    ),
    headers,
    timeout_milliseconds
  )
  returning id into request_id;
  perform net.wake();
  return request_id;
end;
$$;
comment on function net.http_get(text, jsonb, jsonb, int) is 'Queues a GET request, sent after commit; returns its id (see net._http_response).';

create function net.http_post(
  url text,
  body jsonb default '{}'::jsonb,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds int default 5000
)
returns bigint
language plpgsql
as $$
declare
  request_id bigint;
  content_type text;
begin
  select value into content_type
  from pg_catalog.jsonb_each_text(coalesce(headers, '{}'::jsonb))
  where pg_catalog.lower(key) = 'content-type'
  limit 1;
  -- pg_net only posts JSON: a missing Content-Type is added (unless headers is null), another is refused.
  if content_type is null then
    headers := headers || '{"Content-Type": "application/json"}'::jsonb;
  elsif content_type <> 'application/json' then
    raise exception 'Content-Type header must be "application/json"';
  end if;

  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values (
    'POST',
    net._encode_url_with_params_array(
      url,
      (select coalesce(pg_catalog.array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
       from pg_catalog.jsonb_each_text(params))
    ),
    headers,
    pg_catalog.convert_to(body::text, 'UTF8'),
    timeout_milliseconds
  )
  returning id into request_id;
  perform net.wake();
  return request_id;
end;
$$;
comment on function net.http_post(text, jsonb, jsonb, jsonb, int) is 'Queues a POST of a JSON body, sent after commit; returns its id.';

create function net.http_delete(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds int default 5000,
  body jsonb default null
)
returns bigint
language plpgsql
as $$
declare
  request_id bigint;
begin
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values (
    'DELETE',
    net._encode_url_with_params_array(
      url,
      (select coalesce(pg_catalog.array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
       from pg_catalog.jsonb_each_text(params))
    ),
    headers,
    pg_catalog.convert_to(body::text, 'UTF8'),
    timeout_milliseconds
  )
  returning id into request_id;
  perform net.wake();
  return request_id;
end;
$$;
comment on function net.http_delete(text, jsonb, jsonb, int, jsonb) is 'Queues a DELETE request (optional JSON body), sent after commit; returns its id.';

-- Reading a response ----------------------------------------------------------------------------

create type net.request_status as enum ('PENDING', 'SUCCESS', 'ERROR');

create type net.http_response as (
  status_code integer,
  headers jsonb,
  body text
);

create type net.http_response_result as (
  status net.request_status,
  message text,
  response net.http_response
);

create function net._await_response(request_id bigint)
returns bool
language plpgsql
as $$
begin
  -- The worker commits responses from its own session, so each check sees newly committed rows.
  while not exists (select from net._http_response as r where r.id = request_id) loop
    perform pg_catalog.pg_sleep(0.05);
  end loop;
  return true;
end;
$$;

create function net._http_collect_response(request_id bigint, async bool default true)
returns net.http_response_result
language plpgsql
as $$
declare
  rec net._http_response;
begin
  if not async then
    perform net._await_response(request_id);
  end if;
  select * into rec from net._http_response as r where r.id = request_id;
  if rec is null or rec.error_msg is not null then
    return ('ERROR', coalesce(rec.error_msg, 'request matching request_id not found'), null)::net.http_response_result;
  end if;
  return ('SUCCESS', 'ok', (rec.status_code, rec.headers, rec.content)::net.http_response)::net.http_response_result;
end;
$$;

create function net.http_collect_response(request_id bigint, async bool default true)
returns net.http_response_result
language plpgsql
as $$
begin
  raise notice 'The net.http_collect_response function is deprecated.';
  return net._http_collect_response(request_id, async);
end;
$$;

-- Privileges, as pg_net grants them: everyone may queue requests and read responses.
grant usage on schema net to public;
grant all on all sequences in schema net to public;
grant all on all tables in schema net to public;
