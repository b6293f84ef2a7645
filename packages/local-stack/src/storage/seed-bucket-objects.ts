// `objects_path` of `[storage.buckets.<name>]`: every file under the folder is uploaded (upsert) to
// `<name>/<path relative to the folder>` at start, as the CLI seeds buckets through the Storage API
// as service_role: the bucket's size limit and allowed types apply, and a refused file is reported
// without stopping the others. The type is read from the file's bytes, then its extension.
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, extname, join, relative, sep } from "node:path";
import { fileTypeFromFile } from "file-type";
import type { Logger } from "../log/logger.ts";
import type { ConfiguredBucket } from "./config-buckets.ts";
import { StorageError } from "./errors.ts";
import { assertObjectKey } from "./keys.ts";
import type { StorageContext } from "./storage-context.ts";
import { checkMimeType, findBucketAsAdmin, writeObjectRow } from "./upload.ts";

/** Text formats have no magic number: named by extension, as Go's mime table does for the CLI. */
const TEXT_TYPES: Record<string, string> = {
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".xml": "text/xml; charset=utf-8",
};

async function contentTypeOf(path: string): Promise<string> {
  const detected = await fileTypeFromFile(path);
  return detected?.mime ?? TEXT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}

async function filesUnder(root: string): Promise<string[]> {
  const info = await stat(root);
  if (info.isFile()) return [root];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

const SERVICE_ROLE = { role: "service_role", claims: { role: "service_role" } };

export async function seedBucketObjects(context: StorageContext, buckets: ConfiguredBucket[], logger: Logger): Promise<void> {
  for (const configured of buckets) {
    if (!configured.objectsPath) continue;
    let files: string[];
    try {
      files = await filesUnder(configured.objectsPath);
    } catch (error) {
      logger.warn(`[storage.buckets.${configured.name}] objects_path cannot be read`, { error: String(error) });
      continue;
    }
    const bucket = await findBucketAsAdmin(context, configured.name);
    const limit = Math.min(Number(bucket.file_size_limit ?? Number.POSITIVE_INFINITY), context.globalFileSizeLimit);
    for (const file of files) {
      const relativePath = file === configured.objectsPath ? basename(file) : relative(configured.objectsPath, file);
      const key = relativePath.split(sep).join("/");
      try {
        const contentType = await contentTypeOf(file);
        checkMimeType(bucket, assertObjectKey(key), contentType);
        const staged = await context.store.stage(createReadStream(file), limit);
        try {
          await writeObjectRow(context, { caller: SERVICE_ROLE, bucketId: bucket.id, key, upsert: true }, staged, {
            contentType,
            cacheControl: "max-age=3600",
            userMetadata: null,
          });
        } catch (error) {
          await context.store.discard(staged);
          throw error;
        }
      } catch (error) {
        if (!(error instanceof StorageError)) throw error;
        logger.warn(`[storage.buckets.${configured.name}] objects_path: ${key} not uploaded: ${error.message}`);
      }
    }
  }
}
