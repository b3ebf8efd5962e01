-- GET /mysfits: the whole catalog.
set_cycle({wrk.format("GET", "/mysfits")})
request = next_in_cycle
