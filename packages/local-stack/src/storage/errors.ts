// Storage's error answers: `{statusCode, code, error, message}` with the real status as a string
// in the body and HTTP 400 for every 4xx (500 for server faults), as Supabase Storage replies.
import { type GatewayResponse, json } from "../gateway/types.ts";

export class StorageError extends Error {
  constructor(
    /** The status Storage reports in the body (`"404"`, `"413"`...). */
    readonly statusCode: number,
    readonly code: string,
    readonly label: string,
    message: string,
    /** The HTTP status, where Storage answers with the real one instead of 400 (request too large). */
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

export const storageErrors = {
  noSuchBucket: () => new StorageError(404, "NoSuchBucket", "Bucket not found", "Bucket not found"),
  noSuchKey: () => new StorageError(404, "NoSuchKey", "not_found", "Object not found"),
  /** What a download of a missing or hidden object answers. */
  notFound: () => new StorageError(404, "NoSuchKey", "Not found", "The resource was not found"),
  keyAlreadyExists: () => new StorageError(409, "Duplicate", "Duplicate", "The resource already exists"),
  bucketAlreadyExists: () => new StorageError(409, "Duplicate", "Duplicate", "The resource already exists"),
  accessDenied: (message: string) => new StorageError(403, "AccessDenied", "Unauthorized", message),
  /** `entity`: what was too large (`object`, `user_metadata`...), in Storage's words. */
  entityTooLarge: (entity = "object") =>
    new StorageError(413, "EntityTooLarge", "Payload too large", `The ${entity} exceeded the maximum allowed size`),
  /** A JSON body over the limit: Fastify's own error, which Storage passes on with HTTP 413. */
  requestTooLarge: () => new StorageError(413, "EntityTooLarge", "FastifyError", "Request body is too large", 413),
  invalidMimeType: (type: string) => new StorageError(415, "InvalidMimeType", "invalid_mime_type", `mime type ${type} is not supported`),
  bucketNotEmpty: () => new StorageError(409, "ResourceNotEmpty", "ResourceNotEmpty", "The bucket you tried to delete is not empty"),
  expiredToken: () => new StorageError(400, "ExpiredToken", "ExpiredToken", "The provided token has expired."),
  invalidSignature: (message = "Invalid signature") => new StorageError(400, "InvalidSignature", "InvalidSignature", message),
  invalidKey: (key: string) => new StorageError(400, "InvalidKey", "Invalid Input", `Invalid key: ${key}`),
  invalidBucketName: (name: string) => new StorageError(400, "InvalidBucketName", "Invalid Input", `Bucket name invalid: ${name}`.trim()),
  invalidRequest: (message: string) => new StorageError(400, "InvalidRequest", "Invalid Input", message),
  invalidRange: () => new StorageError(416, "InvalidRange", "Invalid Range", "The requested range is not satisfiable"),
  /** A request for something this stack does not serve (image transformations): refused, never ignored. */
  featureNotEnabled: (feature: string) =>
    new StorageError(409, "FeatureNotEnabled", "FeatureNotEnabled", `The feature ${feature} is not enabled for this resource`),
  notFoundRoute: () => new StorageError(404, "NotFound", "Not Found", "Route not found"),
  internal: (message: string) => new StorageError(500, "InternalError", "Internal", message),
};

interface PostgresLikeError {
  code?: string;
  message?: string;
  constraint_name?: string;
}

/** Maps what the database said to Storage's error: RLS denial, duplicates, a missing bucket. */
export function fromDatabaseError(error: unknown): StorageError | undefined {
  const pg = error as PostgresLikeError;
  if (typeof pg?.code !== "string") return undefined;
  if (pg.code === "42501") return storageErrors.accessDenied(pg.message ?? "Access denied");
  if (pg.code === "23505")
    return pg.constraint_name === "bname" || pg.constraint_name === "buckets_pkey"
      ? storageErrors.bucketAlreadyExists()
      : storageErrors.keyAlreadyExists();
  if (pg.code === "23503") return storageErrors.noSuchBucket();
  if (pg.code === "22P02" || pg.code === "22023") return storageErrors.invalidRequest(pg.message ?? "Invalid input");
  return undefined;
}

export function errorResponse(error: StorageError): GatewayResponse {
  return json(error.httpStatus ?? (error.statusCode >= 500 ? 500 : 400), {
    statusCode: String(error.statusCode),
    code: error.code,
    error: error.label,
    message: error.message,
  });
}
