-- GET /mysfits/{id}, cycling over the catalog.
init = cycle_over_ids(function(id)
  return wrk.format("GET", "/mysfits/" .. id)
end)
request = next_in_cycle
