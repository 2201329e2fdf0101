import { findMessageBySeq, listMemberMarkers } from '../../db';
import { ErrorCode, type MessageReceipts } from '../../protocol';
import type { Deps } from '../deps';
import { AppError, conversationNotFound } from '../errors';

/** Who has read, who has received, and who has not yet received one message. */
export async function getMessageReceipts(
  deps: Deps,
  viewerId: string,
  input: { conversationId: string; seq: number },
): Promise<MessageReceipts> {
  const members = await listMemberMarkers(deps.db, input.conversationId);
  // The viewer's own row is the membership check.
  const viewer = members.find((member) => member.id === viewerId);
  if (!viewer) throw conversationNotFound();
  const message = await findMessageBySeq(deps.db, input.conversationId, input.seq);
  if (!message || message.seq < viewer.joinedSeq) {
    throw new AppError(ErrorCode.NotFound, 'No such message.');
  }
  const receipts: MessageReceipts = { readBy: [], deliveredTo: [], pending: [] };
  for (const member of members) {
    // The sender, and members who joined after it, are not waiting for it.
    if (member.id === message.senderId || member.joinedSeq > message.seq) continue;
    const user = { id: member.id, username: member.username };
    // With read receipts off on either side, or a block between the two people of a direct
    // chat, another's read shows as a delivery.
    const isReadShown =
      member.id === viewerId ||
      (member.isSendingReadReceipts && viewer.isSendingReadReceipts && !viewer.isBlocked);
    if (isReadShown && member.readSeq >= message.seq) receipts.readBy.push(user);
    else if (member.deliveredSeq >= message.seq) receipts.deliveredTo.push(user);
    else receipts.pending.push(user);
  }
  return receipts;
}
