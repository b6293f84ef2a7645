// `[storage.buckets.<name>]` from config.toml, applied at start as the CLI seeds buckets: existing
// buckets get the configured settings, missing ones are created; other buckets are left alone.
import { type StackConfig, section } from "../config/load-config.ts";
import type { Sql } from "../db/connect.ts";
import { assertBucketName, parseConfigSize } from "./keys.ts";

export interface ConfiguredBucket {
  name: string;
  public: boolean;
  fileSizeLimit: number | null;
  allowedMimeTypes: string[] | null;
  /** `objects_path`, made absolute by the config loader: files uploaded into the bucket at start. */
  objectsPath: string | null;
}

export function configuredBuckets(config: StackConfig): ConfiguredBucket[] {
  const buckets = section(config, "storage").buckets;
  if (!buckets || typeof buckets !== "object") return [];
  return Object.entries(buckets as Record<string, Record<string, unknown>>).map(([name, settings]) => ({
    name: assertBucketName(name),
    public: settings.public === true,
    fileSizeLimit: parseConfigSize(settings.file_size_limit) ?? null,
    allowedMimeTypes:
      Array.isArray(settings.allowed_mime_types) && settings.allowed_mime_types.length > 0 ? settings.allowed_mime_types.map(String) : null,
    objectsPath: typeof settings.objects_path === "string" && settings.objects_path !== "" ? settings.objects_path : null,
  }));
}

export async function applyConfiguredBuckets(sql: Sql, buckets: ConfiguredBucket[]): Promise<void> {
  for (const bucket of buckets) {
    await sql`
      insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
      values (${bucket.name}, ${bucket.name}, ${bucket.public}, ${bucket.fileSizeLimit}, ${bucket.allowedMimeTypes})
      on conflict (id) do update
      set public = excluded.public, file_size_limit = excluded.file_size_limit,
          allowed_mime_types = excluded.allowed_mime_types, updated_at = now()`;
  }
}
