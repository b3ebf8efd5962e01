-- Paces a scenario to MYSFITS_RATE requests per second in total (wrk's single thread, any number
-- of connections): request k is due at start + k / rate, and a connection ready early waits
-- for it (wrk's delay(), in whole milliseconds; the schedule is absolute, so rounding does not
-- drift). Requests late on the schedule go at once. Needs LuaJIT's ffi for a monotonic clock.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } mysfits_timespec;
int clock_gettime(int clock_id, mysfits_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local now_ts = ffi.new("mysfits_timespec")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, now_ts)
  return tonumber(now_ts.tv_sec) * 1000 + tonumber(now_ts.tv_nsec) / 1e6
end

local interval_ms = 1000 / tonumber(os.getenv("MYSFITS_RATE") or error("MYSFITS_RATE not set"))
local next_due = nil

function delay()
  local now = now_ms()
  next_due = next_due or now
  local due = next_due
  next_due = next_due + interval_ms
  return math.max(0, math.floor(due - now))
end
