/** The view engines `createLiveView({ engine })` accepts, by the file extension their templates use. */
export const ENGINE_NAMES = ["hbs", "njk", "ejs"] as const;

/** `"hbs"` Handlebars (the default), `"njk"` Nunjucks, `"ejs"` EJS. */
export type EngineName = (typeof ENGINE_NAMES)[number];

export const DEFAULT_ENGINE: EngineName = "hbs";

/** The package each optional engine loads, and the name the docs give it. */
export const ENGINE_PACKAGES: Readonly<Record<Exclude<EngineName, "hbs">, { pkg: string; title: string }>> = {
  njk: { pkg: "nunjucks", title: "Nunjucks" },
  ejs: { pkg: "ejs", title: "EJS" },
};

/** `value` as an engine name, or a clear error listing the valid ones. */
export function checkEngineName(value: unknown): EngineName {
  if (value === undefined) return DEFAULT_ENGINE;
  if (typeof value === "string" && (ENGINE_NAMES as readonly string[]).includes(value)) return value as EngineName;
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  throw new Error(
    `express-liveview: unknown view engine ${shown}; the engine option must be one of ${ENGINE_NAMES.map((name) => `"${name}"`).join(", ")}`,
  );
}
