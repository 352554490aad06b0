import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { liveviewHandler, renderToString, send, type Consumer, type HandlerContent, type UploadedFile } from "express-liveview";
import { exampleContext } from "../context";

/** Where avatars are stored: outside the public folder, served by a route that checks the name. */
export const avatarDir = (dataDir: string): string => path.join(dataDir, "avatars");
export const AVATAR_NAME = /^[0-9a-f-]{36}\.(png|jpg|webp)$/;
const EXTENSIONS: Record<string, "png" | "jpg" | "webp"> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" };

/** What an avatar may be: checked before (size, count) and as (type, from the bytes) it goes up. */
export const AVATAR_UPLOADS = { maxFileBytes: 5 * 1024 * 1024, maxFiles: 1, allowedTypes: Object.keys(EXTENSIONS) };

/** The upload handler: the files arrive already checked (size, count, type from their bytes). */
const uploadAvatar = async (consumer: Consumer, content: HandlerContent): Promise<void> => {
  const file = content.files.avatar as UploadedFile | undefined;
  if (!file) {
    send(consumer, { target: "#upload-status", html: renderToString("partials/avatar_status", { error: "No file selected" }) });
    return;
  }
  const ext = EXTENSIONS[file.type] ?? "png";
  const name = `${randomUUID()}.${ext}`;
  const image = sharp(file.data).rotate().resize(500, 500, { fit: "inside", withoutEnlargement: true });
  const resized = await image.toFormat(ext === "jpg" ? "jpeg" : ext).toBuffer({ resolveWithObject: true });
  const dir = avatarDir(exampleContext().dataDir);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, name), resized.data);
  send(consumer, {
    target: "#upload-status",
    html: renderToString("partials/avatar_status", {
      url: `/avatars/${name}`,
      width: resized.info.width,
      height: resized.info.height,
      original: file.name,
    }),
  });
};
// Only a handler that declares uploads receives files, and only after the middleware (login) let them through.
liveviewHandler("upload_avatar", uploadAvatar, { uploads: AVATAR_UPLOADS });
