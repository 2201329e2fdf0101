// Names on the device: a profile the server told replaces the name wherever the person shows
// (direct chat titles and peers, group member lists, oneself), and the avatar's initials and
// colour come from the name and the id.

import { describe, expect, it } from 'vitest';
import { applyProfiles, displayNameOf } from '../../hooks/chat-state';
import { createChatStore } from '../../hooks/client/store';
import type { ConversationSummary, Profile } from '../../protocol';
import { colourOf, initialsOf } from '../../components/avatar';
import { lastNameTyped, withPickedName } from '../../components/people-suggestions';

const me = { id: 'me', username: 'me' };
const ada: Profile = { id: 'ada', username: 'ada', displayName: 'Ada Lovelace', about: 'Maths' };

function direct(id: string, peer: { id: string; username: string }): ConversationSummary {
  return { id, kind: 'direct', title: peer.username, peer } as ConversationSummary;
}

describe('applyProfiles', () => {
  it('renames a direct chat, its peer and the member rows of the person, and nothing else', () => {
    const state = {
      ...createChatStore(me).getState(),
      conversations: [
        direct('c1', { id: 'ada', username: 'ada' }),
        direct('c2', { id: 'bob', username: 'bob' }),
      ],
      members: { g1: [{ id: 'ada', username: 'ada', role: 'member' as const }] },
    };
    const after = applyProfiles(state, [ada]);
    expect(after.conversations[0]).toMatchObject({
      title: 'Ada Lovelace',
      peer: { id: 'ada', username: 'ada', displayName: 'Ada Lovelace' },
    });
    expect(after.conversations[1]).toBe(state.conversations[1]);
    expect(after.members.g1?.[0]).toMatchObject({ displayName: 'Ada Lovelace' });
    expect(after.people.ada).toEqual(ada);
    // A name taken away shows the username again.
    const cleared = applyProfiles(after, [{ ...ada, displayName: '' }]);
    expect(cleared.conversations[0]?.title).toBe('ada');
    expect(cleared.conversations[0]?.peer).toEqual({ id: 'ada', username: 'ada' });
  });

  it('updates the user themselves', () => {
    const after = applyProfiles(createChatStore(me).getState(), [
      { id: 'me', username: 'me', displayName: 'Me Myself', about: '' },
    ]);
    expect(after.me).toEqual({ id: 'me', username: 'me', displayName: 'Me Myself' });
    expect(after.profile.displayName).toBe('Me Myself');
  });

  it('prefers what the server last told over what a payload carried', () => {
    const people = { ada };
    expect(displayNameOf(people, { id: 'ada', username: 'ada', displayName: 'Old' })).toBe(
      'Ada Lovelace',
    );
    expect(displayNameOf({}, { id: 'ada', username: 'ada', displayName: 'Old' })).toBe('Old');
    expect(displayNameOf({}, { id: 'ada', username: 'ada' })).toBe('ada');
  });
});

describe('avatars', () => {
  it('take the first letters of the first two words, in any script', () => {
    expect(initialsOf('Ada Lovelace King')).toBe('AL');
    expect(initialsOf('bob')).toBe('B');
    expect(initialsOf('  мария   иванова ')).toBe('МИ');
    expect(initialsOf('😀 party')).toBe('😀P');
  });

  it('keep one colour per id', () => {
    expect(colourOf('ada')).toBe(colourOf('ada'));
    expect(
      new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map(colourOf)).size,
    ).toBeGreaterThan(3);
  });
});

describe('picking people into a list of usernames', () => {
  it('searches for the name being typed, and replaces it with the one picked', () => {
    expect(lastNameTyped('bob, car')).toBe('car');
    expect(lastNameTyped('bob, ')).toBe('');
    expect(withPickedName('bob, car', 'carol')).toBe('bob, carol, ');
    expect(withPickedName('', 'carol')).toBe('carol, ');
  });
});
