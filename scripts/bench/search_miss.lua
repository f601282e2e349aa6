-- A search the page cache has never seen on every request (a counter in the query
-- string): what a search costs the database and Django, not a cache read.
dofile(os.getenv("BENCH_LUA_DIR") .. "/p95.lua")
local counter = 0

function setup(thread)
  thread:set("thread_id", counter)
  counter = counter + 1
end

function init(args)
  n = 0
end

function request()
  n = n + 1
  local path = string.format("%s&miss=%d-%d", os.getenv("BENCH_SEARCH_PATH"), thread_id, n)
  return wrk.format("GET", path)
end
