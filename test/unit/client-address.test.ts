import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress } from '../../server/http/client-address';
import { describeWait } from '../../server/rate-limit/rate-limits';

describe('clientAddress', () => {
  it('is the connection’s own address when no proxy is trusted, whatever the client claims', () => {
    expect(clientAddress('6.6.6.6', '10.0.0.5', 0)).toBe('10.0.0.5');
    expect(clientAddress(undefined, '::ffff:127.0.0.1', 0)).toBe('127.0.0.1');
  });

  it('reads X-Forwarded-For from the right, one entry per trusted proxy', () => {
    // The client claimed 6.6.6.6; nginx appended the address it saw, 203.0.113.7.
    expect(clientAddress('6.6.6.6, 203.0.113.7', '10.0.0.5', 1)).toBe('203.0.113.7');
    expect(clientAddress('6.6.6.6, 203.0.113.7', '10.0.0.5', 2)).toBe('6.6.6.6');
    expect(clientAddress(['1.1.1.1', '2.2.2.2'], '10.0.0.5', 1)).toBe('2.2.2.2');
    expect(clientAddress('203.0.113.7', '10.0.0.5', 3)).toBe('203.0.113.7');
  });

  it('falls back to the connection when the header is missing or not an address', () => {
    expect(clientAddress(undefined, '10.0.0.5', 1)).toBe('10.0.0.5');
    expect(clientAddress('not an address', '10.0.0.5', 1)).toBe('10.0.0.5');
    expect(clientAddress(undefined, undefined, 0)).toBe('unknown');
  });
});

describe('addressKey', () => {
  it('keeps IPv4 addresses and counts IPv6 by its /64', () => {
    expect(addressKey('198.51.100.4')).toBe('198.51.100.4');
    expect(addressKey('2001:db8:0:1:abcd::1')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:0db8:0000:0001:ffff:0000:0000:0002')).toBe('2001:db8:0:1::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('describeWait', () => {
  it('rounds up to whole seconds, minutes up to an hour, then hours', () => {
    expect(describeWait(1)).toBe('1 second');
    expect(describeWait(1_500)).toBe('2 seconds');
    expect(describeWait(59_000)).toBe('59 seconds');
    expect(describeWait(3_599_500)).toBe('60 minutes');
    expect(describeWait(2 * 3_600_000)).toBe('2 hours');
  });
});
