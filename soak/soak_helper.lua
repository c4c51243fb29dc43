-- Shared by the soak specs: the scale (SOAK_SCALE=full for `make soak`,
-- a bounded run otherwise), a bad link on both ends of a pair, and a
-- report line per run.
local H = require("helper")

local S = {}

S.full = os.getenv("SOAK_SCALE") == "full"

--- n at full scale, or the bounded number CI runs.
function S.scale(full_n, ci_n)
  return S.full and full_n or ci_n
end

--- The bad link of the reliability issue: 20% loss, reordering and
-- duplication, a little latency and jitter; seeded.
function S.bad_link(seed)
  return { loss = 0.2, duplicate = 0.05, reorder = 0.1, latency = 2, jitter = 3, seed = seed }
end

--- Gives both peers of a pair timeouts that tolerate long loss streaks.
-- With 20% loss each way a round trip fails 36% of the time, and ENet
-- doubles a command's retransmission timeout on every failure without a
-- cap: ten failures in a row (about 1 in 28,000 stalls) already mean a
-- minute without an acknowledgement. ENet's defaults (32, 5000, 30000)
-- disconnect after 5 s of that; these allow 10 minutes.
function S.patient(speer, cpeer)
  speer:set_timeout(65536, 300000, 600000)
  cpeer:set_timeout(65536, 300000, 600000)
end

--- Prints one "# soak ..." line (TAP comment) with the figures of a run.
function S.report(name, fields)
  local parts = {}
  for _, f in ipairs(fields) do parts[#parts + 1] = f[1] .. "=" .. tostring(f[2]) end
  io.write("# soak ", name, ": ", table.concat(parts, " "), "\n")
  io.stdout:flush()
end

S.H = H
return S
