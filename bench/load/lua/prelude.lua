-- Put before every scenario script by bench/load/run (wrk takes one script): the catalog ids,
-- a request cycle and the response counter. wrk decides from the main script state whether
-- requests are dynamic, so scenarios assign `request = next_in_cycle` at the top level and fill
-- the cycle in init(), where wrk.format knows the Host header.
ids = {}
local cycle_items = {}
local cycle_n = 0

-- The ids come after "--" as one comma-separated argument.
function parse_ids(args)
  for id in string.gmatch(args[1] or "", "[^,]+") do
    table.insert(ids, id)
  end
  if #ids == 0 then
    error("no mysfit ids given (wrk ... -- id1,id2,...)")
  end
end

-- init(args) of a scenario whose requests are build(id) for each catalog id, in a cycle.
function cycle_over_ids(build)
  return function(args)
    parse_ids(args)
    for i, id in ipairs(ids) do
      cycle_items[i] = build(id, i)
    end
  end
end

function set_cycle(items)
  cycle_items = items
end

function next_in_cycle()
  cycle_n = cycle_n + 1
  return cycle_items[(cycle_n % #cycle_items) + 1]
end

-- Scenarios that audit likes use this as their response(): status counts, and likes answered
-- 200 (a like's answer is the only 200 body with both "Update" and "likes"). Others leave
-- response() undefined, which spares wrk handing every body to Lua.
statuses = {}
likes_ok = 0
function count_response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 200 and body and body:find('"Update"', 1, true) and body:find('"likes"', 1, true) then
    likes_ok = likes_ok + 1
  end
end
