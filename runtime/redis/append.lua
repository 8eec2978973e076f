-- wsgen session store (docs/redis-layout.md): append one message to a stream log, then trim.
-- KEYS[1] meta hash, KEYS[2] log stream (same hash tag {<session_id>}).
-- ARGV[1] epoch, ARGV[2] seq, ARGV[3] text (message JSON, seq included), ARGV[4] bytes (UTF-8 size of text),
-- ARGV[5] nowMs, ARGV[6] maxMessages, ARGV[7] maxBytes, ARGV[8] ageMs, ARGV[9] ttlMs.
-- Returns 'OK', or the error 'EPOCH <epoch|missing>' (meta missing or another epoch), or 'SEQ <top>' (seq is not top + 1).
local meta, log = KEYS[1], KEYS[2]
local epoch = redis.call('HGET', meta, 'epoch')
if (not epoch) or epoch ~= ARGV[1] then
  return redis.error_reply('EPOCH ' .. (epoch or 'missing'))
end
local top = tonumber(redis.call('HGET', meta, 'seq'))
local seq = tonumber(ARGV[2])
if seq ~= top + 1 then
  return redis.error_reply('SEQ ' .. top)
end
local size = tonumber(ARGV[4])
local now = tonumber(ARGV[5])
redis.call('XADD', log, seq .. '-0', 't', ARGV[5], 'n', size, 'd', ARGV[3])
redis.call('HSET', meta, 'seq', seq)
local bytes = tonumber(redis.call('HINCRBY', meta, 'bytes', size))
local maxMessages, maxBytes, oldest = tonumber(ARGV[6]), tonumber(ARGV[7]), now - tonumber(ARGV[8])
local len = redis.call('XLEN', log)
-- the count bound alone: drop the oldest entries beyond maxMessages
local cut = 0
local freed = 0
local cursor = '-'
while len > 0 do
  local e = redis.call('XRANGE', log, cursor, '+', 'COUNT', 1)[1]
  if e == nil then break end
  local f = e[2]
  local t, n = tonumber(f[2]), tonumber(f[4])
  if len > maxMessages or bytes > maxBytes or t < oldest then
    bytes = bytes - n
    freed = freed + n
    len = len - 1
    cut = tonumber(string.match(e[1], '^(%d+)')) + 1
    cursor = '(' .. e[1]
  else
    break
  end
end
if cut > 0 then
  redis.call('XTRIM', log, 'MINID', cut .. '-0')
  redis.call('HINCRBY', meta, 'bytes', -freed)
end
redis.call('PEXPIRE', meta, ARGV[9])
redis.call('PEXPIRE', log, ARGV[9])
return 'OK'
