-- wrk script: POST /api/v1/search as multipart/form-data with real query crops, cycling through
-- them (one body per crop, built once per wrk thread). Environment:
--   QUERY_DIR    folder of .jpg query crops (required)
--   QUERY_COUNT  how many of them to cycle through (default 64)
--   API_KEY      sent as X-API-Key (required)
--   TOP_K        default 10
--   RERANK       "true" or "false" (default false)
-- done() prints key=value lines (qps, p50_ms, p90_ms, p99_ms, ...) for the calling script.

local boundary = "reidbench7d1f0c2a"
local bodies = {}
local next_body = 0

local function part(name, value)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
end

local function body_for(file_name, jpeg)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" .. file_name
      .. "\"\r\nContent-Type: image/jpeg\r\n\r\n" .. jpeg .. "\r\n"
      .. part("topK", os.getenv("TOP_K") or "10")
      .. part("rerank", os.getenv("RERANK") or "false")
      .. "--" .. boundary .. "--\r\n"
end

wrk.method = "POST"
wrk.path = "/api/v1/search"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.headers["X-API-Key"] = os.getenv("API_KEY")

function init(args)
  local dir = assert(os.getenv("QUERY_DIR"), "QUERY_DIR must name a folder of .jpg crops")
  local count = tonumber(os.getenv("QUERY_COUNT") or "64")
  local list = io.popen("ls -1 '" .. dir .. "'")
  for name in list:lines() do -- read to the end: ls sorts, and a closed pipe would upset it
    if #bodies < count and name:match("%.jpg$") then
      local f = assert(io.open(dir .. "/" .. name, "rb"))
      bodies[#bodies + 1] = body_for(name, f:read("*a"))
      f:close()
    end
  end
  list:close()
  assert(#bodies > 0, "no .jpg crops in " .. dir)
end

function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("requests=%d\nduration_s=%.2f\nqps=%.2f\n", summary.requests, seconds, summary.requests / seconds))
  for _, p in ipairs({50, 90, 99}) do
    io.write(string.format("p%d_ms=%.1f\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("mean_ms=%.1f\nmax_ms=%.1f\n", latency.mean / 1000, latency.max / 1000))
  io.write(string.format("non_2xx=%d\nsocket_errors=%d\n", e.status, e.connect + e.read + e.write + e.timeout))
end
