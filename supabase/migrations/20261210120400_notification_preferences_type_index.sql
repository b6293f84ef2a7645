-- notification_preferences.type references the catalogue: deleting a type cascades through this
-- index instead of scanning every user's preferences.
create index notification_preferences_type_idx on public.notification_preferences (type);
