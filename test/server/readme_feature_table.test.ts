import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.join(__dirname, "..", "..");

describe("README feature table", () => {
  it("names only test files that exist", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const named = [...readme.matchAll(/`(test\/[^`]+\.test\.ts)`/g)].map((match) => match[1]);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((file) => !existsSync(path.join(root, file)))).toEqual([]);
  });
});
