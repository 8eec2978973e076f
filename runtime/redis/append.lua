-- wsgen session store (docs/redis-layout.md): append messages to a stream log, then trim.
-- KEYS[1] meta hash, KEYS[2] log stream (same hash tag {<session_id>}).
-- ARGV[1] epoch, ARGV[2] seq, ARGV[3] text (message JSON, seq included), ARGV[4] bytes (UTF-8 size of text),
-- ARGV[5] nowMs, ARGV[6] maxMessages, ARGV[7] maxBytes, ARGV[8] ageMs, ARGV[9] ttlMs,
-- then optionally more (text, bytes) pairs: the messages of seq + 1, seq + 2, ... (one round trip for a batch).
-- Returns 'OK', or the error 'EPOCH <epoch|missing>' (meta missing or another epoch), or 'SEQ <top>' (seq is not
-- top + 1); on an error nothing is appended.
local meta, log = KEYS[1], KEYS[2]
local m = redis.call('HMGET', meta, 'epoch', 'seq', 'bytes')
if (not m[1]) or m[1] ~= ARGV[1] then
  return redis.error_reply('EPOCH ' .. (m[1] or 'missing'))
end
local top = tonumber(m[2])
local seq = tonumber(ARGV[2])
if seq ~= top + 1 then
  return redis.error_reply('SEQ ' .. top)
end
local now = ARGV[5]
local bytes = tonumber(m[3]) + tonumber(ARGV[4])
redis.call('XADD', log, seq .. '-0', 't', now, 'n', ARGV[4], 'd', ARGV[3])
for i = 10, #ARGV - 1, 2 do
  seq = seq + 1
  redis.call('XADD', log, seq .. '-0', 't', now, 'n', ARGV[i + 1], 'd', ARGV[i])
  bytes = bytes + tonumber(ARGV[i + 1])
end
-- Trim the oldest entries beyond the count, bytes and age bounds (reading the count excess in one call).
local maxMessages, maxBytes, oldest = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(now) - tonumber(ARGV[8])
local len = redis.call('XLEN', log)
local cursor, last = '-', nil
local done = false
while not done and len > 0 do
  local want = len - maxMessages
  if want < 1 then want = 1 end
  local entries = redis.call('XRANGE', log, cursor, '+', 'COUNT', want)
  if #entries == 0 then break end
  for _, e in ipairs(entries) do
    local f = e[2]
    if len > maxMessages or bytes > maxBytes or tonumber(f[2]) < oldest then
      len = len - 1
      bytes = bytes - tonumber(f[4])
      last = e[1]
      cursor = '(' .. e[1]
    else
      done = true
      break
    end
  end
end
if last then
  redis.call('XTRIM', log, 'MINID', (tonumber(string.match(last, '^(%d+)')) + 1) .. '-0')
end
redis.call('HSET', meta, 'seq', seq, 'bytes', bytes)
redis.call('PEXPIRE', meta, ARGV[9])
redis.call('PEXPIRE', log, ARGV[9])
return 'OK'
