// The processor's side of the queue: claim a batch, report the outcomes, drop expired push
// subscriptions. All through the service role's RPCs (the queue itself is not exposed).
import type { SupabaseClient } from "npm:@supabase/supabase-js@2";
import type { ClaimedDelivery, DeliveryResult } from "./types.ts";

export interface Claim {
  claim_id: string;
  deliveries: ClaimedDelivery[];
}

export interface CompletionSummary {
  sent: number;
  suppressed: number;
  retrying: number;
  dead: number;
  in_app: number;
}

export function createQueue(db: SupabaseClient) {
  return {
    async claim(batchSize: number, visibilityTimeoutSeconds: number): Promise<Claim> {
      const { data, error } = await db.rpc("claim_notification_deliveries", {
        batch_size: batchSize,
        visibility_timeout_seconds: visibilityTimeoutSeconds,
      });
      if (error) throw new Error(`claim failed: ${error.message}`);
      return data as Claim;
    },
    async complete(claimId: string, results: DeliveryResult[]): Promise<CompletionSummary> {
      const { data, error } = await db.rpc("complete_notification_deliveries", { claim_id: claimId, results });
      if (error) throw new Error(`completion failed: ${error.message}`);
      return data as CompletionSummary;
    },
    async forgetPushSubscriptions(ids: string[]): Promise<void> {
      const { error } = await db.rpc("forget_push_subscriptions", { subscription_ids: ids });
      if (error) throw new Error(`removing expired push subscriptions failed: ${error.message}`);
    },
  };
}
