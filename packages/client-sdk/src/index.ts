// @basekit/client-sdk: a typed client for basekit apps over supabase-js.
export type { ActivityEntry } from "./activity/activity.ts";
export type { AuthSession } from "./auth/auth.ts";
export type * from "./auth/auth-schemas.ts";
export type { TotpEnrollment } from "./auth/mfa.ts";
export type * from "./chat/chat-schemas.ts";
export type { Message, MessageReaction, Room, RoomKind, RoomMember, RoomRole, RoomSummary } from "./chat/chat-types.ts";
export type { InboxHandlers, LiveSubscription, RoomLiveHandlers } from "./chat/live.ts";
export type { RoomMemberWithProfile } from "./chat/members.ts";
export type { PresenceUser, RoomPresence, RoomPresenceHandlers, RoomPresenceOptions } from "./chat/presence.ts";
export { type BasekitClient, type BasekitClientOptions, createBasekitClient, wrapSupabaseClient } from "./client.ts";
export type { Database, Json, Tables, TablesInsert, TablesUpdate } from "./database.types.ts";
export {
  BasekitApiError,
  BasekitAuthError,
  BasekitError,
  type BasekitErrorCode,
  BasekitNetworkError,
  BasekitRealtimeError,
  BasekitValidationError,
  isBasekitError,
  type ValidationIssue,
} from "./lib/errors.ts";
export type { Page, PageInput } from "./lib/page.ts";
export { type BasekitResult, unwrap } from "./lib/result.ts";
export type { BasekitSupabaseClient } from "./lib/supabase-client.ts";
export type { NotificationHandlers } from "./notifications/live.ts";
export type * from "./notifications/notification-schemas.ts";
export type { Notification } from "./notifications/notifications.ts";
export {
  DEFAULT_NOTIFICATION_SETTINGS,
  type NotificationPreference,
  type NotificationSettings,
  type NotificationType,
} from "./notifications/preferences.ts";
export type { PushDevice, PushManagerLike } from "./notifications/push.ts";
export { localPushReceiver, type ReceiverSubscription } from "./notifications/push-receiver.ts";
export { handlePushEvents, type PushPayload, type PushWorkerScope, parsePushPayload } from "./notifications/push-service-worker.ts";
export type { ProfileSearchInput, ProfileUpdateInput } from "./profiles/profile-schemas.ts";
export type { Profile } from "./profiles/profiles.ts";
export type { SettingsUpdateInput, UserSession, UserSettings } from "./settings/settings.ts";
