import { nameRoutes } from "./named_routes.js";

/** `createLiveView({ django })`: the settings of the Django porting kit, for every engine. */
export interface DjangoKitOptions {
  /** Named routes for `{% url "name" arg %}` and `reverse()`: `{ product: "/products/:id" }`. */
  routes?: Record<string, string>;
  /** What `{% static "css/site.css" %}` puts in front of the path. Default "/static/" (Django's STATIC_URL). */
  staticUrl?: string;
  /** IANA time zone `date` and `timesince` show times in (Django's TIME_ZONE). Default: the server's own. */
  timeZone?: string;
  /** BCP 47 locale of month and day names and of number separators. Default "en-US". */
  locale?: string;
}

export interface KitSettings {
  staticUrl: string;
  timeZone: string | undefined;
  locale: string;
}

const DEFAULTS: KitSettings = { staticUrl: "/static/", timeZone: undefined, locale: "en-US" };
let settings: KitSettings = { ...DEFAULTS };

export const kitSettings = (): KitSettings => settings;

/**
 * Sets the Django kit's settings (createLiveView does this from its `django` option). Settings not given go back
 * to their defaults; routes are added to the ones already named.
 *
 * ```ts
 * configureDjangoKit({ routes: { product: "/products/:id" }, staticUrl: "/assets/", timeZone: "Europe/Madrid" });
 * ```
 */
export function configureDjangoKit(options: DjangoKitOptions = {}): void {
  const staticUrl = options.staticUrl ?? DEFAULTS.staticUrl;
  if (typeof staticUrl !== "string") throw new Error("express-liveview: django.staticUrl must be a string");
  const timeZone = options.timeZone ?? DEFAULTS.timeZone;
  if (timeZone !== undefined) checkTimeZone(timeZone);
  const locale = options.locale ?? DEFAULTS.locale;
  try {
    new Intl.NumberFormat(locale);
  } catch {
    throw new Error(`express-liveview: django.locale ${JSON.stringify(locale)} is not a valid BCP 47 locale`);
  }
  if (options.routes) nameRoutes(options.routes);
  settings = { staticUrl, timeZone, locale };
}

function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    throw new Error(`express-liveview: django.timeZone ${JSON.stringify(timeZone)} is not an IANA time zone (e.g. "Europe/Madrid")`);
  }
}
