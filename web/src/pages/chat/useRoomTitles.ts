// Display names for rooms: a group's name, or the other person's name for a direct room.
import type { RoomSummary } from "@basekit/client-sdk";
import { unwrap } from "@basekit/client-sdk";
import { basekitKeys, useBasekit } from "@basekit/client-sdk/react";
import { useQuery } from "@tanstack/react-query";

export function useRoomTitles(rooms: RoomSummary[] | undefined) {
  const client = useBasekit();
  const ids = [...new Set((rooms ?? []).map((r) => r.other_user_id).filter((id): id is string => Boolean(id)))].sort();
  const profiles = useQuery({
    queryKey: [...basekitKeys.profiles(), "many", ids],
    queryFn: async () => unwrap(await client.profiles.getMany(ids)),
    enabled: ids.length > 0,
  });
  const byId = new Map(profiles.data?.map((p) => [p.id, p]));
  return (room: RoomSummary) =>
    room.name ?? (room.other_user_id ? byId.get(room.other_user_id)?.display_name : undefined) ?? "Direct message";
}
