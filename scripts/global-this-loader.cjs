// Webpack loader for engine.io-client's globals.js: its global-object shim falls back to
// `Function("return this")()`, which a Content-Security-Policy without 'unsafe-eval' forbids and which makes
// the bundle fail our "no eval / new Function" check. Every browser we support has `globalThis`, so the
// fallback becomes that. If an upgrade changes the shim, the build fails here instead of shipping eval.
const FALLBACK = 'Function("return this")()';

module.exports = function globalThisShim(source) {
  if (!source.includes(FALLBACK)) {
    throw new Error(`global-this-loader: ${this.resourcePath} no longer has ${FALLBACK}; check engine.io-client`);
  }
  return source.split(FALLBACK).join("globalThis");
};
