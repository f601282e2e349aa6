-- POSTs pre-signed Dodo webhook deliveries (one per line of BENCH_WEBHOOK_FILE:
-- id, timestamp, signature and body separated by tabs). Each wrk thread takes every
-- n-th line, so no delivery is sent twice until the file is used up; after that
-- the repeats exercise the dedupe path.
dofile(os.getenv("BENCH_LUA_DIR") .. "/p95.lua")
local counter = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("BENCH_WEBHOOK_FILE")
  local stride = tonumber(os.getenv("BENCH_WRK_THREADS") or "1")
  requests = {}
  local n = 0
  for line in io.lines(path) do
    if n % stride == thread_id then
      local id, ts, sig, body = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t(.*)$")
      table.insert(requests, wrk.format("POST", "/webhooks/dodo/", {
        ["Content-Type"] = "application/json",
        -- The address SITE_URL names (run.py passes gunicorn's): no mismatch warning.
        ["Host"] = os.getenv("BENCH_HOST") or "127.0.0.1",
        ["webhook-id"] = id,
        ["webhook-timestamp"] = ts,
        ["webhook-signature"] = sig,
      }, body))
    end
    n = n + 1
  end
  position = 0
end

function request()
  position = position % #requests + 1
  return requests[position]
end
