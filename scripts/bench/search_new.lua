-- A search in new words on every request: two words of the seeded catalogue's
-- vocabulary (BENCH_SEARCH_WORDS, one search per "|"), each thread starting at its
-- own place in the list, and a counter so that no page-cache entry answers even
-- when the list comes round again. What the long tail of real searches costs: the
-- page, its total and most of its cards are new to the caches.
dofile(os.getenv("BENCH_LUA_DIR") .. "/p95.lua")
local counter = 0

function setup(thread)
  thread:set("thread_id", counter)
  counter = counter + 1
end

function init(args)
  searches = {}
  for words in string.gmatch(os.getenv("BENCH_SEARCH_WORDS"), "[^|]+") do
    table.insert(searches, (words:gsub(" ", "+")))
  end
  n = 0
  stride = math.floor(#searches / 2)
end

function request()
  n = n + 1
  local words = searches[(thread_id * stride + n) % #searches + 1]
  return wrk.format("GET", string.format("/products/?q=%s&new=%d-%d", words, thread_id, n))
end
