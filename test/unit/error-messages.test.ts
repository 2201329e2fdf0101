// What a refused request says: a sentence a person can read, with no internal field name in
// it; the field it is about comes separately, for programs.

import { describe, expect, it } from 'vitest';
import {
  describeZodError,
  GroupCreateRequest,
  ConversationListRequest,
  SettingsUpdate,
  SignUpRequest,
  USERNAME_RULE,
} from '../../protocol';
import { AppError, toAckError } from '../../server/errors';
import type { z } from 'zod';

function describe_(schema: z.ZodType, value: unknown) {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected a refusal');
  return describeZodError(parsed.error);
}

describe('describeZodError', () => {
  it('says what is wrong with a field without naming it, and names the field apart', () => {
    expect(describe_(SignUpRequest, { username: 'alice', password: 'short' })).toEqual({
      message: 'Password must be at least 8 characters.',
      field: 'password',
    });
    expect(describe_(SignUpRequest, { username: '9lives', password: 'long enough' })).toEqual({
      message: USERNAME_RULE,
      field: 'username',
    });
    expect(describe_(SettingsUpdate, { maxGroupSize: 0 })).toEqual({
      message: expect.not.stringMatching(/maxGroupSize/),
      field: 'maxGroupSize',
    });
    expect(describe_(GroupCreateRequest, { title: 'Team', usernames: ['ok_name', '!'] })).toEqual({
      message: USERNAME_RULE,
      field: 'usernames.1',
    });
  });

  it('has no field for a problem with the request as a whole', () => {
    expect(describe_(SignUpRequest, [])).toEqual({
      message: 'The request must be one JSON object.',
    });
    expect(describe_(ConversationListRequest, { extra: 1 })).toEqual({
      message: expect.stringMatching(/^Unrecognized key/),
    });
  });
});

describe('toAckError', () => {
  it('carries the field of a refused request beside the message', () => {
    expect(
      toAckError(
        new AppError('BAD_REQUEST', 'Password must be at least 8 characters.', {
          field: 'password',
        }),
      ),
    ).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
      message: 'Password must be at least 8 characters.',
      field: 'password',
    });
    expect(toAckError(new AppError('NOT_FOUND', 'No such conversation.'))).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: 'No such conversation.',
    });
  });
});
