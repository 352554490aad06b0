import type { Config } from "jest";

const moduleNameMapper = {
  "^express-liveview$": "<rootDir>/server/index.ts",
  "^express-liveview/client$": "<rootDir>/controllers/index.ts",
  "^express-liveview/protocol$": "<rootDir>/protocol/index.ts",
  "^express-liveview/testing$": "<rootDir>/testing/index.ts",
  "^(\\.{1,2}/.*)\\.js$": "$1",
  // idiomorph's `exports` has an `import` condition only, which jest's CommonJS resolver does not take.
  "^idiomorph$": "<rootDir>/node_modules/idiomorph/dist/idiomorph.esm.js",
};
const transform = {
  "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] as [string, object],
  // idiomorph ships ES modules only: compile it to CommonJS for jest, as the bundler does for the browser.
  "/node_modules/idiomorph/.+\\.js$": ["ts-jest", { tsconfig: { allowJs: true, module: "commonjs" } }] as [string, object],
};
const transformIgnorePatterns = ["/node_modules/(?!idiomorph/)"];

const config: Config = {
  projects: [
    {
      displayName: "client",
      testEnvironment: "jsdom",
      testMatch: ["<rootDir>/test/client/**/*.test.ts"],
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: "server",
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/server/**/*.test.ts"],
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: "example",
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/example/**/*.test.ts"],
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: "package",
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/package/**/*.test.ts"],
      moduleNameMapper,
      transform,
    },
    {
      displayName: "e2e",
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
      moduleNameMapper,
      transform,
      slowTestThreshold: 30,
    },
  ],
  testTimeout: 30000,
};

export default config;
