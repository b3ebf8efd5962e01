-- GET /: the peers' fixed response. Through request() like every other scenario, so the load
-- generator does the same work per request whatever it measures.
set_cycle({wrk.format("GET", "/")})
request = next_in_cycle
