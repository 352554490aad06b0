// Builds the browser bundle: controllers/liveview.ts -> dist/static/liveview/liveview.js and liveview.min.js (IIFE).
const path = require("path");
const webpack = require("webpack");
const { version } = require("./package.json");

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
    ],
  },
  plugins: [new webpack.DefinePlugin({ __LIVEVIEW_VERSION__: JSON.stringify(version) })],
  performance: { hints: false },
});

module.exports = [bundle(false), bundle(true)];
