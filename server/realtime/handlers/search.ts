import { ClientEvent } from '../../../protocol';
import { searchMessages } from '../../chat/search-messages';
import type { HandlerMap } from '../handler';

export const searchHandlers: Pick<HandlerMap, typeof ClientEvent.MessageSearch> = {
  [ClientEvent.MessageSearch]: async ({ deps, session }, input) =>
    searchMessages(deps, session.user.id, input),
};
