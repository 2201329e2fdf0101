// Every client event's handler: call the domain function, schedule the broadcast for after
// the ack, return the ack data. Validation, errors and acks are the wrapper's job (handler.ts).

import type { HandlerMap } from '../handler';
import { conversationHandlers } from './conversations';
import { groupHandlers } from './groups';
import { messageChangeHandlers } from './message-changes';
import { messageHandlers } from './messages';
import { peopleHandlers } from './people';
import { presenceHandlers } from './presence';
import { reportHandlers } from './reports';
import { searchHandlers } from './search';

export const handlers: HandlerMap = {
  ...conversationHandlers,
  ...messageHandlers,
  ...messageChangeHandlers,
  ...groupHandlers,
  ...presenceHandlers,
  ...searchHandlers,
  ...peopleHandlers,
  ...reportHandlers,
};
