// A group's invite link, as its admins see and manage it: at most one live link per group;
// making a new one ends the old ("reset link").

import { randomBytes } from 'node:crypto';
import { findLiveInviteCode, insertInvite, revokeInvite } from '../../db';
import type { Deps } from '../deps';
import { changeGroup, requireAdmin } from './group-change';

/** 128 random bits: a link cannot be guessed, only shared. */
function makeInviteCode(): string {
  return randomBytes(16).toString('base64url');
}

/** The group's live link (null: none), for its admins. */
export async function getInviteLink(
  deps: Deps,
  actorId: string,
  conversationId: string,
): Promise<string | null> {
  let code: string | null = null;
  // Under the group's lock, like every admin check: a direct chat or a stranger finds nothing.
  await changeGroup(deps, actorId, conversationId, async (group) => {
    requireAdmin(group.actor);
    code = await findLiveInviteCode(group.tx, group.conversationId);
    return { events: [] };
  });
  return code;
}

/** The live link, made now if the group has none or `isReset` ends the one it has. */
export async function createInviteLink(
  deps: Deps,
  actorId: string,
  input: { conversationId: string; isReset?: boolean },
): Promise<string> {
  let code = '';
  await changeGroup(deps, actorId, input.conversationId, async (group) => {
    requireAdmin(group.actor);
    const live = await findLiveInviteCode(group.tx, group.conversationId);
    if (live && !input.isReset) {
      code = live;
      return { events: [] };
    }
    if (live) await revokeInvite(group.tx, group.lock, group.conversationId);
    code = makeInviteCode();
    await insertInvite(group.tx, group.lock, {
      conversationId: group.conversationId,
      code,
      createdBy: actorId,
    });
    return { events: [] };
  });
  deps.logger.info(
    { event: 'group.invite-created', conversationId: input.conversationId, userId: actorId },
    'group invite link made',
  );
  return code;
}

/** Ends the group's live link (none: nothing changes); whoever has it can no longer join. */
export async function revokeInviteLink(
  deps: Deps,
  actorId: string,
  conversationId: string,
): Promise<void> {
  await changeGroup(deps, actorId, conversationId, async (group) => {
    requireAdmin(group.actor);
    await revokeInvite(group.tx, group.lock, group.conversationId);
    return { events: [] };
  });
}
