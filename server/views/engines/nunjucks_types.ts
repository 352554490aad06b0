/**
 * The parts of Nunjucks 3 express-liveview uses, typed here so the package's own types need no @types/nunjucks.
 * Nunjucks is loaded only when the "njk" engine is chosen.
 */
export interface NunjucksSafeString {
  readonly val: string;
  toString(): string;
}

export interface NunjucksNode {
  readonly lineno: number;
  readonly colno: number;
  findAll(type: unknown, results?: NunjucksNode[]): NunjucksNode[];
}

export interface NunjucksToken {
  readonly type: string;
  readonly value: string;
  readonly lineno: number;
  readonly colno: number;
}

export interface NunjucksParser {
  nextToken(withWhitespace?: boolean): NunjucksToken;
  peekToken(): NunjucksToken;
  parseExpression(): NunjucksNode;
  skip(type: string): boolean;
  skipValue(type: string, value: string): boolean;
  skipSymbol(value: string): boolean;
  advanceAfterBlockEnd(name?: string): NunjucksToken;
  fail(message: string, lineno?: number, colno?: number): never;
}

export type NunjucksNodeClass = new (lineno: number, colno: number, ...fields: unknown[]) => NunjucksNode & {
  addChild(node: NunjucksNode): void;
  children: NunjucksNode[];
};

export interface NunjucksNodes {
  NodeList: NunjucksNodeClass;
  KeywordArgs: NunjucksNodeClass;
  Pair: NunjucksNodeClass;
  Literal: NunjucksNodeClass;
  Symbol: NunjucksNodeClass;
  Filter: NunjucksNodeClass;
  FilterAsync: NunjucksNodeClass;
  CallExtension: new (extension: object, method: string, args: NunjucksNode, contentArgs?: unknown[]) => NunjucksNode;
}

export interface NunjucksLexer {
  TOKEN_BLOCK_END: string;
  TOKEN_COMMA: string;
  TOKEN_OPERATOR: string;
  TOKEN_SYMBOL: string;
}

/** A tag: `tags` it starts with, and `parse` returning the node the compiler turns into a call. */
export interface NunjucksExtension {
  tags: string[];
  parse(parser: NunjucksParser, nodes: NunjucksNodes, lexer: NunjucksLexer): NunjucksNode;
}

/** The `this` of a filter, a global function or an extension's method: the render's context. */
export interface NunjucksContext {
  ctx: Record<string, unknown>;
  env: NunjucksEnvironment;
  setVariable(name: string, value: unknown): void;
}

export interface NunjucksTemplate {
  render(context: object): string;
}

/** The Nunjucks Environment of a renderer: add your own filters, globals and tags to it. */
export interface NunjucksEnvironment {
  readonly opts: { autoescape: boolean };
  readonly filters: Record<string, unknown>;
  readonly extensionsList: NunjucksExtension[];
  addFilter(name: string, filter: (...args: never[]) => unknown, async?: boolean): NunjucksEnvironment;
  addGlobal(name: string, value: unknown): NunjucksEnvironment;
  addExtension(name: string, extension: NunjucksExtension): NunjucksEnvironment;
  getTemplate(name: string, eagerCompile?: boolean): NunjucksTemplate;
  /** Renders a template given as a string (no file: the unknown-filter check and the line of errors are the files'). */
  renderString(source: string, context: object): string;
}

export interface NunjucksModule {
  Environment: new (
    loaders: object,
    options: { autoescape: boolean; dev?: boolean; throwOnUndefined?: boolean },
  ) => NunjucksEnvironment;
  parser: { parse(source: string, extensions: NunjucksExtension[], options: object): NunjucksNode };
  nodes: NunjucksNodes;
  lexer: NunjucksLexer;
  runtime: {
    SafeString: new (value: string) => NunjucksSafeString;
    copySafeness(dest: unknown, target: string): unknown;
  };
  lib: { escape(text: string): string };
}
