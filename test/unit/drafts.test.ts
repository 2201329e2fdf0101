// Drafts: what was typed in a composer and not sent, kept per conversation in the state and
// on the device.

import { describe, expect, it } from 'vitest';
import { applyDraft } from '../../hooks/chat-state';
import { MemoryDeviceStore } from '../../hooks/device-store';

describe('applyDraft', () => {
  it('keeps one draft per conversation and drops an emptied one', () => {
    const one = applyDraft({}, 'a', 'hello');
    expect(one).toEqual({ a: 'hello' });
    const two = applyDraft(one, 'b', 'other');
    expect(two).toEqual({ a: 'hello', b: 'other' });
    expect(applyDraft(two, 'a', '')).toEqual({ b: 'other' });
  });

  it('returns the same object when nothing changes, so nothing re-renders', () => {
    const drafts = { a: 'hello' };
    expect(applyDraft(drafts, 'a', 'hello')).toBe(drafts);
    expect(applyDraft(drafts, 'b', '')).toBe(drafts);
  });
});

describe('the device store', () => {
  it('gives the drafts back at the next start, forgets an emptied one and all on clear', async () => {
    const device = new MemoryDeviceStore();
    await device.saveDraft('a', 'half a thought');
    await device.saveDraft('b', 'another');
    await device.saveDraft('b', '');
    expect((await device.load(50)).drafts).toEqual({ a: 'half a thought' });
    await device.clear();
    expect((await device.load(50)).drafts).toEqual({});
  });
});
