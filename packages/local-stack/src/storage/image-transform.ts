// Image transformations (Storage's /render/image routes), done with sharp where Supabase uses
// imgproxy: width/height clamped to Storage's limits, resize cover/contain/fill, quality, and the
// output format (WebP when the client accepts it, unless `format=origin`). Sources are checked
// from their header before any pixel is decoded: an image past the resolution limit (a
// decompression bomb) or of a type that is not a raster image is refused.
import sharp from "sharp";
import { StorageError, storageErrors } from "./errors.ts";

export interface TransformOptions {
  width?: number;
  height?: number;
  resize?: "cover" | "contain" | "fill";
  format?: "origin" | "avif" | "webp";
  quality?: number;
}

/** Storage clamps sizes to these rather than refusing them. */
const SIZE = { min: 1, max: 2500 };
/** Source limits, as imgproxy's defaults on Supabase: 50 megapixels and 25 MB. */
export const MAX_SOURCE_PIXELS = 50_000_000;
export const MAX_SOURCE_BYTES = 25 * 1024 * 1024;
/** What a browser can show and sharp can read safely; SVG is text with scripts, never rendered. */
const RASTER_FORMATS = new Set(["jpeg", "png", "webp", "gif", "avif", "tiff", "heif"]);
const RESIZE_MODES = ["cover", "contain", "fill"] as const;
const FORMATS = ["origin", "avif", "webp"] as const;
/** Options Storage knows but this stack cannot honour: refused, never ignored. */
const UNSUPPORTED = ["gravity", "x_offset", "y_offset"];

function integerOption(value: unknown, name: string, where: string, minimum: number, maximum?: number): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const number = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isSafeInteger(number)) throw storageErrors.invalidRequest(`${where}/${name} must be integer`);
  if (number < minimum) throw storageErrors.invalidRequest(`${where}/${name} must be >= ${minimum}`);
  if (maximum !== undefined && number > maximum) throw storageErrors.invalidRequest(`${where}/${name} must be <= ${maximum}`);
  return number;
}

function choiceOption<T extends string>(value: unknown, name: string, where: string, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || !allowed.includes(value as T))
    throw storageErrors.invalidRequest(`${where}/${name} must be equal to one of the allowed values`);
  return value as T;
}

/** Options from a query string (`where` = "querystring") or a signed-URL body's `transform`. */
export function parseTransformOptions(source: Record<string, unknown>, where: string): TransformOptions {
  for (const name of UNSUPPORTED)
    if (source[name] !== undefined) throw storageErrors.featureNotEnabled(`image transformation option ${name}`);
  const options: TransformOptions = {
    width: integerOption(source.width, "width", where, 0),
    height: integerOption(source.height, "height", where, 0),
    resize: choiceOption(source.resize, "resize", where, RESIZE_MODES),
    format: choiceOption(source.format, "format", where, FORMATS),
    quality: integerOption(source.quality, "quality", where, 20, 100),
  };
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined && value !== 0)) as TransformOptions;
}

const clamp = (value: number) => Math.min(Math.max(value, SIZE.min), SIZE.max);

/** The output format: explicit, or WebP for clients that accept it, else the source's own. */
function outputFormat(options: TransformOptions, accept: string, sourceFormat: string): string {
  if (options.format === "avif" || options.format === "webp") return options.format;
  if (options.format !== "origin" && /image\/webp/i.test(accept)) return "webp";
  return sourceFormat === "heif" || sourceFormat === "tiff" ? "jpeg" : sourceFormat;
}

const unprocessable = (message: string) => new StorageError(422, "InvalidImage", "Unprocessable Entity", message);

export async function renderImage(
  source: Buffer,
  options: TransformOptions,
  accept: string,
): Promise<{ bytes: Buffer; contentType: string }> {
  let format: string | undefined;
  let pixels: number;
  try {
    const header = await sharp(source, { limitInputPixels: false }).metadata();
    format = header.format;
    pixels = (header.width ?? 0) * (header.height ?? 0) * Math.max(header.pages ?? 1, 1);
  } catch {
    throw unprocessable("The object is not an image that can be transformed");
  }
  if (!format || !RASTER_FORMATS.has(format)) throw unprocessable(`Images of type ${format ?? "unknown"} cannot be transformed`);
  if (pixels > MAX_SOURCE_PIXELS) throw unprocessable(`The source image exceeds the maximum resolution of ${MAX_SOURCE_PIXELS} pixels`);
  const target = outputFormat(options, accept, format);
  const fit = options.resize === "contain" ? "inside" : options.resize === "fill" ? "fill" : "cover";
  let image = sharp(source, { limitInputPixels: MAX_SOURCE_PIXELS, animated: format === "gif" || format === "webp" }).rotate();
  if (options.width || options.height)
    image = image.resize({
      width: options.width ? clamp(options.width) : undefined,
      height: options.height ? clamp(options.height) : undefined,
      fit,
    });
  const quality = options.quality ?? 80;
  image =
    target === "webp"
      ? image.webp({ quality })
      : target === "avif"
        ? image.avif({ quality })
        : target === "png"
          ? image.png()
          : target === "gif"
            ? image.gif()
            : image.jpeg({ quality });
  try {
    return { bytes: await image.toBuffer(), contentType: `image/${target}` };
  } catch {
    throw unprocessable("The image could not be transformed");
  }
}
