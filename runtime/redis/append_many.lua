-- wsgen session store (docs/redis-layout.md): append the messages of several streams in one call, then trim each.
-- KEYS: meta 1, log 1, meta 2, log 2, ... (two keys per stream; in Redis Cluster all keys of one call share a slot).
-- ARGV[1] nowMs, ARGV[2] maxMessages, ARGV[3] maxBytes, ARGV[4] ageMs, ARGV[5] ttlMs, then for each stream in KEYS
-- order: epoch, seq (of its first message), and its message texts (message JSON, seq included) of seq, seq + 1, ...
-- joined by "\n" (one argument: compact JSON text never contains a raw line feed, RFC 8259 section 7).
-- The byte size of a text (field `n`) is its length here: Redis strings are the UTF-8 bytes sent.
-- Returns one reply per stream, in order: 'OK', or 'EPOCH <epoch|missing>' (meta missing or another epoch), or
-- 'SEQ <top>' (seq is not top + 1); a stream with an error gets nothing appended, the others are appended.
-- Each stream's effect is exactly append.lua's with the same messages (entry fields t, n, d; trim; expiry).
local now = ARGV[1]
local maxMessages, maxBytes, ttl = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[5]
local oldest = tonumber(now) - tonumber(ARGV[4])

-- Trims the oldest entries of `log` beyond the count, bytes and age bounds; returns the bytes left.
local function trim(log, bytes)
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
  return bytes
end

local out = {}
local a = 6
for k = 1, #KEYS - 1, 2 do
  local meta, log = KEYS[k], KEYS[k + 1]
  local epoch, seq, texts = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2]
  a = a + 3
  local m = redis.call('HMGET', meta, 'epoch', 'seq', 'bytes')
  if (not m[1]) or m[1] ~= epoch then
    out[#out + 1] = 'EPOCH ' .. (m[1] or 'missing')
  elseif seq ~= tonumber(m[2]) + 1 then
    out[#out + 1] = 'SEQ ' .. m[2]
  else
    local bytes = tonumber(m[3])
    local pos = 1
    while true do
      local stop = string.find(texts, '\n', pos, true)
      local text = string.sub(texts, pos, (stop or 0) - 1)
      redis.call('XADD', log, seq .. '-0', 't', now, 'n', #text, 'd', text)
      bytes = bytes + #text
      seq = seq + 1
      if not stop then break end
      pos = stop + 1
    end
    bytes = trim(log, bytes)
    redis.call('HSET', meta, 'seq', seq - 1, 'bytes', bytes)
    redis.call('PEXPIRE', meta, ttl)
    redis.call('PEXPIRE', log, ttl)
    out[#out + 1] = 'OK'
  end
end
return out
