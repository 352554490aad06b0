// Generators of hostile traffic for test/server/fuzz_hostile_messages.test.ts: what a script (not our browser
// bundle) can send over socket.io-client, and frames only a hand-made client sends. Seeded by fast-check.
import fc from "fast-check";
import { LIVEVIEW_EVENT, UPLOAD_EVENTS } from "../../protocol/index";

/** The honest clients' call ids are `honest-<who>-<n>`, so hostile ones can forge them. */
export const honestCallId = (who: string, n: number): string => `honest-${who}-${n}`;

const FORBIDDEN = ["__proto__", "constructor", "prototype"] as const;

/** An object whose every level has `__proto__`/`constructor`/`prototype` as own keys (made by JSON.parse). */
export const pollutingValue: fc.Arbitrary<unknown> = fc
  .array(fc.constantFrom(...FORBIDDEN, "a", "0"), { minLength: 1, maxLength: 8 })
  .map((path) => {
    let json = '{"polluted":true,"toString":"x"}';
    for (const key of path.reverse()) {
      json = `{${FORBIDDEN.map((forbidden) => `"${forbidden}":{"polluted":true}`).join(",")},${JSON.stringify(key)}:${json}}`;
    }
    return JSON.parse(json) as unknown;
  });

/** A value nested `depth` levels deep, built from text so no recursion builds it. */
export const nested = (depth: number, array: boolean): unknown =>
  JSON.parse(array ? `${"[".repeat(depth)}1${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);

/** socket.io-client refuses to emit these names itself. */
const RESERVED = new Set(["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]);

const forgedId = fc.oneof(
  fc.tuple(fc.constantFrom("a", "b"), fc.nat(3000)).map(([who, n]) => honestCallId(who, n)),
  fc.uuid(),
  fc.string({ maxLength: 200 }),
  fc.constant("x".repeat(129)),
  fc.anything({ maxDepth: 2 }),
);

const functionName = fc.oneof(
  fc.constantFrom("fuzz_echo", "fuzz_echo ", "FUZZ_ECHO", "toString", "__proto__", "constructor", "hasOwnProperty"),
  fc.string({ maxLength: 30 }),
  fc.constant("f".repeat(201)),
  fc.anything({ maxDepth: 1 }),
);

const callField = fc.oneof(fc.anything({ maxDepth: 3 }), fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 })));

/** One socket.io-client emit: its event, its arguments, whether it asks for an ack, and its kind (for the counts). */
export interface HostileEmit {
  kind: string;
  event: string;
  /** The arguments, or a function that makes them as they are sent (huge strings: the plan holds only their recipe). */
  args: unknown[] | (() => unknown[]);
  ack: boolean;
}

/** The arguments of an emit, made now when they are a recipe. */
export const argsOf = (emit: HostileEmit): unknown[] => (typeof emit.args === "function" ? emit.args() : emit.args);

const emitOf = (kind: string, event: string, args: fc.Arbitrary<unknown[] | (() => unknown[])>): fc.Arbitrary<HostileEmit> =>
  fc.record({ kind: fc.constant(kind), event: fc.constant(event), args, ack: fc.boolean() }).map((emit) => ({
    ...emit,
    // Most ask for an ack: those are the ones that must be answered.
    ack: emit.ack || emit.args.length % 4 !== 0,
  }));

const call = (fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown[]> =>
  fc.record(fields, { requiredKeys: [] }).map((message) => [message]);

export const hostileEmit: fc.Arbitrary<HostileEmit> = fc.oneof(
  { weight: 3, arbitrary: emitOf("wrong_type", LIVEVIEW_EVENT, fc.array(fc.anything({ maxDepth: 3 }), { maxLength: 3 })) },
  {
    weight: 4,
    arbitrary: emitOf(
      "bad_fields",
      LIVEVIEW_EVENT,
      call({ id: forgedId, function: functionName, data: callField, form: callField, lang: callField, room: callField, uploads: callField }),
    ),
  },
  {
    weight: 1,
    arbitrary: emitOf(
      "huge_string",
      LIVEVIEW_EVENT,
      fc
        .tuple(fc.integer({ min: 50_000, max: 600_000 }), fc.constantFrom("data", "function", "id", "lang"), fc.string({ minLength: 1, maxLength: 3 }))
        .map(([size, field, unit]) => () => {
          const huge = unit.repeat(Math.ceil(size / unit.length));
          return [field === "data" ? { function: "fuzz_echo", data: { s: huge } } : { function: "fuzz_echo", [field]: huge }];
        }),
    ),
  },
  {
    weight: 2,
    arbitrary: emitOf(
      "deep_nesting",
      LIVEVIEW_EVENT,
      fc.tuple(fc.integer({ min: 30, max: 400 }), fc.boolean(), fc.constantFrom("data", "form", "top")).map(([depth, array, where]) => {
        const value = nested(depth, array);
        return [where === "top" ? value : { function: "fuzz_echo", [where]: { v: value } }];
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: emitOf(
      "many_keys",
      LIVEVIEW_EVENT,
      fc.tuple(fc.integer({ min: 900, max: 4000 }), fc.boolean()).map(([count, array]) => {
        const data = array ? { list: Array.from({ length: count }, (_, i) => i) } : Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));
        return [{ function: "fuzz_echo", data }];
      }),
    ),
  },
  {
    weight: 3,
    arbitrary: emitOf(
      "prototype_keys",
      LIVEVIEW_EVENT,
      fc.tuple(pollutingValue, fc.constantFrom("top", "data", "form", "uploads", "nested")).map(([value, where]) => {
        if (where === "top") return [JSON.parse(`{"function":"fuzz_echo","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`)];
        if (where === "nested") return [{ function: "fuzz_echo", data: { a: [{ b: value }] } }];
        return [{ function: "fuzz_echo", [where]: value }];
      }),
    ),
  },
  {
    weight: 3,
    arbitrary: emitOf(
      "forged_call_id",
      LIVEVIEW_EVENT,
      fc.tuple(forgedId, fc.constantFrom("fuzz_echo", "nope")).map(([id, name]) => [{ id, function: name, data: { who: "a", n: 1 }, form: {} }]),
    ),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        event: fc.oneof(
          fc.constantFrom("liveview:ready", "liveview:oversized", "liveview:", "liveview:upload", "liveview:x", "Liveview", "liveview ", "__proto__", "error", "message"),
          fc.string({ maxLength: 40 }),
        ),
        args: fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 2 }),
        ack: fc.boolean(),
      })
      .filter((emit) => !RESERVED.has(emit.event))
      .map((emit) => ({ kind: "unknown_event", ...emit })),
  },
  {
    weight: 2,
    arbitrary: emitOf(
      "binary_for_text",
      LIVEVIEW_EVENT,
      fc.tuple(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom("payload", "data", "function", "id")).map(([bytes, where]) => {
        const buffer = Buffer.from(bytes);
        if (where === "payload") return [buffer];
        if (where === "data") return [{ function: "fuzz_echo", data: { file: buffer } }];
        return [{ function: "fuzz_echo", [where]: buffer }];
      }),
    ),
  },
  {
    weight: 2,
    arbitrary: emitOf(
      "upload_start_without_chunks",
      UPLOAD_EVENTS.start,
      fc
        .record({
          uploadId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.string({ maxLength: 80 })),
          field: fc.oneof(fc.constant("file"), fc.constantFrom(...FORBIDDEN), fc.string({ maxLength: 20 })),
          name: fc.string({ maxLength: 50 }),
          type: fc.constantFrom("image/png", "text/plain", "", "application/octet-stream"),
          size: fc.oneof(fc.integer({ min: 0, max: 20_000_000 }), fc.double()),
          count: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.anything({ maxDepth: 0 })),
          // fuzz_upload accepts files (its starts are taken and never finished), fuzz_echo accepts none.
          function: fc.constantFrom("fuzz_upload", "fuzz_upload", "fuzz_echo", "nope", "__proto__"),
        }, { requiredKeys: ["uploadId", "size", "function"] })
        .map((start) => [start]),
    ),
  },
  {
    weight: 2,
    arbitrary: emitOf(
      "upload_chunk_unknown_id",
      UPLOAD_EVENTS.chunk,
      fc
        .record({
          uploadId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.anything({ maxDepth: 1 })),
          offset: fc.oneof(fc.nat(1_000_000), fc.integer(), fc.double()),
          data: fc.oneof(fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes)), fc.string({ maxLength: 100 })),
        }, { requiredKeys: [] })
        .map((chunk) => [chunk]),
    ),
  },
);

