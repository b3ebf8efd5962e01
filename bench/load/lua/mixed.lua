-- Mixed traffic in a fixed cycle of 20 requests: 16 reads (12 profiles, 4 lists), 3 likes,
-- 1 adopt (80% / 15% / 5%). Each catalog mysfit can be adopted once, so after the first few
-- cycles adopts answer 409: still a full adopt round trip through the write path.
local json = {["Content-Type"] = "application/json"}

local function request_of_kind(k, mysfit)
  if k < 12 then
    return wrk.format("GET", "/mysfits/" .. mysfit)
  elseif k < 16 then
    return wrk.format("GET", "/mysfits")
  elseif k < 19 then
    return wrk.format("POST", "/mysfits/" .. mysfit .. "/like", json, "")
  end
  return wrk.format("POST", "/mysfits/" .. mysfit .. "/adopt", json, "")
end

function init(args)
  parse_ids(args)
  -- One cycle per catalog id offset, so every mysfit sees every kind of request.
  local items = {}
  for offset = 0, #ids - 1 do
    for k = 0, 19 do
      table.insert(items, request_of_kind(k, ids[((offset + k) % #ids) + 1]))
    end
  end
  set_cycle(items)
end
request = next_in_cycle
response = count_response
