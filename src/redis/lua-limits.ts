// The Lua scripts of the shared limits: each runs atomically in Redis, so the replicas never race on a
// slot or a quota call. One business's keys (KEYS[1..3]) share a hash tag, so they live in one slot of a
// Redis Cluster. Times: leases and waiters use Redis's own clock (TIME); quota windows use the callers'
// clocks (each passes `now`), as the engine reads them.
//
// KEYS[1] slots: sorted set of held slots, member `token|operation`, score = the lease's end.
// KEYS[2] queue: list of waiters, `token|operation|waitEnd|channel`, first come first served.
// KEYS[3] state: hash: `limit`, `changed`, `ok` (the in-flight limit learnt from 420s, as the gate does),
//   and per operation `u:` the window's Until (server clock), `w:` its end in the observer's clock,
//   `r:` the lowest Remaining seen in it.

const PRELUDE = `
local slots, queue, state = KEYS[1], KEYS[2], KEYS[3]
local function clock()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function limit_of(max)
  return tonumber(redis.call('HGET', state, 'limit')) or max
end
local function keep(key, ms)
  if redis.call('PTTL', key) < ms then redis.call('PEXPIRE', key, ms) end
end
-- nil: send; a number > 0: hold until then (caller's clock); -1: wait for an answer in flight.
local function quota(op, now)
  local v = redis.call('HMGET', state, 'w:' .. op, 'r:' .. op)
  local w, r = tonumber(v[1]), tonumber(v[2])
  if w == nil or r == nil or w <= now then return nil end
  if r <= 0 then return w end
  local pending, tail = 0, '|' .. op
  for _, m in ipairs(redis.call('ZRANGE', slots, 0, -1)) do
    if string.sub(m, -#tail) == tail then pending = pending + 1 end
  end
  if r - pending <= 0 then return -1 end
  return nil
end
-- Hands free slots to the waiters in order; answers what became of waiter \`self\` ('go', 'recheck' or nil).
local function grant(max, lease, rnow, now, self)
  local mine = nil
  local limit = limit_of(max)
  while redis.call('ZCARD', slots) < limit do
    local head = redis.call('LINDEX', queue, 0)
    if not head then break end
    local token, op, ends, channel = string.match(head, '^([^|]+)|([^|]*)|(%d+)|(.*)$')
    if token == nil or tonumber(ends) <= rnow then
      redis.call('LPOP', queue)
    else
      local q = quota(op, now)
      if q == -1 then break end
      redis.call('LPOP', queue)
      local word = 'recheck'
      if q == nil then
        redis.call('ZADD', slots, rnow + lease, token .. '|' .. op)
        keep(slots, lease * 2)
        word = 'go'
      end
      if token == self then mine = word else redis.call('PUBLISH', channel, token .. '|' .. op .. ' ' .. word) end
    end
  end
  return mine
end
`;

/** ARGV: token, operation, now, max, leaseMs, maxWaitMs, channel. Answers {'go'}, {'hold', until}, {'queued', entry}. */
export const ENTER = `${PRELUDE}
local token, op, now, max, lease, wait, channel =
  ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
local rnow = clock()
redis.call('ZREMRANGEBYSCORE', slots, '-inf', rnow)
local q = quota(op, now)
if q ~= nil and q > 0 then return {'hold', tostring(q)} end
if q == nil and redis.call('LLEN', queue) == 0 and redis.call('ZCARD', slots) < limit_of(max) then
  redis.call('ZADD', slots, rnow + lease, token .. '|' .. op)
  keep(slots, lease * 2)
  return {'go'}
end
local entry = token .. '|' .. op .. '|' .. (rnow + wait) .. '|' .. channel
redis.call('RPUSH', queue, entry)
keep(queue, wait + lease)
local mine = grant(max, lease, rnow, now, token)
if mine == 'go' then return {'go'} end
if mine == 'recheck' then return {'recheck'} end
return {'queued', entry}
`;

/**
 * ARGV: member, outcome ('ok' | 'parallel-limit' | 'other' | ''), now, max, leaseMs, then per observation
 * four values: operation, Until (server ms or ''), window end (caller's ms or ''), Remaining (or '').
 */
export const RELEASE = `${PRELUDE}
local member, outcome, now, max, lease = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local rnow = clock()
local longest = 60000
for i = 6, #ARGV - 3, 4 do
  local op, u, w, r = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
  local known = tonumber(redis.call('HGET', state, 'u:' .. op))
  if u ~= nil and (known == nil or u > known) then
    redis.call('HDEL', state, 'r:' .. op, 'w:' .. op)
    redis.call('HSET', state, 'u:' .. op, u)
    if w ~= nil then redis.call('HSET', state, 'w:' .. op, w) end
    known = u
  end
  if r ~= nil and (u == nil or u == known) then
    local lowest = tonumber(redis.call('HGET', state, 'r:' .. op))
    if lowest == nil or r < lowest then redis.call('HSET', state, 'r:' .. op, r) end
  end
  if w ~= nil and w - now + 60000 > longest then longest = w - now + 60000 end
end
local held = redis.call('ZREM', slots, member)
if outcome == 'parallel-limit' and held == 1 then
  local lowered = math.max(1, math.min(limit_of(max) - 1, redis.call('ZCARD', slots)))
  redis.call('HSET', state, 'limit', lowered, 'changed', now, 'ok', 0)
elseif outcome == 'ok' and limit_of(max) < max then
  local ok = redis.call('HINCRBY', state, 'ok', 1)
  local limit = limit_of(max)
  if now - (tonumber(redis.call('HGET', state, 'changed')) or 0) >= 1000 and ok >= 4 * limit then
    redis.call('HSET', state, 'limit', limit + 1, 'changed', now, 'ok', 0)
  end
end
if redis.call('EXISTS', state) == 1 then keep(state, longest) end
redis.call('ZREMRANGEBYSCORE', slots, '-inf', rnow)
grant(max, lease, rnow, now, '')
return held
`;

/** ARGV: member (token|operation), entry (the queue's), now, max, leaseMs. A waiter asks what became of it. */
export const CHECK = `${PRELUDE}
local member, entry, now, max, lease = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local rnow = clock()
redis.call('ZREMRANGEBYSCORE', slots, '-inf', rnow)
local token = string.match(member, '^([^|]+)')
local mine = grant(max, lease, rnow, now, token)
if mine ~= nil then return mine end
if redis.call('ZSCORE', slots, member) then return 'go' end
if redis.call('LPOS', queue, entry) then return 'queued' end
return 'gone'
`;

/** ARGV: member, entry, now, max, leaseMs. A waiter gives up: out of the queue, or its slot freed if granted. */
export const LEAVE = `${PRELUDE}
local member, entry, now, max, lease = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local rnow = clock()
redis.call('LREM', queue, 1, entry)
redis.call('ZREM', slots, member)
grant(max, lease, rnow, now, '')
return 1
`;

/** ARGV: leaseMs, then members. Extends the leases still held (a long request, e.g. an upload). */
export const RENEW = `
local t = redis.call('TIME')
local rnow = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', rnow + lease, ARGV[i]) end
if redis.call('PTTL', KEYS[1]) < lease * 2 then redis.call('PEXPIRE', KEYS[1], lease * 2) end
return 1
`;
