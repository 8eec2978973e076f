-- wsgen session store (docs/redis-layout.md): what to replay after lastSeq, after trimming entries past the age bound.
-- KEYS[1] meta hash, KEYS[2] log stream. ARGV[1] lastSeq, ARGV[2] nowMs, ARGV[3] ageMs.
-- Returns {epoch ('' when the stream is missing), seq, firstSeq, text...}: firstSeq is the seq of the first text
-- returned (0 when none); the texts are the entries after lastSeq, oldest first.
local meta, log = KEYS[1], KEYS[2]
local v = redis.call('HMGET', meta, 'epoch', 'seq')
if not v[1] then
  return {'', 0, 0}
end
local oldest = tonumber(ARGV[2]) - tonumber(ARGV[3])
local freed, cut = 0, 0
while true do
  local e = redis.call('XRANGE', log, cut > 0 and ('(' .. (cut - 1) .. '-0') or '-', '+', 'COUNT', 1)[1]
  if e == nil or tonumber(e[2][2]) >= oldest then break end
  freed = freed + tonumber(e[2][4])
  cut = tonumber(string.match(e[1], '^(%d+)')) + 1
end
if cut > 0 then
  redis.call('XTRIM', log, 'MINID', cut .. '-0')
  redis.call('HINCRBY', meta, 'bytes', -freed)
end
local out = {v[1], tonumber(v[2]), 0}
local entries = redis.call('XRANGE', log, (tonumber(ARGV[1]) + 1) .. '-0', '+')
for i, e in ipairs(entries) do
  if i == 1 then out[3] = tonumber(string.match(e[1], '^(%d+)')) end
  out[#out + 1] = e[2][6]
end
return out
