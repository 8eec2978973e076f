-- wsgen session store (docs/redis-layout.md): unlink a connection from a stream.
-- KEYS[1] meta hash. ARGV[1] ownerId, ARGV[2] ttlMs (detached TTL).
-- Removes the owner field only when it still names ownerId (a newer link elsewhere is kept). Returns 1 if removed.
local meta = KEYS[1]
if redis.call('HGET', meta, 'owner') == ARGV[1] then
  redis.call('HDEL', meta, 'owner')
  redis.call('PEXPIRE', meta, ARGV[2])
  return 1
end
return 0
