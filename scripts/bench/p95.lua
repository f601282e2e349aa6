-- Prints the 95th percentile latency, which wrk's --latency table leaves out.
-- Loaded for every row; webhook.lua and search_miss.lua load it too.
function done(summary, latency, requests)
  io.write(string.format("p95_us %d\n", latency:percentile(95)))
end
