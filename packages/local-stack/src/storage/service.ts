// The Storage service (/storage/v1): Supabase Storage's HTTP API over storage.buckets /
// storage.objects (queried as supabase_storage_admin, switching to the caller's role per request)
// and a byte store under the stack's state folder.
import { join } from "node:path";
import { connect } from "../db/connect.ts";
import type { Service } from "../gateway/types.ts";
import { createJwtVerifier } from "../keys/verify-jwt.ts";
import type { StackContext } from "../services.ts";
import { applyConfiguredBuckets, configuredBuckets } from "./config-buckets.ts";
import { parseConfigSize } from "./keys.ts";
import { createObjectStore } from "./object-store.ts";
import { createResumableUploads } from "./resumable-upload.ts";
import { createStorageRouter } from "./router.ts";
import { seedBucketObjects } from "./seed-bucket-objects.ts";
import type { StorageContext } from "./storage-context.ts";

/** `[storage.image_transformation] enabled`, on unless turned off, as in the CLI's config.toml. */
function imageTransformationEnabled(raw: Record<string, unknown>): boolean {
  const storage = raw.storage as { image_transformation?: { enabled?: unknown } } | undefined;
  return storage?.image_transformation?.enabled !== false;
}

export async function createStorageService(context: StackContext): Promise<Service | undefined> {
  const { config, db, keys, logger } = context;
  if (!config.storage.enabled) return undefined;
  const log = logger.child({ service: "storage" });
  const sql = connect(db.url("supabase_storage_admin"), { max: 10, connection: { application_name: "basekit-storage" } });
  const buckets = configuredBuckets(config);
  await applyConfiguredBuckets(sql, buckets);
  const storageDir = join(config.stateDir, "storage");
  const storage: StorageContext = {
    sql,
    store: createObjectStore(storageDir),
    verifier: createJwtVerifier(keys.jwtSecret, keys.signingKeys?.publicJwks),
    jwtSecret: keys.jwtSecret,
    globalFileSizeLimit: parseConfigSize(config.storage.fileSizeLimit) ?? 50 * 1024 * 1024,
    imageTransformation: imageTransformationEnabled(config.raw),
  };
  await seedBucketObjects(storage, buckets, log);
  const resumable = createResumableUploads(storage, storageDir, log);
  const handle = createStorageRouter(storage, log, resumable);
  return {
    name: "storage",
    prefix: "/storage/v1",
    handle,
    close: () => {
      resumable.close();
      return sql.end({ timeout: 5 });
    },
  };
}
