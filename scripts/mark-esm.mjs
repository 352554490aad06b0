// dist/esm holds ES modules inside a CommonJS package: a nested package.json tells Node so.
import { writeFileSync } from "node:fs";
writeFileSync(new URL("../dist/esm/package.json", import.meta.url), JSON.stringify({ type: "module" }) + "\n");
