-- Delivered and read reports in one statement: `select * from advance_markers(moves)`, which
-- db/queries/conversations.ts (advanceMarkers) calls and documents. Each move is
-- { conversation_id, user_id, delivered, read }. The function
--   1. takes a transaction-scoped advisory lock per direct conversation, in key order: reports
--      of one direct conversation take turns, and a later one begins only after the earlier
--      one committed (groups take no lock: their many members report at once, and turns
--      would queue them; the caller reads their minimums again after the commit);
--   2. moves the members' markers forward (never back, never past the newest message), after
--      locking their rows in key order as append_messages locks its senders' rows, and reads
--      each conversation's minimums before the move;
--   3. for the direct conversations, reads the minimums again in a statement of its own (a
--      VOLATILE function takes a new snapshot for each statement): it sees this move and every
--      report of the conversation before it, so of the two members reporting at once the last
--      one always sees the final minimums, and a change is never missed.
-- It returns the moved rows (with each one's delivered marker before the move); for each
-- direct conversation where a row moved, its minimums, its members when a minimum changed, and
-- the members who hide their reads; and for each group where a row moved, its minimums before
-- the move. The shown read marker is db/queries/conversations.ts's SHOWN_READ_SEQ. Lookups go
-- through the indexes: the plans are kept per connection, and a plan made while the tables
-- were nearly empty would otherwise scan them.
CREATE FUNCTION advance_markers(p_moves jsonb)
RETURNS TABLE (updated_rows json, wide_rows json, group_before_rows json)
LANGUAGE plpgsql VOLATILE
SET enable_seqscan = off
AS $$
DECLARE
  v_key bigint;
  v_before json;
  v_updated json;
BEGIN
  FOR v_key IN
    SELECT DISTINCT hashtextextended('markers:' || c.id, 0)
    FROM conversations c
    WHERE c.id = any(array(
        SELECT (move->>'conversation_id')::uuid FROM jsonb_array_elements(p_moves) move))
      AND c.kind = 'direct'
    ORDER BY 1
  LOOP
    PERFORM pg_advisory_xact_lock(v_key);
  END LOOP;

  with input as (
    select * from jsonb_to_recordset(p_moves)
      as x(conversation_id uuid, user_id uuid, delivered int, read int)
  ),
  target as (
    select input.conversation_id, input.user_id, max(input.delivered) as delivered,
      max(input.read) as read
    from input group by input.conversation_id, input.user_id
  ),
  -- Row by row through the indexes (lateral, fenced): the planner cannot know how many rows
  -- the JSON holds and would otherwise scan the whole table.
  before as (
    select t.conversation_id as c, agg.d, agg.r, t.kind
    from (
      select distinct target.conversation_id, c.kind from target
      cross join lateral (
        select c.kind from conversations c where c.id = target.conversation_id limit 1) c
    ) t
    cross join lateral (
      select min(cm.delivered_up_to_seq) as d,
        min(case when u.is_sending_read_receipts and not cm.is_blocked
          then cm.read_up_to_seq else 0 end) as r
      from conversation_members cm join users u on u.id = cm.user_id
      where cm.conversation_id = t.conversation_id) agg
    where agg.d is not null
  ),
  old as (
    select t.conversation_id, t.user_id, cm.delivered_up_to_seq
    from target t cross join lateral (
      select cm.delivered_up_to_seq from conversation_members cm
      where cm.conversation_id = t.conversation_id and cm.user_id = t.user_id
      limit 1) cm
  ),
  -- The rows to move, locked in key order before any is written, as a batched append locks
  -- its senders' rows: batches that share rows wait for each other instead of deadlocking.
  locked as materialized (
    select cm.conversation_id, cm.user_id from conversation_members cm
    where cm.conversation_id = any(array(select target.conversation_id from target))
      and (cm.conversation_id, cm.user_id) in (
        select target.conversation_id, target.user_id from target)
    order by cm.conversation_id, cm.user_id
    for update
  ),
  updated as (
    update conversation_members cm
    set read_up_to_seq = greatest(cm.read_up_to_seq, least(t.read, c.last_seq)),
        delivered_up_to_seq = greatest(cm.delivered_up_to_seq, least(t.delivered, c.last_seq))
    from target t join conversations c on c.id = t.conversation_id
    where cm.conversation_id = t.conversation_id and cm.user_id = t.user_id
      -- The ids as an array: the rows come through the primary key. Joined with the CTE
      -- alone, a table of up to tens of thousands of rows is scanned whole.
      and cm.conversation_id = any(array(select target.conversation_id from target))
      -- Evaluated once, before the first row is written: every lock is taken first.
      and (select count(*) from locked) >= 0
    returning cm.conversation_id, cm.user_id, cm.read_up_to_seq, cm.delivered_up_to_seq
  )
  select
    (select coalesce(json_agg(before), '[]') from before),
    (select coalesce(json_agg(json_build_object(
        'c', u.conversation_id, 'u', u.user_id, 'd', u.delivered_up_to_seq,
        'r', u.read_up_to_seq, 'old', o.delivered_up_to_seq)), '[]')
      from updated u
      join old o on o.conversation_id = u.conversation_id and o.user_id = u.user_id)
  into v_before, v_updated;

  IF json_array_length(v_updated) = 0 THEN
    RETURN QUERY SELECT v_updated, '[]'::json, '[]'::json;
    RETURN;
  END IF;

  RETURN QUERY
  with before as (
    select * from json_to_recordset(v_before) as x(c uuid, d int, r int, kind text)
    where x.c in (select (moved->>'c')::uuid from json_array_elements(v_updated) moved)
  )
  select v_updated,
    (select coalesce(json_agg(json_build_object(
        'c', b.c, 'd', agg.d, 'r', agg.r,
        'members', case when agg.d <> b.d or agg.r <> b.r then agg.members end,
        'hiding', agg.hiding)), '[]')
      from before b cross join lateral (
        select min(cm.delivered_up_to_seq) as d,
          min(case when u.is_sending_read_receipts and not cm.is_blocked
            then cm.read_up_to_seq else 0 end) as r,
          json_agg(cm.user_id) as members,
          json_agg(cm.user_id) filter (where not u.is_sending_read_receipts or cm.is_blocked)
            as hiding
        from conversation_members cm join users u on u.id = cm.user_id
        where cm.conversation_id = b.c) agg
      where b.kind = 'direct'),
    (select coalesce(json_agg(json_build_object('c', b.c, 'd', b.d, 'r', b.r)), '[]')
      from before b where b.kind <> 'direct');
END
$$;
