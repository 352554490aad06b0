import { dateFilter } from "./date_format.js";
import type { HtmlText } from "./html_text.js";
import { jsonScript } from "./json_script.js";
import { floatformat, intcomma } from "./number_filters.js";
import {
  defaultFilter,
  defaultIfNone,
  linebreaksbr,
  pluralize,
  slugify,
  truncatechars,
  truncatewords,
  yesno,
} from "./text_filters.js";
import { timesince, timeuntil } from "./timesince.js";

/** A Django filter: the engine's HTML helpers, the value, then the filter's arguments. */
export type DjangoFilter = (html: HtmlText, value: unknown, ...args: unknown[]) => unknown;

/** Every filter of the kit by its Django name; Nunjucks filters and Handlebars helpers are made from these. */
export const DJANGO_FILTERS: Readonly<Record<string, DjangoFilter>> = {
  default: defaultFilter,
  default_if_none: defaultIfNone,
  date: dateFilter,
  timesince,
  timeuntil,
  pluralize,
  truncatechars,
  truncatewords,
  linebreaksbr,
  yesno,
  floatformat,
  intcomma,
  slugify,
  json_script: jsonScript,
};
