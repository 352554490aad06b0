import type {
  NunjucksContext,
  NunjucksExtension,
  NunjucksLexer,
  NunjucksNode,
  NunjucksNodes,
  NunjucksParser,
} from "../engines/nunjucks_types.js";
import { kitSettings } from "./kit_settings.js";
import { reverse } from "./named_routes.js";

/** Set on an error a tag throws: the template line of the tag, which Nunjucks does not track for tags. */
export const TAG_LINE = Symbol("liveview.tagLine");

/** Arguments of a Django tag: expressions separated by spaces (or commas), `key=value`, and a trailing `as name`. */
interface TagArguments {
  args: NunjucksNode;
  asName: string | null;
}

function parseTagArguments(parser: NunjucksParser, nodes: NunjucksNodes, lexer: NunjucksLexer, tag: { lineno: number; colno: number; value: string }): TagArguments {
  const args = new nodes.NodeList(tag.lineno, tag.colno);
  const kwargs = new nodes.KeywordArgs(tag.lineno, tag.colno);
  let asName: string | null = null;
  for (;;) {
    const next = parser.peekToken();
    if (!next) parser.fail(`unexpected end of file in ${tag.value} tag`, tag.lineno, tag.colno);
    if (next.type === lexer.TOKEN_BLOCK_END) break;
    if (parser.skip(lexer.TOKEN_COMMA)) continue;
    if (next.type === lexer.TOKEN_SYMBOL && next.value === "as") {
      parser.nextToken();
      const name = parser.nextToken();
      if (!name || name.type !== lexer.TOKEN_SYMBOL) parser.fail(`${tag.value} tag: "as" needs a variable name`, tag.lineno, tag.colno);
      asName = name.value;
      continue;
    }
    const expression = parser.parseExpression();
    if (parser.skipValue(lexer.TOKEN_OPERATOR, "=")) kwargs.addChild(new nodes.Pair(expression.lineno, expression.colno, expression, parser.parseExpression()));
    else args.addChild(expression);
  }
  if (kwargs.children.length) args.addChild(kwargs);
  parser.advanceAfterBlockEnd(tag.value);
  return { args, asName };
}

/** Puts `value` in a variable (`as name`) or returns it for output. */
function outputOrSet(context: NunjucksContext, asName: string | null, value: string): string {
  if (asName === null) return value;
  context.setVariable(asName, value);
  return "";
}

type KeywordArgs = Record<string, unknown> & { __keywords?: true };
const isKeywords = (value: unknown): value is KeywordArgs =>
  value !== null && typeof value === "object" && (value as KeywordArgs).__keywords === true;

/** A tag whose arguments are parsed the Django way and handed to `run(context, asName, ...args)`. */
function argumentTag(
  name: string,
  run: (context: NunjucksContext, line: number, asName: string | null, ...args: unknown[]) => unknown,
): NunjucksExtension & { run: typeof run } {
  const extension = {
    tags: [name],
    parse(parser: NunjucksParser, nodes: NunjucksNodes, lexer: NunjucksLexer): NunjucksNode {
      const tag = parser.nextToken();
      const { args, asName } = parseTagArguments(parser, nodes, lexer, tag);
      const list = new nodes.NodeList(tag.lineno, tag.colno);
      list.addChild(new nodes.Literal(tag.lineno, tag.colno, tag.lineno + 1));
      list.addChild(new nodes.Literal(tag.lineno, tag.colno, asName));
      for (const child of (args as unknown as { children: NunjucksNode[] }).children) list.addChild(child);
      return new nodes.CallExtension(extension, "run", list, []);
    },
    run,
  };
  return extension;
}

/** A tag that takes no arguments and outputs `output()` (or nothing). */
function plainTag(name: string, output: () => string, skipArguments = false): NunjucksExtension & { run: () => string } {
  const extension = {
    tags: [name],
    parse(parser: NunjucksParser, nodes: NunjucksNodes, lexer: NunjucksLexer): NunjucksNode {
      const tag = parser.nextToken();
      if (skipArguments) {
        for (let next = parser.peekToken(); next && next.type !== lexer.TOKEN_BLOCK_END; next = parser.peekToken()) parser.nextToken();
      }
      parser.advanceAfterBlockEnd(tag.value);
      return new nodes.CallExtension(extension, "run", new nodes.NodeList(tag.lineno, tag.colno), []);
    },
    run: output,
  };
  return extension;
}

function withLine<T>(line: number, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof Error) Object.assign(error, { [TAG_LINE]: line });
    throw error;
  }
}

/**
 * Django's tags for Nunjucks: `{% url "name" arg %}` (and `as var`), `{% static "path" %}` (and `as var`),
 * `{% csrf_token %}` (nothing: express-liveview calls travel over the socket), `{% load ... %}` (nothing: every
 * filter is always there) and `{% liveview_room_uuid %}`.
 */
export function djangoTags(roomUuid: () => string): Record<string, NunjucksExtension> {
  return {
    url: argumentTag("url", (context, line, asName, name, ...rest) =>
      withLine(line, () => {
        const last = rest[rest.length - 1];
        const args = isKeywords(last) ? withoutMarker(last) : rest;
        return outputOrSet(context, asName, reverse(String(name), args));
      }),
    ),
    static: argumentTag("static", (context, _line, asName, file) =>
      outputOrSet(context, asName, staticUrl(String(file ?? ""))),
    ),
    csrf_token: plainTag("csrf_token", () => ""),
    load: plainTag("load", () => "", true),
    liveview_room_uuid: plainTag("liveview_room_uuid", roomUuid),
  };
}

function withoutMarker(keywords: KeywordArgs): Record<string, unknown> {
  const { __keywords: _marker, ...rest } = keywords;
  return rest;
}

/** `{% static "css/site.css" %}`: the kit's staticUrl joined to the path, each segment percent-encoded. */
export function staticUrl(file: string): string {
  const base = kitSettings().staticUrl;
  const encoded = file.replace(/^\/+/, "").split("/").map(encodeURIComponent).join("/");
  return `${base.endsWith("/") ? base : `${base}/`}${encoded}`;
}
