-- The kit's two buckets, made by migration so a hosted project gets them too, with their policies
-- on storage.objects:
--   avatars      public reads; each user writes only under `<their user id>/`; images, 2 MB.
--   attachments  private; a file lives under `<room id>/<uploader id>/`; room members read it,
--                members upload only under their own id, the uploader replaces or deletes it.
-- Sizes and types are the bucket's, so Storage refuses the rest before reading a body.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types) values
  ('avatars', 'avatars', true, 2097152, array['image/png', 'image/jpeg', 'image/webp']),
  ('attachments', 'attachments', false, 26214400,
   array['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'application/pdf', 'text/plain'])
on conflict (id) do update
set public = excluded.public, file_size_limit = excluded.file_size_limit, allowed_mime_types = excluded.allowed_mime_types;

create or replace function private.attachment_room_id(name text)
returns uuid
language sql
immutable
set search_path = ''
as $$
  -- A first segment that is not a uuid names no room (and must not raise inside a policy).
  select case when split_part(name, '/', 1) ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
              then split_part(name, '/', 1)::uuid end;
$$;
comment on function private.attachment_room_id(text) is 'The room an attachment key `<room id>/<uploader id>/<file>` belongs to, or null.';
revoke execute on function private.attachment_room_id(text) from public, anon;
grant execute on function private.attachment_room_id(text) to authenticated;

create or replace function private.is_attachment_uploader(name text)
returns boolean
language sql
stable
set search_path = ''
as $$
  select split_part(name, '/', 2) = (select auth.uid())::text and split_part(name, '/', 3) <> '';
$$;
comment on function private.is_attachment_uploader(text) is 'True when the key''s second segment is the caller and a file name follows.';
revoke execute on function private.is_attachment_uploader(text) from public, anon;
grant execute on function private.is_attachment_uploader(text) to authenticated;

-- Avatars ---------------------------------------------------------------------------------------

create policy "anyone reads avatars" on storage.objects for select to anon, authenticated
  using (bucket_id = 'avatars');
comment on policy "anyone reads avatars" on storage.objects is 'Avatars are public: listed and read by anyone.';

create policy "users upload their avatar" on storage.objects for insert to authenticated
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
comment on policy "users upload their avatar" on storage.objects is 'A user writes avatars only under their own id.';

create policy "users replace their avatar" on storage.objects for update to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
comment on policy "users replace their avatar" on storage.objects is 'A user replaces only their own avatars.';

create policy "users delete their avatar" on storage.objects for delete to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
comment on policy "users delete their avatar" on storage.objects is 'A user deletes only their own avatars.';

-- Attachments -----------------------------------------------------------------------------------

create policy "members read room attachments" on storage.objects for select to authenticated
  using (bucket_id = 'attachments' and private.is_room_member(private.attachment_room_id(name)));
comment on policy "members read room attachments" on storage.objects is 'Only the room''s members see its attachments.';

create policy "members upload attachments" on storage.objects for insert to authenticated
  with check (
    bucket_id = 'attachments'
    and private.is_room_member(private.attachment_room_id(name))
    and private.is_attachment_uploader(name)
  );
comment on policy "members upload attachments" on storage.objects is 'A member uploads into their room, under their own id.';

create policy "uploaders replace attachments" on storage.objects for update to authenticated
  using (bucket_id = 'attachments' and private.is_room_member(private.attachment_room_id(name)) and private.is_attachment_uploader(name))
  with check (bucket_id = 'attachments' and private.is_room_member(private.attachment_room_id(name)) and private.is_attachment_uploader(name));
comment on policy "uploaders replace attachments" on storage.objects is 'The uploader, still a member, replaces their attachment.';

create policy "uploaders delete attachments" on storage.objects for delete to authenticated
  using (bucket_id = 'attachments' and private.is_attachment_uploader(name));
comment on policy "uploaders delete attachments" on storage.objects is 'The uploader deletes their attachment, even after leaving the room.';
