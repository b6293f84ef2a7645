// What every Storage handler needs: the database pool (as supabase_storage_admin), the byte store,
// the token verifier, the signing secret, the server-wide upload limit and the optional features.
import type { Sql } from "../db/connect.ts";
import type { JwtVerifier } from "../keys/verify-jwt.ts";
import type { ObjectStore } from "./object-store.ts";

export interface StorageContext {
  sql: Sql;
  store: ObjectStore;
  verifier: JwtVerifier;
  /** The project's JWT secret: signs signed-URL tokens, as Storage does. */
  jwtSecret: string;
  /** `[storage] file_size_limit` in bytes. */
  globalFileSizeLimit: number;
  /** `[storage.image_transformation] enabled`: the /render/image routes and transformed signed URLs. */
  imageTransformation: boolean;
}

export interface BucketRow {
  id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  public: boolean;
  type: string;
  file_size_limit: number | null;
  allowed_mime_types: string[] | null;
  created_at: Date;
  updated_at: Date;
}

export interface ObjectRow {
  id: string;
  bucket_id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  version: string;
  metadata: ObjectMetadata;
  user_metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  last_accessed_at: Date;
}

/** The server-set `metadata` column, in Storage's field names. */
export interface ObjectMetadata {
  eTag: string;
  size: number;
  mimetype: string;
  cacheControl: string;
  lastModified: string;
  contentLength: number;
  httpStatusCode: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The deprecated uuid `owner` column is only filled when `sub` is a uuid. */
export const ownerUuid = (sub: string | undefined) => (sub && UUID.test(sub) ? sub : null);
