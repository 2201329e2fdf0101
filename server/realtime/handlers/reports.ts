import { ClientEvent } from '../../../protocol';
import { createReport } from '../../chat/create-report';
import type { HandlerMap } from '../handler';

export const reportHandlers: Pick<HandlerMap, typeof ClientEvent.ReportCreate> = {
  // Nothing to broadcast: admins read reports from the database when they open the console.
  [ClientEvent.ReportCreate]: async ({ deps, session }, input) =>
    createReport(deps, session.user.id, input),
};
