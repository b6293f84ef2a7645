import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { crc32 } from "node:zlib";
import sharp from "sharp";
import { type StorageFixture, startStorageFixture } from "./storage-test-kit.ts";

let fx: StorageFixture;
before(async () => {
  fx = await startStorageFixture();
});
after(() => fx?.dispose());

/** A 100 x 50 PNG with EXIF: every transformation below changes its size, format or both. */
const source = () =>
  sharp({ create: { width: 100, height: 50, channels: 3, background: "red" } })
    .png()
    .withExif({ IFD0: { Copyright: "secret-gps-owner" } })
    .toBuffer();

async function imageOf(response: Response) {
  assert.equal(response.status, 200, await response.clone().text());
  const bytes = Buffer.from(await response.arrayBuffer());
  const { width, height, format, exif } = await sharp(bytes).metadata();
  return { width, height, format, exif, contentType: response.headers.get("content-type") };
}

async function uploadImage(bucket: string) {
  const user = await fx.signIn();
  const key = `${user.id}/photo.png`;
  const { error } = await user.client.storage.from(bucket).upload(key, await source(), { contentType: "image/png" });
  assert.equal(error, null);
  return { user, key };
}

test("public transformations: cover crops to the box, contain fits inside it, fill stretches; origin keeps PNG, Accept gets WebP", async () => {
  const { key } = await uploadImage("avatars");
  const url = (transform: Record<string, unknown>) => fx.anon.storage.from("avatars").getPublicUrl(key, { transform }).data.publicUrl;
  const cover = await imageOf(await fetch(url({ width: 40, height: 40, resize: "cover", format: "origin" })));
  assert.deepEqual([cover.width, cover.height, cover.format, cover.contentType], [40, 40, "png", "image/png"]);
  assert.equal(cover.exif, undefined, "metadata is stripped");
  const contain = await imageOf(await fetch(url({ width: 40, height: 40, resize: "contain", format: "origin" })));
  assert.deepEqual([contain.width, contain.height], [40, 20]);
  const fill = await imageOf(await fetch(url({ width: 30, height: 60, resize: "fill", format: "origin" })));
  assert.deepEqual([fill.width, fill.height], [30, 60]);
  const webp = await imageOf(await fetch(url({ width: 20, quality: 50 }), { headers: { accept: "image/avif,image/webp,*/*" } }));
  assert.deepEqual([webp.width, webp.height, webp.format, webp.contentType], [20, 10, "webp", "image/webp"]);
  const noWebp = await imageOf(await fetch(url({ width: 20 }), { headers: { accept: "image/png" } }));
  assert.equal(noWebp.format, "png");
});

test("authenticated transformations follow the read policies; a signed transformed URL is fixed by its token", async () => {
  const { user, key } = await uploadImage("documents");
  const downloaded = await user.client.storage.from("documents").download(key, { transform: { width: 10, height: 10 } });
  assert.equal(downloaded.error, null);
  const { width, height } = await sharp(Buffer.from(await (downloaded.data as Blob).arrayBuffer())).metadata();
  assert.deepEqual([width, height], [10, 10]);

  const stranger = await fx.signIn();
  const hidden = await stranger.client.storage.from("documents").download(key, { transform: { width: 10 } });
  assert.equal((hidden.error as { statusCode?: string } | null)?.statusCode, "404");
  const privatePublic = await fetch(fx.anon.storage.from("documents").getPublicUrl(key, { transform: { width: 10 } }).data.publicUrl);
  assert.equal((await privatePublic.json()).message, "Bucket not found");

  const signed = await user.client.storage.from("documents").createSignedUrl(key, 60, { transform: { width: 25, height: 25 } });
  assert.equal(signed.error, null);
  assert.match(signed.data?.signedUrl ?? "", /\/storage\/v1\/render\/image\/sign\/documents\//);
  const viaSigned = await imageOf(await fetch(signed.data?.signedUrl ?? "", { headers: { accept: "image/png" } }));
  assert.deepEqual([viaSigned.width, viaSigned.height], [25, 25]);
  const tampered = await fetch(`${signed.data?.signedUrl}&width=2000`);
  assert.equal(tampered.status, 400);
  assert.equal((await tampered.json()).message, "querystring/width: a signed URL's transformations are fixed by its token");
  const badSign = await user.client.storage.from("documents").createSignedUrl(key, 60, { transform: { quality: 5 } });
  assert.equal(badSign.error?.message, "body/transform/quality must be >= 20");
});

/** A PNG whose header claims `width` x `height` pixels, with almost no data behind it. */
function claimedPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8); // 1-bit grayscale: the smallest pixels, the largest image
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

test("decompression bombs, scripted SVGs, non-images and options it cannot honour are refused; the object stays as it was", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  await files.upload(`${user.id}/bomb.png`, claimedPng(50_000, 50_000), { contentType: "image/png" });
  await files.upload(`${user.id}/evil.svg`, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), {
    contentType: "image/svg+xml",
  });
  await files.upload(`${user.id}/photo.png`, await source(), { contentType: "image/png" });
  const render = (key: string, query: string) =>
    fetch(`${fx.stack.apiUrl}/storage/v1/render/image/authenticated/documents/${key}?${query}`, {
      headers: { apikey: fx.stack.keys.anonKey, authorization: `Bearer ${user.token}` },
    });
  const cases: [string, string, string, string][] = [
    [`${user.id}/bomb.png`, "width=10", "422", "The source image exceeds the maximum resolution of 50000000 pixels"],
    [`${user.id}/evil.svg`, "width=10", "422", "The object is not an image that can be transformed"],
    [`${user.id}/photo.png`, "quality=5", "400", "querystring/quality must be >= 20"],
    [`${user.id}/photo.png`, "width=ten", "400", "querystring/width must be integer"],
    [`${user.id}/photo.png`, "resize=stretch", "400", "querystring/resize must be equal to one of the allowed values"],
    [`${user.id}/photo.png`, "format=bmp", "400", "querystring/format must be equal to one of the allowed values"],
    [`${user.id}/photo.png`, "gravity=ce", "409", "The feature image transformation option gravity is not enabled for this resource"],
  ];
  for (const [key, query, statusCode, message] of cases) {
    const before = await fx.objectRow("documents", key);
    await fx.unchanged(async () => {
      const response = await render(key, query);
      assert.equal(response.status, 400, query);
      const body = await response.json();
      assert.equal(body.statusCode, statusCode, query);
      assert.equal(body.message, message);
    });
    assert.deepEqual(await fx.objectRow("documents", key), before);
  }
});
