-- GET /: the peers' fixed response. Through request() like every other scenario, so the load
-- generator does the same work per request whatever it measures. Requests are built in init():
-- only then does wrk.format know the Host header.
function init(args)
  set_cycle({wrk.format("GET", "/")})
end
request = next_in_cycle
