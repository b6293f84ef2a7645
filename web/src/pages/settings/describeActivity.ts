// Human wording for activity_log actions.
const labels: Record<string, string> = {
  "profile.updated": "Profile updated",
  "password.changed": "Password changed",
  "settings.updated": "Privacy settings changed",
  "session.revoked": "A session was signed out",
  "session.revoked_others": "Other sessions were signed out",
  "room.created": "Conversation created",
  "room.joined": "Joined a conversation",
  "room.left": "Left a conversation",
  "room.removed": "Removed from a conversation",
  "room.role_changed": "Role changed in a conversation",
  "message.deleted": "A message was deleted",
};

export const describeActivity = (action: string) => labels[action] ?? action;
