// The tests' own socket client (test/helpers/client.ts): a call never waits for an answer that
// cannot come. A test that waited out the ack timeout of each call behind a dropped connection
// took 40 s instead of 2 on a busy machine.

import { expect, it } from 'vitest';
import { call, connect } from '../helpers/client';
import { person, setupSuite } from '../helpers/suite';

const suite = setupSuite();

it('fails a call at once, in turn or not, once the connection dropped and will not come back', async () => {
  const alice = await person(suite, 'alice');
  // Without reconnection, as every socket of the tests unless asked: it dropped for good.
  const { socket } = await connect(suite.server.url, alice);
  suite.sockets.push(socket);
  const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
  socket.io.engine.close();
  expect(await dropped).not.toBe('io server disconnect');
  // More calls than go at once: those in turn too fail as closed, not after an ack timeout.
  const results = await Promise.allSettled(
    Array.from({ length: 6 }, () => call(socket, 'conversation:list', {})),
  );
  for (const result of results) {
    expect(result.status).toBe('rejected');
    expect(String((result as PromiseRejectedResult).reason)).toMatch(
      /conversation:list not sent: the socket is closed/,
    );
  }
});
