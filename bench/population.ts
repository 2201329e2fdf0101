// The people in a benchmark: users with live sessions and their conversations, written straight
// into the database (signing up thousands would only measure argon2), or their relay doubles.

import { randomBytes } from 'node:crypto';
import { writeSettings, type Database } from '../db';
import {
  appendGeneratedToEach,
  seedDirectConversations,
  seedGroup,
  seedSessions,
  seedUsers,
} from '../db/seed';
import { hashPassword } from '../server/auth/passwords';
import { hashSessionToken } from '../server/auth/sessions';
import { SESSION_COOKIE } from '../protocol';
import type { ClientSpec } from './protocol';

export interface Population {
  /** One client per user, in order. */
  clients: ClientSpec[];
  conversationIds: string[];
}

let passwordHash: string | undefined;
let prefixCounter = 0;

/** Usernames start with a letter; each population gets its own prefix. */
function nextPrefix(name: string): string {
  prefixCounter += 1;
  return `b${Date.now().toString(36)}${prefixCounter}${name}_`;
}

async function seedPeople(
  db: Database,
  name: string,
  count: number,
): Promise<{ ids: string[]; cookies: string[] }> {
  passwordHash ??= await hashPassword('bench password never used to sign in');
  const users = await seedUsers(db, nextPrefix(name), count, passwordHash);
  const tokens = users.map(() => randomBytes(32).toString('base64url'));
  await seedSessions(
    db,
    users.map((user) => user.id),
    tokens.map(hashSessionToken),
  );
  return {
    ids: users.map((user) => user.id),
    cookies: tokens.map((token) => `${SESSION_COOKIE}=${token}`),
  };
}

/**
 * `pairs` direct conversations between 2 × pairs users. With several nodes, the two people of
 * a pair are on different nodes, so every message crosses between them. With `talkedBefore`,
 * each conversation already holds a message from its first person: the two are contacts, as
 * most people who write to each other are, and the first message of a new chat (which tells
 * both people each other's presence) is not what is measured.
 */
export async function seedPairs(
  db: Database,
  pairs: number,
  urls: string[],
  options: { talkedBefore?: boolean } = {},
): Promise<Population> {
  const people = await seedPeople(db, 'p', pairs * 2);
  const conversationIds = await seedDirectConversations(
    db,
    Array.from({ length: pairs }, (_, index) => [
      people.ids[2 * index]!,
      people.ids[2 * index + 1]!,
    ]),
  );
  if (options.talkedBefore) {
    await appendGeneratedToEach(
      db,
      conversationIds.map((conversationId, index) => ({
        conversationId,
        senderId: people.ids[2 * index]!,
        count: 1,
      })),
    );
  }
  const clients = people.ids.map<ClientSpec>((id, index) => ({
    id,
    cookie: people.cookies[index]!,
    url: urls[index % urls.length]!,
    conversations: [{ id: conversationIds[Math.floor(index / 2)]! }],
  }));
  return { clients, conversationIds };
}

/** One group of `members`; the group-size setting is raised to allow it, as an admin would. */
export async function seedBigGroup(
  db: Database,
  members: number,
  urls: string[],
): Promise<Population> {
  const people = await seedPeople(db, 'g', members);
  await writeSettings(db, { maxGroupSize: Math.max(members, 256) });
  const groupId = await seedGroup(db, 'Benchmark group', people.ids);
  // A group made in the app starts with the record of its making. Without a message before
  // them, the step's first message would be the group's first, which the server takes for the
  // first message of a new chat and answers by introducing every member to every other.
  await appendGeneratedToEach(db, [
    { conversationId: groupId, senderId: people.ids[0]!, count: 1 },
  ]);
  const clients = people.ids.map<ClientSpec>((id, index) => ({
    id,
    cookie: people.cookies[index]!,
    url: urls[index % urls.length]!,
    conversations: [{ id: groupId }],
  }));
  return { clients, conversationIds: [groupId] };
}

/** Users with sessions and no conversation: idle connections. */
export async function seedLoners(db: Database, count: number, urls: string[]): Promise<Population> {
  const people = await seedPeople(db, 'i', count);
  return {
    clients: people.ids.map((id, index) => ({
      id,
      cookie: people.cookies[index]!,
      url: urls[index % urls.length]!,
      conversations: [],
    })),
    conversationIds: [],
  };
}

/** The relay's version of seedPairs: rooms instead of users. */
export function relayPairs(pairs: number, url: string): Population {
  const clients = Array.from({ length: pairs * 2 }, (_, index): ClientSpec => {
    const pair = Math.floor(index / 2);
    const peer = index % 2 === 0 ? index + 1 : index - 1;
    return { id: `r${index}`, url, conversations: [{ id: `c${pair}`, to: [`r${peer}`] }] };
  });
  return {
    clients,
    conversationIds: Array.from({ length: pairs }, (_, index) => `c${index}`),
  };
}

/** The relay's version of seedBigGroup: everyone also joins the group's room. */
export function relayGroup(members: number, url: string): Population {
  return {
    clients: Array.from({ length: members }, (_, index) => ({
      id: `r${index}`,
      url,
      rooms: ['group'],
      conversations: [{ id: 'group', to: ['group'] }],
    })),
    conversationIds: ['group'],
  };
}
