-- wrk script for bench/scale.sh: spreads GETs over the generated repositories and tags (see dockyard-scale's ScalePlan).
--   wrk -s bench/lib/scale_wrk.lua URL -- KIND REPOSITORIES [RATE CONNECTIONS]
-- KIND: "manifest" (GET /v2/scale/rNNNNNNN/manifests/vT, T in 0..8) or "tags" (GET /v2/scale/rNNNNNNN/tags/list).
-- REPOSITORIES = 0 (the empty registry): the same requests on bench/tiny, the warm-up image (tags v0..v8).
-- RATE (optional, with wrk's -c as CONNECTIONS): requests per second over all connections. Each connection waits
-- CONNECTIONS / RATE seconds after each response (wrk's delay(), whole milliseconds), so a server that keeps up
-- receives a little under RATE req/s whatever its speed: latency compared at equal load, not at saturation.
local kind, repositories, pause

function init(args)
  kind = args[1]
  repositories = tonumber(args[2])
  local rate, connections = tonumber(args[3] or ""), tonumber(args[4] or "")
  if rate and rate > 0 and connections then
    pause = math.floor(1000 * connections / rate + 0.5)
  end
  -- each wrk thread runs its own interpreter: seed them apart
  math.randomseed(os.time() * 1000 + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 1000)
end

function delay()
  return pause or 0
end

local function repository()
  if repositories == 0 then
    return "bench/tiny"
  end
  return string.format("scale/r%07d", math.random(0, repositories - 1))
end

function request()
  if kind == "tags" then
    return wrk.format("GET", "/v2/" .. repository() .. "/tags/list")
  end
  return wrk.format("GET", "/v2/" .. repository() .. "/manifests/v" .. math.random(0, 8),
    { ["Accept"] = "application/vnd.oci.image.manifest.v1+json" })
end
