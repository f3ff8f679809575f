-- wrk script for bench/scale.sh: spreads GETs over the generated repositories and tags (see dockyard-scale's ScalePlan).
--   wrk -s bench/lib/scale_wrk.lua URL -- KIND REPOSITORIES
-- KIND: "manifest" (GET /v2/scale/rNNNNNNN/manifests/vT, T in 0..8) or "tags" (GET /v2/scale/rNNNNNNN/tags/list).
-- REPOSITORIES = 0 (the empty registry): the same requests on bench/tiny, the warm-up image (tags v0..v8).
local kind, repositories

function init(args)
  kind = args[1]
  repositories = tonumber(args[2])
  -- each wrk thread runs its own interpreter: seed them apart
  math.randomseed(os.time() * 1000 + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 1000)
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
