// Every chat message must reach every member of its room exactly once (doubles are counted as they
// arrive, in tab.ts). At the end each load process gets the list of every message sent in the run, by any
// process, and judges its own tabs: a tab had to get a message if it was connected to the room before
// the message was sent and was not away-without-recovery at any time between its send and its ack (a
// recovered tab gets what it missed replayed, so it is judged like one that never left).
import type { ChatVerdict, SentChat } from "./types";

export interface ChatMember {
  chatRoom: string | null;
  connectedAt: number | null;
  /** Away without recovery, [from, to]; `to` is Infinity for a tab away at the end. */
  gaps: Array<[number, number]>;
  chatReceived: Map<number, number>;
}

/** Clock slack between processes (both read the same machine's clock; this only absorbs rounding). */
const SLACK_MS = 50;

export function verifyChat(members: ChatMember[], sent: SentChat[]): ChatVerdict & { samples: string[] } {
  const verdict = { delivered: 0, missing: 0, excused: 0, samples: [] as string[] };
  const byRoom = new Map<string, SentChat[]>();
  for (const message of sent) {
    const list = byRoom.get(message.room) ?? [];
    list.push(message);
    byRoom.set(message.room, list);
  }
  for (const member of members) {
    if (!member.chatRoom || member.connectedAt === null) continue;
    for (const message of byRoom.get(member.chatRoom) ?? []) {
      const got = member.chatReceived.get(message.key) ?? 0;
      if (mustReceive(member, message)) {
        if (got > 0) verdict.delivered++;
        else {
          verdict.missing++;
          if (verdict.samples.length < 5) verdict.samples.push(`chat message ${message.key} in #${message.room} never reached a member`);
        }
      } else verdict.excused++;
    }
  }
  return verdict;
}

function mustReceive(member: ChatMember, message: SentChat): boolean {
  if (message.ackedAt === null) return false; // a lost call: it may or may not have run
  if ((member.connectedAt ?? Infinity) + SLACK_MS > message.sentAt) return false;
  const from = message.sentAt - SLACK_MS;
  const to = message.ackedAt + SLACK_MS;
  return !member.gaps.some(([start, end]) => start <= to && end >= from);
}
