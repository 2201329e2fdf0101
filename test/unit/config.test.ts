// The environment, read and checked once (server/config.ts).

import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

describe('configuration', () => {
  it('holds 4,096 connections for the node to accept by default, or what LISTEN_BACKLOG says', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).listenBacklog).toBe(4096);
    expect(loadConfig({ NODE_ENV: 'test', LISTEN_BACKLOG: '1024' }).listenBacklog).toBe(1024);
  });

  it('refuses a backlog that is not a positive whole number, naming the variable', () => {
    for (const value of ['0', '-5', 'many', '2.5', '70000']) {
      expect(() => loadConfig({ NODE_ENV: 'test', LISTEN_BACKLOG: value })).toThrow(ConfigError);
      expect(() => loadConfig({ NODE_ENV: 'test', LISTEN_BACKLOG: value })).toThrow(
        /LISTEN_BACKLOG/,
      );
    }
  });
});
