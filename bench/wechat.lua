-- wrk script for bench/run.sh: POSTs WeChat text messages to /wechat.
--
-- Environment:
--   BENCH_QUERY  signature=..&timestamp=..&nonce=.. (required). The signature
--                does not cover the body, so one query string serves all.
--   BENCH_SALT   0..999999, different for every wrk run against one Redis,
--                so no run replays another's MsgIds (default: os.time()).
--   BENCH_USERS  how many students to spread the messages over (10000).
--   BENCH_PREFIX the students' names begin with it ("stu").
--   BENCH_RATE   requests per second for the whole run, paced (fixed-rate
--                mode): each connection waits connections/rate seconds
--                between its requests (wrk's delay()). Unset: as fast as
--                the server answers.
--   BENCH_CONNECTIONS  wrk's -c, needed with BENCH_RATE.
--   BENCH_MESSAGES  new messages per wrk thread at most; after that each
--                request repeats the thread's last message (a platform
--                retry, answered from the stored reply), so a run commits
--                a known number of messages whatever its length.
--
-- Every request carries a MsgId never used before (salt, wrk thread,
-- per-thread counter), since a repeated one would be answered from the
-- dedupe cache and measure nothing. Each wrk thread has its own Lua state,
-- so the counter needs no locking. MsgIds are built as strings: LuaJIT
-- numbers are doubles and lose digits past 2^53.

local query = os.getenv("BENCH_QUERY")
if query == nil or query == "" then
  error("BENCH_QUERY is not set")
end
local salt = tonumber(os.getenv("BENCH_SALT") or "") or (os.time() % 1000000)
local users = tonumber(os.getenv("BENCH_USERS") or "") or 10000
local prefix = os.getenv("BENCH_PREFIX") or "stu"
local path = "/wechat?" .. query
local headers = { ["Content-Type"] = "text/xml" }
local create_time = tostring(os.time())
local rate = tonumber(os.getenv("BENCH_RATE") or "")
local cap = tonumber(os.getenv("BENCH_MESSAGES") or "")
if rate ~= nil then
  local connections = tonumber(os.getenv("BENCH_CONNECTIONS") or "")
  if connections == nil then error("BENCH_RATE needs BENCH_CONNECTIONS") end
  local pause_ms = math.floor(1000 * connections / rate)
  -- wrk measures a request's latency from when it is sent, so the pause is
  -- not counted in it.
  function delay() return pause_ms end
end

local threads = {}
local next_thread = 0

-- Runs in the main Lua state, once per wrk thread, before it starts.
function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

-- Per-thread state (thread_id is set by setup above).
local counter = 0
non200 = 0

function request()
  if cap == nil or counter < cap then counter = counter + 1 end
  -- A stride that is prime to `users` walks every student, and the thread
  -- offset keeps two threads off the same student at the same moment.
  local student = (counter * 7919 + thread_id * 4999) % users
  local msg_id = string.format("%d%02d%010d", salt, thread_id, counter)
  local body = "<xml><ToUserName><![CDATA[gh_bench]]></ToUserName>"
    .. "<FromUserName><![CDATA[" .. prefix .. student .. "]]></FromUserName>"
    .. "<CreateTime>" .. create_time .. "</CreateTime>"
    .. "<MsgType><![CDATA[text]]></MsgType>"
    .. "<Content><![CDATA[hello]]></Content>"
    .. "<MsgId>" .. msg_id .. "</MsgId></xml>"
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    -- Show the first few, so a failing run says why.
    if non200 <= 3 then
      io.stderr:write("non-200: " .. status .. " " .. (body or ""):gsub("%s+$", "") .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("non200") or 0)
  end
  local e = summary.errors
  -- bench/run.sh greps these two lines.
  io.write(string.format("non-200 responses: %d\n", total))
  io.write(string.format("socket errors: %d\n", e.connect + e.read + e.write + e.timeout))
end
