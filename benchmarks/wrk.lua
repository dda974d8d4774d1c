-- wrk script for `make bench`: each wrk thread speaks from its own run of addresses in 198.18.0.0/15 (the
-- benchmarking range, RFC 2544) through X-Forwarded-For, moving to the next address every `per_address`
-- requests so the portal's per-address rate limits (kept at their production values, counted in Redis) never
-- refuse a request. Traffic goes only to the URL given (127.0.0.1).
--
--   wrk ... -s wrk.lua URL -- <per_address> <expected status> <method> <first address> [body] [cookie]
--
-- At the end it prints one JSON line: requests, seconds, errors, responses with another status, latency.

local threads = {}
local counter = 0
local per_address, expected, method, first, body, cookie, base

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  per_address = tonumber(args[1])
  expected = tonumber(args[2])
  method = args[3]
  first = tonumber(args[4])
  body = args[5] or ""
  cookie = args[6] or ""
  base = first + index * 65536
  unexpected = 0
  unexpected_status = 0
end

local function address(n)
  n = n % 131072
  return string.format("198.%d.%d.%d", 18 + math.floor(n / 65536), math.floor(n / 256) % 256, n % 256)
end

function request()
  local headers = {}
  headers["X-Forwarded-For"] = address(base + math.floor(counter / per_address))
  headers["X-Forwarded-Proto"] = "https"
  headers["Host"] = "127.0.0.1"  -- as the proxy would pass it on, without our port
  if cookie ~= "" then
    headers["Cookie"] = cookie
  end
  counter = counter + 1
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Referer"] = "https://127.0.0.1" .. wrk.path
    return wrk.format("POST", nil, headers, body)
  end
  return wrk.format("GET", nil, headers, nil)
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
    unexpected_status = status
  end
end

function done(summary, latency, requests)
  local wrong, status = 0, 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("unexpected")
    if thread:get("unexpected_status") ~= 0 then
      status = thread:get("unexpected_status")
    end
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "unexpected": %d, "unexpected_status": %d, ' ..
    '"latency_ms": {"p50": %.2f, "p90": %.2f, "p99": %.2f}}\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout, wrong, status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000))
end
