-- wrk script: POST /api/v1/cases with varied, valid bodies made by
-- make_case_bodies.py; counts 201s so intake.sh can compare with the DB.
local bodies = dofile(os.getenv("BODIES"))
local token = os.getenv("TOKEN")
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  created = 0
  other = 0
  counter = id * 7919
end

function request()
  counter = counter + 1
  local body = bodies[(counter % #bodies) + 1]
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
  end
  io.write(string.format("created %d other %d\n", c, o))
end
