-- An LDoc output filter (`ldoc --filter ldoc_signatures.print .`): prints
-- the signature of every documented function as LDoc itself read it from
-- the `/***` and `---` comments, one line each, for spec/docs_spec.lua:
--
--   <module or class> TAB <name> TAB <parameters> TAB <returns>
--
-- <name> as LDoc writes it ("ENetConnection:send", "Vector2"); parameters
-- are "name:type" in order ("?" after the name of an optional one, type
-- empty when none is given); returns is the shape:
-- the most values any group returns, and "+fail" when one group is the
-- failure convention `nil, message, code`. LDoc runs this under lua5.1.
local M = {}

-- A return text that starts the failure triple: "nil, message, code: ..."
-- (a group of its own) or "the server, or nil, message, code" (one line).
local function is_failure(text)
  text = text or ""
  return text:match("^%s*nil, message") ~= nil or text:match(", or nil, message") ~= nil
end

local function returns(item)
  local most, fails = 0, false
  for _, group in ipairs(item.retgroups or {}) do
    if #group == 1 and is_failure(group[1].text) and group[1].type == "" then
      fails = true
    else
      most = math.max(most, #group)
      for _, value in ipairs(group) do
        fails = fails or is_failure(value.text)
      end
    end
  end
  if fails then
    most = math.max(most, 3)
  end
  return most .. (fails and "+fail" or "")
end

function M.print(module_list)
  for mod in module_list:iter() do
    for item in mod.items:iter() do
      if item.type == "function" then
        local params = {}
        for i, name in ipairs(item.params) do
          local modifiers = item.modifiers.param[i] or {}
          params[i] = name .. (modifiers.opt and "?" or "") .. ":" .. (modifiers.type or "")
        end
        print(table.concat({ mod.name, item.name, table.concat(params, ","), returns(item) }, "\t"))
      end
    end
  end
end

return M
