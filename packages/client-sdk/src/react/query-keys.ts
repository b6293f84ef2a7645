// Query-key factory: every cache entry the SDK's hooks use, in one hierarchy, so invalidation can
// target "all chat", "one room's messages" or "one profile" precisely.
export const basekitKeys = {
  all: ["basekit"] as const,
  profiles: () => [...basekitKeys.all, "profiles"] as const,
  profile: (id: string) => [...basekitKeys.profiles(), id] as const,
  myProfile: () => [...basekitKeys.profiles(), "me"] as const,
  profileSearch: (query: string) => [...basekitKeys.profiles(), "search", query] as const,
  settings: () => [...basekitKeys.all, "settings"] as const,
  sessions: () => [...basekitKeys.all, "sessions"] as const,
  mfaFactors: () => [...basekitKeys.all, "mfa-factors"] as const,
  activity: () => [...basekitKeys.all, "activity"] as const,
  admin: () => [...basekitKeys.all, "admin"] as const,
  adminUsers: () => [...basekitKeys.admin(), "users"] as const,
  adminActivity: (userId?: string) => [...basekitKeys.admin(), "activity", userId ?? "all"] as const,
  chat: () => [...basekitKeys.all, "chat"] as const,
  rooms: () => [...basekitKeys.chat(), "rooms"] as const,
  room: (roomId: string) => [...basekitKeys.rooms(), roomId] as const,
  members: (roomId: string) => [...basekitKeys.room(roomId), "members"] as const,
  messages: (roomId: string) => [...basekitKeys.room(roomId), "messages"] as const,
  readState: (roomId: string) => [...basekitKeys.room(roomId), "read-state"] as const,
  unreadCounts: () => [...basekitKeys.chat(), "unread"] as const,
  search: (query: string, roomId?: string) => [...basekitKeys.chat(), "search", roomId ?? "all", query] as const,
};
