-- Appending messages in one statement: `select * from append_messages(items)`, which db/queries/
-- messages.ts (appendMessages, storeMessages) calls and documents. It locks the conversations'
-- rows in id order, then appends, in a second statement of its own: a VOLATILE function takes
-- a new snapshot for each statement, so the append sees every change that committed before the
-- lock was granted. Run alone, the call is one transaction and one round trip.
-- Its lookups go through the indexes: its plans are kept per connection, and a plan made while
-- the tables were nearly empty would otherwise scan them (enable_seqscan = off prices scans out).
CREATE FUNCTION append_messages(p_items jsonb)
RETURNS TABLE (inserted_rows json, stored_rows json, generated_rows json, member_rows json,
  unanswerable_items json)
LANGUAGE plpgsql VOLATILE
SET enable_seqscan = off
AS $$
BEGIN
  PERFORM 1 FROM conversations c
  WHERE c.id = any(array(
    SELECT DISTINCT (item->>'conversation_id')::uuid FROM jsonb_array_elements(p_items) item))
  ORDER BY c.id
  FOR UPDATE;

  RETURN QUERY
  with input as (
    select * from jsonb_to_recordset(p_items)
      as x(i int, kind text, conversation_id uuid, sender_id uuid, client_msg_id uuid, body text, n int,
        reply_to_seq int, is_forwarded boolean)
  ),
  -- Lookups go row by row through the indexes (lateral, fenced by limit): the planner cannot
  -- know how many rows the JSON holds and would otherwise scan whole tables.
  stored as (
    select input.i, m.* from input cross join lateral (
      select * from messages m
      where m.sender_id = input.sender_id and m.client_msg_id = input.client_msg_id
      limit 1) m
    where input.kind = 'text'
  ),
  accepted as (
    select distinct on (input.sender_id, input.client_msg_id) input.*
    from input left join lateral (
      select true as is_member, cm.is_blocked, cm.can_send, cm.joined_seq
      from conversation_members cm
      where cm.conversation_id = input.conversation_id and cm.user_id = input.sender_id
      limit 1) member on true
    -- A direct conversation with a block between its two people takes no text, nor does a
    -- group where only admins send from anyone else (both flags are on the member rows: this
    -- check reads nothing more). A reply must name a message its sender sees.
    where (input.kind = 'system'
        or (member.is_member and not member.is_blocked and member.can_send))
      and (input.reply_to_seq is null or exists (
        select 1 from messages q
        where q.conversation_id = input.conversation_id and q.seq = input.reply_to_seq
          and q.seq >= member.joined_seq))
      and not exists (
        select 1 from stored
        where stored.sender_id = input.sender_id and stored.client_msg_id = input.client_msg_id)
    order by input.sender_id, input.client_msg_id, input.i
  ),
  -- Each item takes n seqs (1 but for generated ones), ending at to_seq.
  numbered as (
    select accepted.*,
      c.last_seq + sum(accepted.n) over (partition by accepted.conversation_id order by accepted.i) as to_seq
    from accepted cross join lateral (
      select c.last_seq from conversations c where c.id = accepted.conversation_id limit 1) c
  ),
  inserted as (
    insert into messages (conversation_id, seq, sender_id, client_msg_id, kind, body, reply_to_seq, is_forwarded)
    select numbered.conversation_id, numbered.to_seq, numbered.sender_id, numbered.client_msg_id,
      numbered.kind, numbered.body, numbered.reply_to_seq, coalesce(numbered.is_forwarded, false)
    from numbered
    where numbered.kind <> 'generated'
    order by numbered.conversation_id, numbered.to_seq
    returning *
  ),
  generated as (
    insert into messages (conversation_id, seq, sender_id, client_msg_id, kind, body)
    select g.conversation_id, seq, g.sender_id, gen_random_uuid(), 'text', 'generated message ' || seq
    from (select * from numbered where numbered.kind = 'generated' order by numbered.conversation_id, numbered.i) g
    cross join lateral generate_series(g.to_seq - g.n + 1, g.to_seq) as seq
  ),
  moved as (
    update conversations c set last_seq = n.seq, last_message_at = now()
    from (select numbered.conversation_id, max(numbered.to_seq) as seq from numbered group by numbered.conversation_id) n
    where c.id = n.conversation_id
      -- The ids as an array: the rows come through the primary key. Joined with the CTE
      -- alone, a table of up to tens of thousands of rows is scanned whole.
      and c.id = any(array(select numbered.conversation_id from numbered))
  ),
  -- The senders' member rows, locked in key order before any is written: the marker writer
  -- (advanceMarkers) locks its rows in the same order, so two batches that share rows wait
  -- for each other instead of deadlocking.
  senders as materialized (
    select cm.conversation_id, cm.user_id from conversation_members cm
    where cm.conversation_id = any(array(select numbered.conversation_id from numbered))
      and (cm.conversation_id, cm.user_id) in (
        select numbered.conversation_id, numbered.sender_id from numbered where numbered.kind <> 'generated')
    order by cm.conversation_id, cm.user_id
    for update
  ),
  marked as (
    update conversation_members cm
    set read_up_to_seq = greatest(cm.read_up_to_seq, n.seq),
        delivered_up_to_seq = greatest(cm.delivered_up_to_seq, n.seq)
    from (
      select numbered.conversation_id, numbered.sender_id, max(numbered.to_seq) as seq from numbered
      where numbered.kind <> 'generated'
      group by numbered.conversation_id, numbered.sender_id
    ) n
    where cm.conversation_id = n.conversation_id and cm.user_id = n.sender_id
      and cm.conversation_id = any(array(select numbered.conversation_id from numbered))
      -- Evaluated once, before the first row is written: every lock is taken first.
      and (select count(*) from senders) >= 0
  )
  select
    (select coalesce(json_agg(json_build_object('i', numbered.i, 'message', inserted)), '[]')
       from inserted join numbered
         on numbered.conversation_id = inserted.conversation_id and numbered.to_seq = inserted.seq
    ),
    (select coalesce(json_agg(stored), '[]') from stored),
    (select coalesce(json_agg(json_build_object('i', numbered.i, 'from', numbered.to_seq - numbered.n + 1, 'to', numbered.to_seq)), '[]')
       from numbered where numbered.kind = 'generated'),
    (select coalesce(json_agg(json_build_object('c', c.conversation_id, 'u', m.user_id)), '[]')
       from (select distinct numbered.conversation_id from numbered where numbered.kind = 'text') c
       cross join lateral (
         select cm.user_id from conversation_members cm
         where cm.conversation_id = c.conversation_id offset 0) m),
    -- Items of members whose reply names no message they see (null when there are none).
    (select json_agg(input.i) from input
       cross join lateral (
         select cm.joined_seq from conversation_members cm
         where cm.conversation_id = input.conversation_id and cm.user_id = input.sender_id
         limit 1) member
       where input.reply_to_seq is not null and not exists (
         select 1 from messages q
         where q.conversation_id = input.conversation_id and q.seq = input.reply_to_seq
           and q.seq >= member.joined_seq));
END
$$;
