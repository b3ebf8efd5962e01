-- Put after every scenario script by bench/load/run (wrk takes one script). Prints one
-- machine-readable line with the run's figures; when the scenario counts responses (see
-- count_response in prelude.lua), the per-status counts and the likes answered 200 of every
-- thread too.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local status_parts = {}
  local totals = {}
  local likes = 0
  for _, thread in ipairs(threads) do
    likes = likes + (thread:get("likes_ok") or 0)
    local counts = thread:get("statuses") or {}
    for status, n in pairs(counts) do
      totals[status] = (totals[status] or 0) + n
    end
  end
  for status, n in pairs(totals) do
    table.insert(status_parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'MYSFITS_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, ' ..
    '"statuses": {%s}, "likes_ok": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status,
    table.concat(status_parts, ", "), likes))
end
