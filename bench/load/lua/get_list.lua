-- GET /mysfits: the whole catalog.
function init(args)
  set_cycle({wrk.format("GET", "/mysfits")})
end
request = next_in_cycle
