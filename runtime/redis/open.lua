-- wsgen session store (docs/redis-layout.md): link a stream, creating it when missing.
-- KEYS[1] meta hash, KEYS[2] log stream (same hash tag {<session_id>}).
-- ARGV[1] newEpoch (used only when the stream is created), ARGV[2] ownerId ('' leaves the owner unchanged),
-- ARGV[3] ttlMs (detached TTL).
-- Returns {epoch, seq, created (0|1), previousOwner ('' when none)}.
local meta, log = KEYS[1], KEYS[2]
local created = 0
if redis.call('EXISTS', meta) == 0 then
  -- a log without its meta belongs to a lost instance of the stream: never reuse it
  redis.call('DEL', log)
  redis.call('HSET', meta, 'epoch', ARGV[1], 'seq', 0, 'bytes', 0)
  created = 1
end
local previous = redis.call('HGET', meta, 'owner') or ''
if ARGV[2] ~= '' then
  redis.call('HSET', meta, 'owner', ARGV[2])
end
redis.call('PEXPIRE', meta, ARGV[3])
redis.call('PEXPIRE', log, ARGV[3])
local v = redis.call('HMGET', meta, 'epoch', 'seq')
return {v[1], tonumber(v[2]), created, previous}