/** A batch of emits one hostile socket.io socket sends in a burst, and the room it tries to join. */
export interface HostileSession {
  room: "signed" | "none";
  emits: HostileEmit[];
}

export const hostileSession = (emits: number): fc.Arbitrary<HostileSession> =>
  fc.record({
    room: fc.constantFrom("signed", "signed", "none"),
    emits: fc.array(hostileEmit, { minLength: emits, maxLength: emits }),
  });

// ---- raw frames (engine.io text frames a hand-made client sends) ----

/** A frame and, when it carries an ack id, that id: the server must answer it (`43<id>`) or close the socket. */
export interface HostileFrame {
  kind: string;
  frames: (string | Buffer)[];
  ackId: number | null;
}

const jsonText = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  pollutingValue.map((value) => JSON.stringify(value)),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => `{"function":"fuzz_echo","data":{"v":${"[".repeat(depth)}${"]".repeat(depth)}}}`),
  fc.constant('{"function":"fuzz_echo","data":{"who":"a","n":1}}'),
);

/** Frames whose text carries an ack id most of the time (`42<id>[...]`). */
const withAck = (kind: string, body: fc.Arbitrary<(id: string) => (string | Buffer)[]>): fc.Arbitrary<HostileFrame> =>
  fc.tuple(body, fc.option(fc.nat(1_000_000), { freq: 4 })).map(([render, ackId]) => ({
    kind,
    frames: render(ackId === null ? "" : String(ackId)),
    ackId,
  }));

