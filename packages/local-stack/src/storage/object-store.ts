// The bytes of stored objects on disk: `<root>/objects/<object id>/<version>`. Names come from
// server-made ids only, never from object keys, so no key can reach outside the root. Uploads are
// streamed to `<root>/tmp` with their size limit and MD5 (the ETag) checked on the way, then
// moved into place once the database row is written.
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { copyFile, mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { storageErrors } from "./errors.ts";

const ID = /^[0-9a-f-]{36}$/;
/** Stream buffer for object bytes: fewer, larger reads and writes than Node's 16/64 KiB default. */
const STREAM_CHUNK = 512 * 1024;

export interface StagedFile {
  tempPath: string;
  size: number;
  /** Hex MD5 of the bytes, Storage's ETag for single-part uploads. */
  md5: string;
}

export interface ObjectStore {
  /** Streams `source` to a temporary file, failing with EntityTooLarge past `limit` bytes. */
  stage(source: Readable, limit: number): Promise<StagedFile>;
  /** Moves a staged file to its object's version. */
  commit(staged: StagedFile, objectId: string, version: string): Promise<void>;
  discard(staged: StagedFile): Promise<void>;
  read(objectId: string, version: string, range?: { start: number; end: number }): Readable;
  size(objectId: string, version: string): Promise<number>;
  copy(fromId: string, fromVersion: string, toId: string, toVersion: string): Promise<void>;
  removeVersion(objectId: string, version: string): Promise<void>;
  removeObject(objectId: string): Promise<void>;
}

function checkedName(value: string): string {
  if (!ID.test(value)) throw storageErrors.internal("invalid stored object name");
  return value;
}

export function createObjectStore(root: string): ObjectStore {
  const objects = join(root, "objects");
  const tmp = join(root, "tmp");
  const fileOf = (id: string, version: string) => join(objects, checkedName(id), checkedName(version));
  // The temp folder is made once, not per upload (again if it disappears under a running stack).
  let tmpReady: Promise<unknown> | undefined;
  const ensureTmp = () => {
    tmpReady ??= mkdir(tmp, { recursive: true }).catch((error) => {
      tmpReady = undefined;
      throw error;
    });
    return tmpReady;
  };
  return {
    async stage(source, limit) {
      await ensureTmp();
      const tempPath = join(tmp, randomUUID());
      const hash = createHash("md5");
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          if (size > limit) return done(storageErrors.entityTooLarge());
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(source, meter, createWriteStream(tempPath, { highWaterMark: STREAM_CHUNK }));
      } catch (error) {
        await rm(tempPath, { force: true });
        if ((error as NodeJS.ErrnoException).code === "ENOENT") tmpReady = undefined;
        throw error;
      }
      return { tempPath, size, md5: hash.digest("hex") };
    },
    async commit(staged, objectId, version) {
      const target = fileOf(objectId, version);
      await mkdir(join(objects, checkedName(objectId)), { recursive: true });
      await rename(staged.tempPath, target);
    },
    discard: (staged) => rm(staged.tempPath, { force: true }),
    read: (id, version, range) => createReadStream(fileOf(id, version), { ...range, highWaterMark: STREAM_CHUNK }),
    size: async (id, version) => (await stat(fileOf(id, version))).size,
    async copy(fromId, fromVersion, toId, toVersion) {
      await mkdir(join(objects, checkedName(toId)), { recursive: true });
      await copyFile(fileOf(fromId, fromVersion), fileOf(toId, toVersion));
    },
    removeVersion: (id, version) => rm(fileOf(id, version), { force: true }),
    removeObject: (id) => rm(join(objects, checkedName(id)), { recursive: true, force: true }),
  };
}
