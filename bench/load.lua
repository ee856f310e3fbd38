-- wrk script for bench/load.py: counts responses that are not 200 (a lost session would
-- answer 302 to the sign-in page, which wrk does not count as an error) and prints the
-- summary as one line of JSON.
-- With WRK_SERVERS (host:port,host:port), wrk's threads are given the servers in turn, each
-- thread's connections going to its server (bench/load.py --servers N).
local threads = {}
local servers = {}
for server in string.gmatch(os.getenv("WRK_SERVERS") or "", "[^,]+") do
  table.insert(servers, server)
end

function setup(thread)
  table.insert(threads, thread)
  if #servers > 0 then
    local server = servers[(#threads - 1) % #servers + 1]
    local host, port = string.match(server, "^(.+):(%d+)$")
    thread.addr = wrk.lookup(host, port)[1]
  end
end

function init(args)
  not_ok = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local not_ok_total = 0
  for _, thread in ipairs(threads) do
    not_ok_total = not_ok_total + thread:get("not_ok")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
      .. '"write": %d, "status": %d, "timeout": %d, "not_200": %d, "p50_us": %d, '
      .. '"p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.0f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, not_ok_total, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
