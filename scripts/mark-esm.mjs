// dist/esm holds ES modules inside a CommonJS package: a nested package.json tells Node so.
// express-liveview/testing's ES module entry re-exports the CommonJS build, so `import` and `require` share one
// registry and one hub (two copies of the server code would hold two process-wide registries).
import { mkdirSync, writeFileSync } from "node:fs";
writeFileSync(new URL("../dist/esm/package.json", import.meta.url), JSON.stringify({ type: "module" }) + "\n");
mkdirSync(new URL("../dist/esm/testing/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("../dist/esm/testing/index.js", import.meta.url),
  'import testing from "../../cjs/testing/index.js";\n' +
    "export const { testPage, TestPage, TestHub, waitForLiveView } = testing;\n",
);
writeFileSync(new URL("../dist/esm/testing/index.d.ts", import.meta.url), 'export * from "../../cjs/testing/index.js";\n');
