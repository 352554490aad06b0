// Builds the browser bundle: controllers/liveview.ts -> dist/static/liveview/liveview.js and liveview.min.js (IIFE).
const path = require("path");
const webpack = require("webpack");
const { version } = require("./package.json");

const ENGINE_SOCKET = /[\\/]node_modules[\\/]engine\.io-client[\\/]build[\\/]esm[\\/]socket\.js$/;
const ENGINE_GLOBALS = /[\\/]node_modules[\\/]engine\.io-client[\\/]build[\\/]esm[\\/]globals\.js$/;

const bundle = (minified) => ({
  mode: minified ? "production" : "development",
  devtool: minified ? false : "source-map",
  entry: "./controllers/liveview.ts",
  target: ["web", "es2020"],
  output: {
    path: path.resolve(__dirname, "dist/static/liveview"),
    filename: minified ? "liveview.min.js" : "liveview.js",
    iife: true,
  },
  resolve: {
    extensions: [".ts", ".js"],
    extensionAlias: { ".js": [".ts", ".js"] },
  },
  module: {
    rules: [
      {
        test: /\.ts$/,
        loader: "ts-loader",
        options: { configFile: "tsconfig.client.json", transpileOnly: true, compilerOptions: { declaration: false } },
      },
      // Websocket only: engine.io-client's Socket is replaced by our engine (see the loader).
      { test: ENGINE_SOCKET, loader: path.resolve(__dirname, "scripts/websocket-engine-loader.cjs") },
      // No `Function("return this")` in the bundle: a strict CSP (no 'unsafe-eval') must not meet it.
      { test: ENGINE_GLOBALS, loader: path.resolve(__dirname, "scripts/global-this-loader.cjs") },
      // engine.io-client's modules have no side effects on import; saying so lets its unused transports drop.
      { test: /[\\/]node_modules[\\/]engine\.io-client[\\/]/, sideEffects: false },
    ],
  },
  plugins: [new webpack.DefinePlugin({ __LIVEVIEW_VERSION__: JSON.stringify(version) })],
  performance: { hints: false },
});

// express-liveview/client for `require` (jest's default mode, TypeScript's node10 resolution): one CommonJS file.
// idiomorph ships ES modules only, so it is bundled in; so is socket.io-client, with our websocket engine as in the
// browser bundle: it opens the page's own `WebSocket` (jsdom's under jest), where engine.io-client's CommonJS build
// would reach for the `ws` package, which jest's browser conditions resolve to a stub. Stimulus stays the app's own.
const commonJs = {
  ...bundle(false),
  mode: "production",
  devtool: false,
  entry: "./controllers/index.ts",
  output: { path: path.resolve(__dirname, "dist/cjs/controllers"), filename: "index.js", library: { type: "commonjs2" } },
  externals: { "@hotwired/stimulus": "commonjs @hotwired/stimulus" },
  optimization: { minimize: false },
};

module.exports = [bundle(false), bundle(true), commonJs];
