// Validation of bucket names and object keys, as Storage checks them. Keys never reach the file
// system (bytes are stored by object id), but `.`/`..` segments, absolute paths, NUL and
// backslashes are refused anyway, as Storage's file backend refuses them.
import { storageErrors } from "./errors.ts";

// Storage's safe set: letters, digits, space and _/!.*'()&$=@;:+,?-
const KEY_CHARACTERS = /^[A-Za-z0-9 _/!.*'()&$=@;:+,?-]+$/;
const BUCKET_NAME = /^[A-Za-z0-9 _!.*'()&$=@;:+,?-]{1,100}$/;

export function isValidObjectKey(key: string): boolean {
  if (key.length === 0 || key.length > 1024 || !KEY_CHARACTERS.test(key)) return false;
  if (key.startsWith("/")) return false;
  return key.split("/").every((segment) => segment !== "." && segment !== "..");
}

export function assertObjectKey(key: string): string {
  if (!isValidObjectKey(key)) throw storageErrors.invalidKey(key);
  return key;
}

export function isValidBucketName(name: string): boolean {
  return BUCKET_NAME.test(name) && name.trim() === name;
}

export function assertBucketName(name: unknown): string {
  if (typeof name !== "string" || !isValidBucketName(name)) throw storageErrors.invalidBucketName(String(name ?? ""));
  return name;
}

/** `bucket/some/key` (already URL-decoded) -> its bucket and key. */
export function splitObjectPath(path: string): { bucketId: string; key: string } {
  const slash = path.indexOf("/");
  if (slash <= 0) throw storageErrors.invalidKey(path);
  return { bucketId: path.slice(0, slash), key: assertObjectKey(path.slice(slash + 1)) };
}

/** Decodes a URL path segment run, refusing malformed escapes with Storage's InvalidKey. */
export function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw storageErrors.invalidKey(path);
  }
}

const UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9 };

/** Bucket `file_size_limit` from the API: bytes, or `<n>(b|kb|mb|gb)` in decimal units; null clears. */
export function parseBucketSizeLimit(value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  const match = typeof value === "string" ? /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value) : null;
  if (!match) throw storageErrors.invalidRequest("Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B");
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? "b").toLowerCase()]);
}

const CONFIG_UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** A size from config.toml (`50MiB`, `5MB`, `1024`): binary units, as the CLI reads them. */
export function parseConfigSize(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = CONFIG_UNITS[(match?.[2] || "b").toLowerCase()];
  if (!match || !unit) throw new Error(`config.toml: invalid storage size "${value}"`);
  return Math.floor(Number(match[1]) * unit);
}

const MIME_TYPE = /^[a-z0-9.+-]+\/([a-z0-9.+-]+|\*)$/i;

export function parseAllowedMimeTypes(value: unknown): string[] | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (!Array.isArray(value) || !value.every((type) => typeof type === "string" && MIME_TYPE.test(type)))
    throw storageErrors.invalidRequest("body/allowed_mime_types must be an array of mime types like image/png or image/*");
  return value.length === 0 ? null : (value as string[]);
}

/** Whether `contentType` (parameters ignored) is one the bucket accepts. */
export function isMimeTypeAllowed(contentType: string, allowed: string[] | null): boolean {
  if (!allowed || allowed.length === 0) return true;
  const type = contentType.split(";")[0].trim().toLowerCase();
  return allowed.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.endsWith("/*") ? type.startsWith(p.slice(0, -1)) : p === type;
  });
}
