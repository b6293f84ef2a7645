-- Demo data for local development (`supabase db reset` / `basekit db reset`). Never run in production.
--
-- Demo accounts (email / password), all with a confirmed email:
--   alice@example.com / Password123   username alice   member of "General" (owner) and the direct room with bob
--   bob@example.com   / Password123   username bob     member of "General" (admin) and the direct room with alice
--   carol@example.com / Password123   username carol   member of "General"
--   admin@example.com / Password123   username admin   app_metadata.role = admin (reads all activity, moderates)
--
-- Profiles and settings are created by the on_auth_user_created trigger from raw_user_meta_data.
-- Fixed ids make the demo rooms easy to link to:
--   group room "General"       00000000-0000-4000-a000-000000000101
--   direct room alice <-> bob  00000000-0000-4000-a000-000000000102

insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
  confirmation_token, recovery_token, email_change_token_new, email_change
)
select
  '00000000-0000-0000-0000-000000000000', demo.id, 'authenticated', 'authenticated', demo.email,
  extensions.crypt('Password123', extensions.gen_salt('bf')), now(),
  '{"provider": "email", "providers": ["email"]}'::jsonb || demo.app_metadata,
  jsonb_build_object('username', demo.username, 'display_name', demo.display_name, 'email_verified', true),
  now(), now(), '', '', '', ''
from (values
  ('00000000-0000-4000-a000-000000000001'::uuid, 'alice@example.com', 'alice', 'Alice Anderson', '{}'::jsonb),
  ('00000000-0000-4000-a000-000000000002'::uuid, 'bob@example.com', 'bob', 'Bob Brown', '{}'::jsonb),
  ('00000000-0000-4000-a000-000000000003'::uuid, 'carol@example.com', 'carol', 'Carol Clark', '{}'::jsonb),
  ('00000000-0000-4000-a000-000000000004'::uuid, 'admin@example.com', 'admin', 'Site Admin', '{"role": "admin"}'::jsonb)
) as demo (id, email, username, display_name, app_metadata);

-- One email identity per user, as Auth creates them (provider_id = user id for email).
insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select gen_random_uuid(), u.id::text, u.id,
       jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true, 'phone_verified', false),
       'email', now(), now(), now()
  from auth.users as u
 where u.email in ('alice@example.com', 'bob@example.com', 'carol@example.com', 'admin@example.com');

update public.profiles set bio = 'Likes distributed systems and tea.', timezone = 'Europe/Paris', locale = 'fr'
 where id = '00000000-0000-4000-a000-000000000001';

-- Rooms.
insert into public.rooms (id, kind, name, topic, created_by, direct_key) values
  ('00000000-0000-4000-a000-000000000101', 'group', 'General', 'Say hello!', '00000000-0000-4000-a000-000000000001', null),
  ('00000000-0000-4000-a000-000000000102', 'direct', null, null, '00000000-0000-4000-a000-000000000001',
   '00000000-0000-4000-a000-000000000001:00000000-0000-4000-a000-000000000002');

insert into public.room_members (room_id, user_id, role) values
  ('00000000-0000-4000-a000-000000000101', '00000000-0000-4000-a000-000000000001', 'owner'),
  ('00000000-0000-4000-a000-000000000101', '00000000-0000-4000-a000-000000000002', 'admin'),
  ('00000000-0000-4000-a000-000000000101', '00000000-0000-4000-a000-000000000003', 'member'),
  ('00000000-0000-4000-a000-000000000102', '00000000-0000-4000-a000-000000000001', 'member'),
  ('00000000-0000-4000-a000-000000000102', '00000000-0000-4000-a000-000000000002', 'member');

-- Messages, oldest first, a few minutes apart.
insert into public.messages (room_id, sender_id, body, created_at)
select conversation.room_id, conversation.sender_id, conversation.body,
       now() - make_interval(mins => 10 - conversation.position)
  from (values
    (1, '00000000-0000-4000-a000-000000000101'::uuid, '00000000-0000-4000-a000-000000000001'::uuid, 'Welcome to basekit, everyone!'),
    (2, '00000000-0000-4000-a000-000000000101'::uuid, '00000000-0000-4000-a000-000000000002'::uuid, 'Hi Alice! Glad to be here.'),
    (3, '00000000-0000-4000-a000-000000000101'::uuid, '00000000-0000-4000-a000-000000000003'::uuid, 'Hello from Carol. What are we building?'),
    (4, '00000000-0000-4000-a000-000000000101'::uuid, '00000000-0000-4000-a000-000000000001'::uuid, 'A chat app with row-level security, of course.'),
    (5, '00000000-0000-4000-a000-000000000102'::uuid, '00000000-0000-4000-a000-000000000001'::uuid, 'Hey Bob, got a minute for a review?'),
    (6, '00000000-0000-4000-a000-000000000102'::uuid, '00000000-0000-4000-a000-000000000002'::uuid, 'Sure, send me the link.')
  ) as conversation (position, room_id, sender_id, body)
 order by conversation.position;

-- Carol answers Alice in a thread; Bob reacts.
insert into public.messages (room_id, sender_id, body, reply_to_id)
select room_id, '00000000-0000-4000-a000-000000000003', 'Then count me in.', id
  from public.messages
 where body = 'A chat app with row-level security, of course.';

insert into public.message_reactions (message_id, user_id, emoji)
select id, '00000000-0000-4000-a000-000000000002', '🎉'
  from public.messages
 where body = 'Welcome to basekit, everyone!';

-- Alice has read everything in General; Bob has not read the direct room yet.
update public.room_members as m
   set last_read_message_id = (select max(id) from public.messages where room_id = m.room_id), last_read_at = now()
 where m.room_id = '00000000-0000-4000-a000-000000000101' and m.user_id = '00000000-0000-4000-a000-000000000001';
