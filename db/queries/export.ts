// "Download my data": everything of one account in one statement, as JSON built by the
// database: the profile and settings, and per conversation (as a member or a former member)
// its name and the messages the user sent in it.

import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../client';

export async function exportAccount(db: Executor, userId: string): Promise<unknown> {
  const [row] = rowsOf<{ data: unknown }>(
    await db.execute(sql`
      select json_build_object(
        'account', (
          select json_build_object(
            'id', u.id, 'username', u.username, 'displayName', u.display_name,
            'about', u.about, 'role', u.role, 'createdAt', u.created_at,
            'privacy', json_build_object(
              'presence', u.presence_visibility,
              'readReceipts', u.is_sending_read_receipts,
              'findableByName', u.is_findable_by_name))
          from users u where u.id = ${userId}),
        'conversations', coalesce((
          select json_agg(c order by c."lastMessageAt" desc nulls last)
          from (
            select conv.id, conv.kind,
              case when conv.kind = 'group' then conv.title else (
                select p.username from conversation_members pm
                join users p on p.id = pm.user_id
                where pm.conversation_id = conv.id and pm.user_id <> ${userId}
                limit 1) end as title,
              mine.membership,
              conv.last_message_at as "lastMessageAt",
              (select coalesce(json_agg(json_build_object(
                  'seq', m.seq, 'sentAt', m.created_at, 'text', m.body,
                  'editedAt', m.edited_at, 'deletedAt', m.deleted_at,
                  'replyToSeq', m.reply_to_seq, 'isForwarded', m.is_forwarded) order by m.seq), '[]')
               from messages m
               where m.conversation_id = conv.id and m.sender_id = ${userId} and m.kind = 'text'
              ) as "messagesSent"
            from (
              select conversation_id, 'member' as membership
              from conversation_members where user_id = ${userId}
              union all
              select conversation_id, 'former' from former_members where user_id = ${userId}
            ) mine
            join conversations conv on conv.id = mine.conversation_id
          ) c), '[]'::json)
      ) as data`),
  );
  return row?.data ?? null;
}
