import { describe, expect, it } from 'vitest';
import { describeGroupEvent, listNames } from '../../server/chat/describe-group-event';

const alice = { id: 'a', username: 'alice' };
const bob = { id: 'b', username: 'bob' };

describe('system messages of group changes', () => {
  it('read like a sentence', () => {
    expect(describeGroupEvent({ type: 'created', actor: alice, title: 'Trip' })).toBe(
      'alice created the group “Trip”',
    );
    expect(
      describeGroupEvent({
        type: 'added',
        actor: alice,
        users: [bob, { id: 'c', username: 'carol' }],
      }),
    ).toBe('alice added bob and carol');
    expect(describeGroupEvent({ type: 'removed', actor: alice, user: bob })).toBe(
      'alice removed bob',
    );
    expect(describeGroupEvent({ type: 'left', actor: bob })).toBe('bob left');
    expect(describeGroupEvent({ type: 'promoted', actor: alice, user: bob })).toBe(
      'alice made bob an admin',
    );
    expect(describeGroupEvent({ type: 'demoted', actor: alice, user: bob })).toBe(
      'alice removed bob as admin',
    );
    expect(describeGroupEvent({ type: 'succeeded', actor: bob, user: bob })).toBe(
      'bob is now an admin',
    );
  });

  it('list names the way people do', () => {
    expect(listNames(['bob'])).toBe('bob');
    expect(listNames(['bob', 'carol'])).toBe('bob and carol');
    expect(listNames(['bob', 'carol', 'dave'])).toBe('bob, carol and dave');
  });
});
