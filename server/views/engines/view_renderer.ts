import type { EngineName } from "./engine_names.js";

/** A function a signed-rooms app passes in: room name -> signed token. */
export type RoomSigner = (name: string) => string;

/**
 * What `renderToString`, `res.render` and createLiveView need of a view engine. One renderer is made per views
 * folder and engine (configureViews), so a render calls straight into it.
 */
export interface ViewRenderer {
  readonly engine: EngineName;
  /** Extension of the engine's templates, with its dot: ".hbs", ".njk", ".ejs". */
  readonly extension: string;
  readonly viewsDir: string;
  /** NODE_ENV=production when the renderer was made: templates are compiled once and never checked again. */
  readonly production: boolean;
  /** Renders `views/NAME.<ext>` (NAME may hold subfolders: `pages/home`). */
  render(name: string, context?: unknown): string;
  /** Renders a template by its absolute path (the Express view engine). */
  renderFile(file: string, context?: unknown): string;
  /** Absolute path of a template name; names cannot leave the views folder. */
  resolve(name: string): string;
  /** The room helpers sign with `sign` (createLiveView's `signRoom`); plain names with null. */
  useRoomSigner(sign: RoomSigner | null): void;
}
