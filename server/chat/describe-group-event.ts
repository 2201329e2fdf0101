// The text of the system messages that record changes to a group ("alice added bob").

export interface NamedUser {
  id: string;
  username: string;
}

/** What happened, for the system message that records it. */
export type GroupEvent =
  | { type: 'created'; actor: NamedUser; title: string }
  | { type: 'added'; actor: NamedUser; users: NamedUser[] }
  | { type: 'removed'; actor: NamedUser; user: NamedUser }
  | { type: 'left'; actor: NamedUser }
  | { type: 'promoted'; actor: NamedUser; user: NamedUser }
  | { type: 'demoted'; actor: NamedUser; user: NamedUser }
  /** The last admin left, and the longest-standing member took over. */
  | { type: 'succeeded'; actor: NamedUser; user: NamedUser }
  | { type: 'renamed'; actor: NamedUser; title: string }
  | { type: 'described'; actor: NamedUser; description: string }
  | { type: 'info-rights'; actor: NamedUser; isAdminsOnly: boolean }
  | { type: 'send-rights'; actor: NamedUser; isAdminsOnly: boolean }
  /** The actor joined through the group's invite link. */
  | { type: 'joined'; actor: NamedUser };

export function describeGroupEvent(event: GroupEvent): string {
  const actor = event.actor.username;
  switch (event.type) {
    case 'created':
      return `${actor} created the group “${event.title}”`;
    case 'added':
      return `${actor} added ${listNames(event.users.map((user) => user.username))}`;
    case 'removed':
      return `${actor} removed ${event.user.username}`;
    case 'left':
      return `${actor} left`;
    case 'promoted':
      return `${actor} made ${event.user.username} an admin`;
    case 'demoted':
      return `${actor} removed ${event.user.username} as admin`;
    case 'succeeded':
      return `${event.user.username} is now an admin`;
    case 'renamed':
      return `${actor} changed the group name to “${event.title}”`;
    case 'described':
      return event.description
        ? `${actor} changed the group description`
        : `${actor} removed the group description`;
    case 'info-rights':
      return event.isAdminsOnly
        ? `${actor} allowed only admins to change the group name and description`
        : `${actor} allowed all members to change the group name and description`;
    case 'joined':
      return `${actor} joined using this group's invite link`;
    case 'send-rights':
      return event.isAdminsOnly
        ? `${actor} allowed only admins to send messages`
        : `${actor} allowed all members to send messages`;
  }
}

/** "bob", "bob and carol", "bob, carol and dave". */
export function listNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
