-- POST /mysfits/{id}/like, cycling over the catalog; counts the likes answered 200 for the audit.
init = cycle_over_ids(function(id)
  return wrk.format("POST", "/mysfits/" .. id .. "/like", {["Content-Type"] = "application/json"}, "")
end)
request = next_in_cycle
response = count_response