/** Frames with no ack id (junk, bare binary): nothing to answer, though they usually close the connection. */
const noAck = (kind: string, body: fc.Arbitrary<(string | Buffer)[]>): fc.Arbitrary<HostileFrame> =>
  body.map((frames) => ({ kind, frames, ackId: null }));

export const hostileFrame: fc.Arbitrary<HostileFrame> = fc.oneof(
  { weight: 4, arbitrary: withAck("raw_event", jsonText.map((json) => (id) => [`42${id}["liveview",${json}]`])) },
  {
    weight: 2,
    arbitrary: withAck(
      "raw_unknown_event",
      fc.constantFrom("disconnect", "connect", "disconnecting", "liveview:ready", "liveview:oversized", "__proto__", "constructor", "x").map(
        (name) => (id) => [`42${id}${JSON.stringify([name, {}])}`],
      ),
    ),
  },
  {
    weight: 3,
    // Cut anywhere, the ack id too: what is left of the id (the digits after "42") is the id the server reads.
    arbitrary: fc.tuple(jsonText, fc.nat(1_000_000), fc.noBias(fc.double({ min: 0, max: 1, noNaN: true }))).map(([json, id, cut]) => {
      const full = `42${id}["liveview",${json}]`;
      const frame = full.slice(0, Math.max(2, Math.floor(full.length * cut)));
      const digits = /^42(\d*)/.exec(frame)?.[1] ?? "";
      return { kind: "raw_truncated_json", frames: [frame], ackId: digits === "" ? null : Number(digits) };
    }),
  },
  {
    weight: 2,
    arbitrary: withAck(
      "raw_binary_placeholder",
      fc
        .tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom("binary", "text", "none"), fc.uint8Array({ maxLength: 64 }))
        .map(([declared, num, then, bytes]) => (id) => {
          const header = `45${declared}-${id}["liveview",{"function":"fuzz_echo","data":{"f":{"_placeholder":true,"num":${num}}}}]`;
          if (then === "none") return [header];
          return [header, then === "binary" ? Buffer.from(bytes) : "42[\"liveview\",{}]"];
        }),
    ),
  },
  { weight: 2, arbitrary: noAck("raw_binary_frame", fc.uint8Array({ maxLength: 512 }).map((bytes) => [Buffer.from(bytes)])) },
  {
    weight: 3,
    arbitrary: noAck(
      "raw_garbage",
      fc
        .oneof(
          fc.string({ maxLength: 200 }),
          fc.constantFrom("4", "42", "42[", "43", "40", "41", "44", "46", "49", "4x", "1", "5", "6", "2probe", "", "40/admin,", "42/admin,[\"liveview\",{}]"),
          fc.string({ maxLength: 60 }).map((text) => `4${text}`),
        )
        .map((text) => [text]),
    ),
  },
);

/** One hand-made connection: its room and frames, ended by a well-formed acked probe. */
export interface RawSession {
  room: "signed" | "forged" | "garbage";
  frames: HostileFrame[];
  /** A frame over the 1 MB message limit (answered with `too_large`), in some sessions: its size. */
  oversized: number | null;
  /** Once in a while a frame over the engine's hard limit (8 MB), which closes the connection. */
  hardLimit: boolean;
}

export const rawSession = (frames: number): fc.Arbitrary<RawSession> => fc.record({
  room: fc.constantFrom("signed", "signed", "signed", "forged", "garbage"),
  frames: fc.array(hostileFrame, { minLength: frames, maxLength: frames }),
  // Unbiased: fast-check leans towards small numbers, which would make every session carry one.
  oversized: fc.noBias(fc.integer({ min: 0, max: 99 })).chain((x) => fc.constant(x < 30 ? 1_100_000 + x * 60_000 : null)),
  hardLimit: fc.noBias(fc.integer({ min: 0, max: 99 })).map((x) => x < 3),
});

// ---- reconnect storms ----

/** One connection of a storm: the room it claims, and whether it closes before or after the handshake's answer. */
export interface StormConnection {
  room: "signed" | "forged_signature" | "other_secret" | "expired_shape" | "garbage" | "none";
  garbage: unknown;
  closeAt: "at_once" | "on_answer";
}

export const stormConnection: fc.Arbitrary<StormConnection> = fc.record({
  room: fc.constantFrom("signed", "forged_signature", "other_secret", "expired_shape", "garbage", "none"),
  garbage: fc.oneof(fc.anything({ maxDepth: 2 }), fc.constant("r".repeat(10_000)), fc.constantFrom("../etc", "a.b.c", ".", "room.", "__proto__")),
  closeAt: fc.constantFrom("at_once", "on_answer", "on_answer"),
});
