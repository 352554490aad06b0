import { compile, parse, type Token } from "path-to-regexp";

/** Positional arguments in the order the path names its parameters, or the parameters by name. */
export type RouteArgs = readonly unknown[] | Readonly<Record<string, unknown>>;

interface NamedRoute {
  path: string;
  params: { name: string; wildcard: boolean }[];
  build: (params: Record<string, string | string[]>) => string;
}

const routes = new Map<string, NamedRoute>();

function paramsOf(tokens: Token[], out: NamedRoute["params"] = []): NamedRoute["params"] {
  for (const token of tokens) {
    if (token.type === "param") out.push({ name: token.name, wildcard: false });
    else if (token.type === "wildcard") out.push({ name: token.name, wildcard: true });
    else if (token.type === "group") paramsOf(token.tokens, out);
  }
  return out;
}

/**
 * Names an Express route path for `{% url %}` and `reverse()`, and returns the path, so the route is written once:
 *
 * ```ts
 * app.get(namedRoute("product", "/products/:id"), showProduct);
 * // {% url "product" 3 %} -> /products/3
 * ```
 *
 * The path uses Express 5's syntax (path-to-regexp 8): `:id`, optional `{/:page}`, wildcard `*rest`. Naming a
 * route again replaces it.
 */
export function namedRoute(name: string, path: string): string {
  if (typeof name !== "string" || name === "") throw new Error("express-liveview: a route name must be a non-empty string");
  if (typeof path !== "string") throw new Error(`express-liveview: route ${JSON.stringify(name)} needs a path string`);
  let data;
  try {
    data = parse(path);
  } catch (error) {
    throw new Error(`express-liveview: route ${JSON.stringify(name)} has an invalid path ${JSON.stringify(path)}: ${(error as Error).message}`);
  }
  routes.set(name, { path, params: paramsOf(data.tokens), build: compile(data) });
  return path;
}

/** Names several routes at once: `{ home: "/", product: "/products/:id" }` (createLiveView's `django.routes`). */
export function nameRoutes(named: Readonly<Record<string, string>>): void {
  for (const [name, path] of Object.entries(named)) namedRoute(name, path);
}

/** Forgets every named route (for tests). */
export function clearNamedRoutes(): void {
  routes.clear();
}

/**
 * The URL of a named route, as Django's `reverse()`: arguments fill the parameters in order, or by name; each is
 * percent-encoded. An unknown name or a missing parameter throws.
 *
 * ```ts
 * reverse("product", [3]);           // "/products/3"
 * reverse("product", { id: "a b" }); // "/products/a%20b"
 * ```
 */
export function reverse(name: string, args: RouteArgs = []): string {
  const route = routes.get(name);
  if (!route) {
    const known = [...routes.keys()];
    throw new Error(
      `express-liveview: no route named ${JSON.stringify(name)} (named: ${known.length ? known.join(", ") : "none"}); name it with namedRoute() or createLiveView({ django: { routes } })`,
    );
  }
  const values: Record<string, unknown> = {};
  if (Array.isArray(args)) {
    if (args.length > route.params.length) {
      throw new Error(`express-liveview: route ${JSON.stringify(name)} (${route.path}) takes ${route.params.length} argument(s), got ${args.length}`);
    }
    args.forEach((value, index) => (values[route.params[index].name] = value));
  } else {
    Object.assign(values, args);
  }
  const params: Record<string, string | string[]> = {};
  for (const { name: param, wildcard } of route.params) {
    const value = values[param];
    if (value === undefined || value === null) continue;
    params[param] = wildcard ? (Array.isArray(value) ? value.map(String) : String(value).split("/")) : String(value);
  }
  try {
    return route.build(params);
  } catch (error) {
    throw new Error(`express-liveview: cannot build route ${JSON.stringify(name)} (${route.path}): ${(error as Error).message}`);
  }
}
