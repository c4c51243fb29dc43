-- luacheck configuration: specs use busted's globals; LÖVE examples use love.
std = "max"
files["spec/"] = { std = "+busted" }
files["soak/"] = { std = "+busted" }
files["examples/love/"] = { globals = { "love" } }
max_line_length = 120
