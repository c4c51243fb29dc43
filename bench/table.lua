#!/usr/bin/env lua5.4
-- bench/table.lua - the table bench/run prints: the median of each row for
-- each implementation and the ratio of each Lua to the baseline.
--   table.lua RESULTS IMPL...     RESULTS has lines "row impl value", or
--                                 "row impl value run" (the run's number)
local rows = {
  { "pingpong", "ping-pong 64 B reliable", "us/rtt", "lower", "<= 1.05" },
  { "flood64", "flood 64 B reliable", "msg/s", "higher", ">= 0.95" },
  { "flood1000", "flood 1000 B reliable", "msg/s", "higher", ">= 0.95" },
  { "unreliable64", "flood 64 B unreliable", "msg/s", "higher", "" },
  { "unsequenced64", "flood 64 B unsequenced", "msg/s", "higher", "" },
  { "fanin", "fan-in 500 peers x 32 B", "msg/s", "higher", "" },
  { "broadcast", "broadcast 1 KiB to 500", "deliv/s", "higher", "" },
  { "scale10", "scale 10 peers", "msg/s", "higher", "" },
  { "scale4000", "scale 4000 peers", "msg/s", "higher", "" },
  { "scale10cpu", "scale 10 peers, server CPU", "us/msg", "lower", "" },
  { "scale4000cpu", "scale 4000 peers, server CPU", "us/msg", "lower", "" },
  { "scaleout1", "scale-out 1 worker, 100 peers", "msg/s", "higher", "" },
  { "scaleout2", "scale-out 2 workers, 100 peers", "msg/s", "higher", "" },
  { "scaleout1cpu", "scale-out 1 worker, CPU", "us/msg", "lower", "" },
  { "scaleout2cpu", "scale-out 2 workers, CPU", "us/msg", "lower", "" },
  { "pingpong_ipv4", "ping-pong 64 B, IPv4 (again)", "us/rtt", "lower", "" },
  { "pingpong_dual", "ping-pong 64 B, dual stack v4", "us/rtt", "lower", "" },
  { "pingpong_ipv6", "ping-pong 64 B, IPv6 ::1", "us/rtt", "lower", "" },
  { "flood64_ipv4", "flood 64 B, IPv4 (again)", "msg/s", "higher", "" },
  { "flood64_dual", "flood 64 B, dual stack v4", "msg/s", "higher", "" },
  { "flood64_ipv6", "flood 64 B, IPv6 ::1", "msg/s", "higher", "" },
}

local file, impls = arg[1], { table.unpack(arg, 2) }
-- values[row][impl]: every value; by_run[row][impl][run]: those tagged
-- with their run's number ("row impl value run").
local values, by_run = {}, {}
for line in io.lines(file) do
  local row, impl, v, run = line:match("^(%S+) (%S+) (%S+) ?(%d*)$")
  if row then
    values[row] = values[row] or {}
    values[row][impl] = values[row][impl] or {}
    table.insert(values[row][impl], tonumber(v))
    if run ~= "" then
      by_run[row] = by_run[row] or {}
      by_run[row][impl] = by_run[row][impl] or {}
      by_run[row][impl][tonumber(run)] = tonumber(v)
    end
  end
end

local function median(t)
  if not t or #t == 0 then return nil end
  table.sort(t)
  local n = #t
  return n % 2 == 1 and t[(n + 1) // 2] or (t[n // 2] + t[n // 2 + 1]) / 2
end

local function fmt(v)
  if v == nil then return "-" end
  if v >= 1e6 then return string.format("%.3fM", v / 1e6) end
  if v >= 1e4 then return string.format("%.1fk", v / 1e3) end
  return string.format("%.3g", v)
end

local med = {}
local header = string.format("%-30s %-7s", "scenario", "unit")
for _, impl in ipairs(impls) do header = header .. string.format(" %9s", impl) end
for _, impl in ipairs(impls) do
  if impl ~= "baseline" then header = header .. string.format(" %9s", impl .. "/C") end
end
print(header .. "  goal")
for _, r in ipairs(rows) do
  local line = string.format("%-30s %-7s", r[2], r[3])
  med[r[1]] = {}
  for _, impl in ipairs(impls) do
    med[r[1]][impl] = median(values[r[1]] and values[r[1]][impl])
    line = line .. string.format(" %9s", fmt(med[r[1]][impl]))
  end
  local base = med[r[1]].baseline
  for _, impl in ipairs(impls) do
    if impl ~= "baseline" then
      local v = med[r[1]][impl]
      line = line .. string.format(" %9s", (v and base) and string.format("%.3f", v / base) or "-")
    end
  end
  print(line .. "  " .. r[5])
end

-- The scale criterion: per-message server CPU at 4000 peers over 10 peers.
local line = string.format("%-30s %-7s", "per-msg cost 4000 / 10 peers", "ratio")
for _, impl in ipairs(impls) do
  local a, b = med.scale4000cpu[impl], med.scale10cpu[impl]
  line = line .. string.format(" %9s", (a and b) and string.format("%.3f", a / b) or "-")
end
print(line .. string.rep(" ", 10 * (#impls - 1)) .. "  <= 1.1 (ours)")

-- Scale-out: 2 worker processes on one port over 1, aggregate rate and
-- CPU per message (docs/performance.md says what 2 cores let this show).
for _, r in ipairs({ { "", "msg/s" }, { "cpu", "us/msg" } }) do
  line = string.format("%-30s %-7s", "scale-out 2 / 1 workers, " .. r[2], "ratio")
  for _, impl in ipairs(impls) do
    local a, b = med["scaleout2" .. r[1]][impl], med["scaleout1" .. r[1]][impl]
    line = line .. string.format(" %9s", (a and b) and string.format("%.3f", a / b) or "-")
  end
  print(line)
end
-- The IPv6 criterion: IPv6 and dual-stack speed over IPv4's (rtt: IPv4's
-- over theirs), same implementation, taken within each run (the families
-- run back to back) and then the median of those ratios: the machine's
-- load drifts between runs by more than the 5 % compared, and a ratio of
-- the rows' medians would pair values from different runs.
local function speed(name, row, base, lower)
  local out = string.format("%-30s %-7s", name, "ratio")
  for _, impl in ipairs(impls) do
    local a, b = by_run[row] and by_run[row][impl], by_run[base] and by_run[base][impl]
    local ratios = {}
    for run, x in pairs(a or {}) do
      local y = b and b[run]
      if y then ratios[#ratios + 1] = lower and y / x or x / y end
    end
    local r = median(ratios)
    out = out .. string.format(" %9s", r and string.format("%.3f", r) or "-")
  end
  print(out .. string.rep(" ", 10 * (#impls - 1)) .. "  >= 0.95 (ours)")
end
if by_run.flood64_ipv6 then
  speed("ping-pong IPv6 / IPv4", "pingpong_ipv6", "pingpong_ipv4", true)
  speed("flood 64 B IPv6 / IPv4", "flood64_ipv6", "flood64_ipv4", false)
  speed("ping-pong dual / IPv4", "pingpong_dual", "pingpong_ipv4", true)
  speed("flood 64 B dual / IPv4", "flood64_dual", "flood64_ipv4", false)
end
