// Fault injection for the delivery tests, switched on by PARLEY_FAILPOINT (off by default).
// crash-after-commit: the process dies by SIGKILL right after a message is committed and
// before its ack is sent, the window in which a client cannot know whether its send landed.

import type { Config } from './config';

export function crashIfFailpoint(
  config: Pick<Config, 'failpoint'>,
  name: 'crash-after-commit',
): void {
  if (config.failpoint === name) process.kill(process.pid, 'SIGKILL');
}
