import { describe, expect, it } from 'vitest';
import { isAllowedPushEndpoint } from '../../server/push/endpoints';

const allowed = [
  'https://fcm.googleapis.com',
  'https://*.notify.windows.com',
  'http://127.0.0.1:4567',
];

describe('push endpoints', () => {
  it('are accepted only at the listed push services', () => {
    expect(isAllowedPushEndpoint('https://fcm.googleapis.com/fcm/send/abc', allowed)).toBe(true);
    expect(
      isAllowedPushEndpoint('https://wns2-par02p.notify.windows.com/w/?token=x', allowed),
    ).toBe(true);
    expect(isAllowedPushEndpoint('http://127.0.0.1:4567/sub/1', allowed)).toBe(true);
  });

  it('are refused anywhere else, however they are disguised', () => {
    for (const endpoint of [
      'http://fcm.googleapis.com/fcm/send/abc', // not https
      'https://fcm.googleapis.com.evil.example/x',
      'https://evil.example/fcm.googleapis.com',
      'https://notify.windows.com.evil.example/',
      'https://evilnotify.windows.com/', // not a subdomain
      'http://127.0.0.1:80/admin',
      'http://127.0.0.1:4567@evil.example/',
      'https://user:pass@fcm.googleapis.com/x',
      'not a url',
    ]) {
      expect(isAllowedPushEndpoint(endpoint, allowed), endpoint).toBe(false);
    }
  });
});
