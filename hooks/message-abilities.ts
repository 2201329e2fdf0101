// What the viewer may do with one message (the action menu offers only that), and how its
// reactions are shown. The server enforces every rule again; these keep the menu honest.

import type {
  ClientLimits,
  ConversationSummary,
  Message,
  Reaction,
  UserSummary,
} from '../protocol';
import { isFormerMember } from './chat-state';

export interface MessageAbilities {
  canReply: boolean;
  canReact: boolean;
  canCopy: boolean;
  canForward: boolean;
  canEdit: boolean;
  canDeleteForEveryone: boolean;
  canDeleteForMe: boolean;
  /** Someone else's text, still there: former members too may report what they read. */
  canReport: boolean;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export function abilitiesOf(
  message: Message,
  context: {
    meId: string;
    summary: ConversationSummary | undefined;
    limits: ClientLimits;
    /** ms epoch; the windows are measured on the server's clock, this is the device's guess. */
    now: number;
  },
): MessageAbilities {
  const { meId, summary, limits, now } = context;
  const isMember = isCurrentMember(summary);
  const isText = message.kind === 'text';
  const isLive = isLiveText(message);
  const isMine = message.senderId === meId;
  const age = now - Date.parse(message.createdAt);
  const isGroupAdmin = summary?.kind === 'group' && summary.myRole === 'admin';
  return {
    canReply: isMember && isLive,
    canReact: isMember && isLive,
    canCopy: isLive,
    canForward: isLive,
    canEdit:
      isMember &&
      isLive &&
      isMine &&
      limits.editWindowMinutes > 0 &&
      age < limits.editWindowMinutes * MINUTE_MS,
    canDeleteForEveryone:
      isMember &&
      isLive &&
      (isGroupAdmin ||
        (isMine && limits.deleteWindowHours > 0 && age < limits.deleteWindowHours * HOUR_MS)),
    canDeleteForMe: isMember && isText && !message.isHidden,
    canReport: isLive && !isMine,
  };
}

/** Reacting, replying: only current members, only to text that is still there. */
export function canReactTo(message: Message, summary: ConversationSummary | undefined): boolean {
  return isCurrentMember(summary) && isLiveText(message);
}

function isCurrentMember(summary: ConversationSummary | undefined): boolean {
  return summary !== undefined && !isFormerMember(summary);
}

function isLiveText(message: Message): boolean {
  return message.kind === 'text' && !message.deleted && !message.isHidden;
}

export interface ReactionGroup {
  emoji: string;
  /** Oldest first, as the server lists them. */
  users: UserSummary[];
  /** The viewer is one of them. */
  isMine: boolean;
}

/** Reactions by emoji, in the order each emoji was first used. */
export function groupReactions(reactions: Reaction[] | undefined, meId: string): ReactionGroup[] {
  const groups = new Map<string, ReactionGroup>();
  for (const reaction of reactions ?? []) {
    const group = groups.get(reaction.emoji) ?? { emoji: reaction.emoji, users: [], isMine: false };
    group.users.push(reaction.user);
    if (reaction.user.id === meId) group.isMine = true;
    groups.set(reaction.emoji, group);
  }
  return [...groups.values()];
}

/** The viewer's own reaction to the message, if any. */
export function myReaction(message: Message, meId: string): string | null {
  return message.reactions?.find((reaction) => reaction.user.id === meId)?.emoji ?? null;
}
