-- A search the page cache has never seen, on every request (a counter in the query
-- string): what a search costs the database and Django, not a cache read.
--   row "search-miss" (BENCH_SEARCH_WORDS unset): always BENCH_SEARCH_PATH's
--     words, so its total and cards are found in the cache after the first;
--   row "search-new" (BENCH_SEARCH_WORDS: searches separated by "|"): new words
--     on every request, each thread from its own place in the list. The long
--     tail of real searches: their totals and most of their cards are new too.
dofile(os.getenv("BENCH_LUA_DIR") .. "/p95.lua")
local counter = 0

function setup(thread)
  thread:set("thread_id", counter)
  counter = counter + 1
end

function init(args)
  n = 0
  searches = {}
  for words in string.gmatch(os.getenv("BENCH_SEARCH_WORDS") or "", "[^|]+") do
    table.insert(searches, "/products/?q=" .. words:gsub(" ", "+"))
  end
  stride = math.floor(#searches / 2)
end

function request()
  n = n + 1
  local base = os.getenv("BENCH_SEARCH_PATH")
  if #searches > 0 then
    base = searches[(thread_id * stride + n) % #searches + 1]
  end
  return wrk.format("GET", string.format("%s&miss=%d-%d", base, thread_id, n))
end
