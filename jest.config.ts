import type { Config } from "jest";

const moduleNameMapper = {
  "^express-liveview$": "<rootDir>/server/index.ts",
  "^express-liveview/client$": "<rootDir>/controllers/index.ts",
  "^express-liveview/protocol$": "<rootDir>/protocol/index.ts",
  "^(\\.{1,2}/.*)\\.js$": "$1",
};
const transform = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] as [string, object] };

const config: Config = {
  projects: [
    {
      displayName: "client",
      testEnvironment: "jsdom",
      testMatch: ["<rootDir>/test/client/**/*.test.ts"],
      moduleNameMapper,
      transform,
    },
    {
      displayName: "server",
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/server/**/*.test.ts"],
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
