-- wsgen session store (docs/redis-layout.md): give a broken stream a new epoch (after a Redis outage).
-- KEYS[1] meta hash, KEYS[2] log stream. ARGV[1] ownerId ('' for a stream no connection of the caller holds),
-- ARGV[2] newEpoch, ARGV[3] ttlMs, ARGV[4] '1' when the caller holds a live connection of the stream (its link is
-- the latest: it claims the stream whatever owner Redis names), else '0'.
-- Without the claim, does nothing and returns 0 when another owner holds the stream (that owner's node repairs it);
-- else deletes the log, recreates meta as {epoch=newEpoch, seq=0, bytes=0, owner=ownerId} and returns 1.
local meta, log = KEYS[1], KEYS[2]
local owner = redis.call('HGET', meta, 'owner')
if ARGV[4] ~= '1' and owner and owner ~= ARGV[1] then
  return 0
end
redis.call('DEL', meta, log)
redis.call('HSET', meta, 'epoch', ARGV[2], 'seq', 0, 'bytes', 0)
if ARGV[1] ~= '' then
  redis.call('HSET', meta, 'owner', ARGV[1])
end
redis.call('PEXPIRE', meta, ARGV[3])
return 1
