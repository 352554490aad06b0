import type { ServerLogger } from "../../server/index";

export type MockLogger = ServerLogger & { info: jest.Mock; warn: jest.Mock; error: jest.Mock };

/** A logger of jest mocks: pass it as `createLiveView({ logger })` to keep tests quiet and to assert log lines. */
export function mockLogger(): MockLogger {
  return { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
}

/** Runs `fn` with `process.env.NODE_ENV` set to `value`, restoring it afterwards. */
export async function withNodeEnv<T>(value: string | undefined, fn: () => T | Promise<T>): Promise<T> {
  const previous = process.env.NODE_ENV;
  if (value === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = value;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
}
