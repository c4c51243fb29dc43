-- Every public name at run time is documented twice: in the LuaLS
-- annotations (library/enetconnection.lua) and in the LDoc reference built
-- from the source comments (config.ld). Names starting with "_" are
-- internal (test hooks) and exempt. A method added to a class without
-- both fails here, and so does documentation of a name that is gone, or
-- a function whose parameters or return shape the two copies state
-- differently (the LDoc side as LDoc reads it: spec/support/ldoc_signatures.lua).
local H = require("helper")
local enet = H.enet

local CLASSES = { "ENetConnection", "ENetPacketPeer", "TLSOptions", "CryptoKey", "X509Certificate", "Crypto" }
-- Instance fields the annotations describe that no class table holds.
local INSTANCE_FIELDS = { ["ENetPacketPeer.user"] = true }
-- LDoc tables that only document (fields of the module, of a peer, flags,
-- the socket options argument).
local LDOC_ONLY = { fields = true, ["ENetPacketPeer.fields"] = true, ["ENetPacketPeer.Flags"] = true,
  ["ENetConnection.SocketOptions"] = true }

local function read(path)
  return assert(H.read_file(path), path)
end

local function sorted_keys(t)
  local list = {}
  for k in pairs(t) do
    list[#list + 1] = k
  end
  table.sort(list)
  return list
end

-- What exists at run time: inventory[owner][name] = "function" | "constant"
-- | "enum" | "field"; owner "enetconnection" is the module table.
local function runtime_inventory()
  local inventory = { enetconnection = {} }
  for name, value in pairs(enet) do
    if type(name) == "string" and name:sub(1, 1) ~= "_" then
      inventory.enetconnection[name] = type(value) == "function" and "function" or "field"
    end
  end
  for _, class in ipairs(CLASSES) do
    local members = {}
    for name, value in pairs(enet[class]) do
      if type(name) == "string" and name:sub(1, 1) ~= "_" then
        members[name] = type(value) == "function" and "function" or type(value) == "number" and "constant" or "enum"
      end
    end
    inventory[class] = members
  end
  return inventory
end

-- The annotations: documented[owner][name] = "method" | "static" | "field".
-- Also returns the functions that lack a description line.
local function annotated(path)
  local owner_of = { enet = "enetconnection", enetconnection = "enetconnection" }
  for _, class in ipairs(CLASSES) do
    owner_of[class], owner_of[class .. "Class"] = class, class
  end
  local documented, undescribed = {}, {}
  local function record(owner, name, kind)
    owner = owner_of[owner]
    if owner then
      documented[owner] = documented[owner] or {}
      documented[owner][name] = kind
    end
  end
  local lines, current_class = {}, nil
  for line in (read(path) .. "\n"):gmatch("([^\n]*)\n") do
    lines[#lines + 1] = line
    local class = line:match("^%-%-%-@class ([%w_.]+)")
    if class then
      current_class = class
    elseif current_class and line:match("^%-%-%-@field [%w_]+") then
      record(current_class, line:match("^%-%-%-@field ([%w_]+)"), "field")
    elseif not line:match("^%-%-%-") then
      current_class = nil
    end
    local owner, sep, name = line:match("^function ([%w_]+)([.:])([%w_]+)%(")
    if owner then
      record(owner, name, sep == ":" and "method" or "static")
      local described = false
      for i = #lines - 1, 1, -1 do
        local above = lines[i]
        if not above:match("^%-%-%-") then
          break
        end
        described = described or not above:match("^%-%-%-@") and above:match("^%-%-%-%S") ~= nil
      end
      if not described then
        undescribed[#undescribed + 1] = owner .. sep .. name
      end
    end
    local field_owner, field = line:match("^([%w_]+)%.([%w_]+) = ")
    if field_owner then
      record(field_owner, field, "field")
    end
  end
  return documented, undescribed
end

-- The LDoc output: per page, anchors ("Class:method", "Class.static",
-- "function") and the names listed as parameters or table fields.
local function ldoc_page(path)
  local html = read(path)
  local page = { anchors = {}, names = {} }
  for anchor in html:gmatch('<a name = "([^"]+)"></a>') do
    page.anchors[anchor] = true
  end
  for name in html:gmatch('<span class="parameter">([%w_]+)</span>') do
    page.names[name] = true
  end
  return page
end

-- Builds the LDoc reference as `make docs` does (scripts/docs, which fails
-- on warnings, unrendered Markdown and broken links) into a directory of
-- this Lua's own, two levels below the root as the links need. Returns it.
local docs_dir
local function build_docs()
  if not docs_dir then
    local dir = "build/docs-" .. H.lua:gsub("[^%w.]", "")
    local ok, out = H.run("timeout 120 scripts/docs " .. H.quote(dir))
    assert.is_true(ok, "scripts/docs failed (make docs shows the same): " .. out)
    docs_dir = dir
  end
  return docs_dir
end

-- enetconnection.multiplayer (plain Lua): its module fields and the
-- methods of the server it returns; names starting with "_" are internal.
local function multiplayer_inventory()
  local MP = require("enetconnection.multiplayer")
  local fields, methods = {}, {}
  for name, value in pairs(MP) do
    fields[name] = type(value)
  end
  local server = assert(MP.server({ address = "127.0.0.1", port = 0 }))
  for name, value in pairs(getmetatable(server).__index) do
    if type(value) == "function" and name:sub(1, 1) ~= "_" then
      methods[name] = true
    end
  end
  server:close()
  return fields, methods
end

-- A parameter's type in words both LDoc and LuaLS use, or nil when one of
-- them says more than the other can (unions, Godot value classes, `any`).
local PLAIN_TYPES = { string = true, integer = true, number = true, boolean = true, table = true,
  CryptoKey = true, TLSOptions = true, X509Certificate = true }
local function plain_type(t)
  t = ({ int = "integer", bool = "boolean", tab = "table" })[t] or t
  if t:match("^ENet%w+%.%w+$") then -- an enum of the annotations
    t = "integer"
  elseif t:match("^enetconnection%.[%w.]+$") then -- an options table
    t = "table"
  end
  return PLAIN_TYPES[t] and t or nil
end

-- A signature: "a,b? -> 3+fail" (parameters in order, "?" after an optional
-- one; the return shape) and the plain type of each parameter by name.
local function signature(params, returns)
  local names, types = {}, {}
  for _, p in ipairs(params) do
    names[#names + 1] = p.name .. (p.optional and "?" or "")
    types[p.name] = plain_type(p.type)
  end
  return { text = table.concat(names, ",") .. " -> " .. returns, types = types }
end

-- Signatures as LDoc reads them from the `/***` and `---` comments
-- (spec/support/ldoc_signatures.lua): found["Owner.name"], owner the class,
-- or the module for its plain functions.
local function ldoc_signatures()
  local ok, out = H.run("LUA_PATH='spec/support/?.lua;;' timeout 120 lua5.1 \"$(command -v ldoc)\" "
    .. "--filter ldoc_signatures.print .")
  assert.is_true(ok, out)
  local found = {}
  for module, name, list, returns in out:gmatch("([^\t\n]+)\t([^\t\n]+)\t([^\t\n]*)\t([^\t\n]+)") do
    local params = {}
    for param, optional, type in list:gmatch("([%w_]+)(%??):([^,]*)") do
      params[#params + 1] = { name = param, optional = optional == "?", type = type }
    end
    local owner, short = name:match("^([%w_]+)[.:]([%w_]+)$")
    found[(owner or module) .. "." .. (short or name)] = signature(params, returns)
  end
  return found
end

-- The same from LuaLS annotations: the arguments of each `function` line,
-- optional and typed as their `---@param` says; the number of `---@return`
-- lines, "+fail" when one is `string? message` (the failure convention).
-- `owners` maps the stub's table names to the owners LDoc uses. Also
-- returns the `---@param` lines that name no argument, and the arguments
-- without one.
local function annotated_signatures(path, owners)
  local found, unmatched, block = {}, {}, {}
  for line in (read(path) .. "\n"):gmatch("([^\n]*)\n") do
    local owner, name, args = line:match("^function ([%w_]+)[.:]([%w_]+)%(([^)]*)%)")
    if owner and owners[owner] then
      local key = owners[owner] .. "." .. name
      local documented, values, fails = {}, 0, false
      for _, above in ipairs(block) do
        local param, optional, type = above:match("^%-%-%-@param ([%w_]+)(%??)%s+(%S+)")
        if param then
          documented[param] = { name = param, optional = optional == "?", type = type }
        end
        if above:match("^%-%-%-@return") then
          values = values + 1
          fails = fails or above:match("^%-%-%-@return string%? message") ~= nil
        end
      end
      local params = {}
      for arg in args:gmatch("[%w_]+") do
        params[#params + 1] = documented[arg] or { name = arg, type = "" }
        if not documented[arg] then
          unmatched[#unmatched + 1] = key .. ": no @param " .. arg
        end
        documented[arg] = nil
      end
      for param in pairs(documented) do
        unmatched[#unmatched + 1] = key .. ": @param " .. param .. " is no argument"
      end
      found[key] = signature(params, values .. (fails and "+fail" or ""))
    end
    block = line:match("^%-%-%-") and block or {}
    if line:match("^%-%-%-") then
      block[#block + 1] = line
    end
  end
  return found, unmatched
end

describe("documentation", function()
  local inventory = runtime_inventory()
  local documented, undescribed = annotated("library/enetconnection.lua")

  it("knows the classes through their metatables: each __index is the class table", function()
    local registry = debug.getregistry()
    for _, class in ipairs(CLASSES) do
      if class ~= "Crypto" then -- a plain table of functions
        local mt = registry["enetconnection." .. class]
        assert.is_table(mt, class)
        local index = mt.__index
        if type(index) == "function" then -- ENetPacketPeer: the class's names first, then `user`
          for name, value in pairs(enet[class]) do
            assert.are.equal(value, index(nil, name), class .. "." .. name)
          end
          assert.is_nil(index(nil, "no_such_method"))
        else
          assert.are.equal(enet[class], index, class)
        end
      end
    end
    assert.is_true(#sorted_keys(inventory.ENetConnection) > 30)
  end)

  it("has a LuaLS annotation for every public name, and none for a name that is gone", function()
    local missing, stale = {}, {}
    for owner, members in pairs(inventory) do
      for name in pairs(members) do
        if not (documented[owner] and documented[owner][name]) then
          missing[#missing + 1] = owner .. "." .. name
        end
      end
    end
    for owner, members in pairs(documented) do
      for name in pairs(members) do
        local full = owner .. "." .. name
        if not inventory[owner][name] and not INSTANCE_FIELDS[full] then
          stale[#stale + 1] = full
        end
      end
    end
    table.sort(missing)
    table.sort(stale)
    assert.are.same({}, missing, "not in library/enetconnection.lua")
    assert.are.same({}, stale, "in library/enetconnection.lua but not at run time")
    assert.are.same({}, undescribed, "annotated functions without a description line")
  end)

  it("annotates functions as functions and constants as fields", function()
    for owner, members in pairs(inventory) do
      for name, kind in pairs(members) do
        local doc = documented[owner][name]
        if kind == "function" then
          assert.are_not.equal("field", doc, owner .. "." .. name .. " is a function")
        else
          assert.are.equal("field", doc, owner .. "." .. name .. " is not a function")
        end
      end
    end
  end)

  it("runs the README's DTLS example as printed", function()
    local readme = read("README.md")
    local section = readme:match("\n## DTLS with a self%-signed certificate\n(.-)\n## ")
    assert.is_string(section, "README.md lost its DTLS section")
    local code = section:match("```lua\n(.-)```")
    assert.is_string(code)
    local file = os.tmpname()
    local f = assert(io.open(file, "w"))
    f:write(code)
    f:close()
    local ok, out = H.run("timeout 30 " .. H.lua .. " " .. H.quote(file))
    os.remove(file)
    assert.is_true(ok, out)
    assert.matches("connected over DTLS to\tENetPacketPeer 127%.0%.0%.1:%d+ %(connected%)", out)
  end)

  it("has a 'Porting from GDScript' table in the README, and what it says holds", function()
    local section = read("README.md"):match("\n## Porting from GDScript\n(.-)\n## ")
    assert.is_string(section, "README.md has no 'Porting from GDScript' section")
    for _, topic in ipairs({ "four values, no Array", "a Lua array, from 1", "`true`, or `nil`",
      "Lua strings", "`d % 2^32`", "Deliberate differences" }) do
      assert.matches(topic, section, nil, true)
    end
    local s, port = H.server()
    local c = H.client()
    local d = -1 -- GDScript's connect data
    local cpeer = assert(c:connect_to_host("127.0.0.1", port, 0, d % 2 ^ 32))
    local got
    H.pump_until("connect", { s, c }, function() return got and cpeer:is_active() end, function(h, t, _, data)
      if h == s and t == H.C.EVENT_CONNECT then got = data end
    end)
    assert.are.equal(4294967295, got) -- Godot's -1 as it arrives here
    if got >= 2 ^ 31 then got = got - 2 ^ 32 end
    assert.are.equal(-1, got)
    local t, peer = s:service(0)
    assert.are.equal(H.C.EVENT_NONE, t) -- idle: 0, which Lua counts as true
    assert.is_nil(peer)
    assert.is_truthy(t)
    assert.is_nil(s:get_peers()[0])
    assert.is_true(s:get_peers()[1]:is_active())
    assert.is_true(s:destroy() == nil and c:destroy() == nil)
  end)

  it("keeps library/enetconnection.lua a valid Lua file that returns the module table", function()
    local chunk = assert(loadfile("library/enetconnection.lua"))
    local t = chunk()
    assert.is_function(t.var_to_bytes)
    assert.is_function(t.Vector2)
  end)

  it("annotates every public name of enetconnection.multiplayer, and none that is gone", function()
    local fields, methods = multiplayer_inventory()
    local text = read("library/enetconnection/multiplayer.lua")
    local annotated_fields, annotated_methods = {}, {}
    for name in text:gmatch("\nMP%.([%w_]+) = ") do
      annotated_fields[name] = "number"
    end
    for name in text:gmatch("\nfunction MP%.([%w_]+)%(") do
      annotated_fields[name] = "function"
    end
    for name in text:gmatch("\nfunction Server:([%w_]+)%(") do
      annotated_methods[name] = true
    end
    assert.are.same(fields, annotated_fields)
    assert.are.same(methods, annotated_methods)
  end)

  it("has an LDoc entry for every public name, each method as a method, built without warnings", function()
    local dir = build_docs()

    local missing, stale = {}, {}
    local module_page = ldoc_page(dir .. "/modules/enetconnection.html")
    for anchor in pairs(module_page.anchors) do
      if not inventory.enetconnection[anchor] and not LDOC_ONLY[anchor] then
        stale[#stale + 1] = anchor
      end
    end
    for name, kind in pairs(inventory.enetconnection) do
      local found = kind == "function" and module_page.anchors[name] or module_page.names[name]
      if not found then
        missing[#missing + 1] = "enetconnection." .. name
      end
    end
    for _, class in ipairs(CLASSES) do
      local page = ldoc_page(dir .. "/classes/" .. class .. ".html")
      for anchor in pairs(page.anchors) do
        local name = anchor:match("^" .. class .. "[.:]([%w_]+)$")
        if name and not inventory[class][name] and not LDOC_ONLY[anchor] then
          stale[#stale + 1] = anchor
        end
      end
      for name, kind in pairs(inventory[class]) do
        local found
        if kind == "function" then
          local as_method, as_static = page.anchors[class .. ":" .. name], page.anchors[class .. "." .. name]
          found = as_method or as_static
          -- LDoc and the annotations agree on ':' or '.'
          local annotation = documented[class][name]
          if found and annotation then
            assert.are.equal(annotation == "method", as_method ~= nil, class .. "." .. name .. " called with ':'")
          end
        elseif kind == "enum" then
          found = page.anchors[class .. "." .. name]
        else
          found = page.names[name]
        end
        if not found then
          missing[#missing + 1] = class .. "." .. name
        end
      end
    end
    table.sort(missing)
    table.sort(stale)
    assert.are.same({}, missing, "not in the LDoc output (add a /*** comment with @function or @field)")
    assert.are.same({}, stale, "in the LDoc output but not at run time")

    -- enetconnection.multiplayer has its own page: functions, constants, Server methods.
    local fields, methods = multiplayer_inventory()
    local page = ldoc_page(dir .. "/modules/enetconnection.multiplayer.html")
    local mp_missing, mp_stale = {}, {}
    for name, kind in pairs(fields) do
      if not (kind == "function" and page.anchors[name] or kind ~= "function" and page.names[name]) then
        mp_missing[#mp_missing + 1] = name
      end
    end
    for name in pairs(methods) do
      if not page.anchors["Server:" .. name] then
        mp_missing[#mp_missing + 1] = "Server:" .. name
      end
    end
    for anchor in pairs(page.anchors) do
      local method = anchor:match("^Server:([%w_]+)$")
      if not (methods[method] or fields[anchor] or anchor == "constants") then
        mp_stale[#mp_stale + 1] = anchor
      end
    end
    table.sort(mp_missing)
    assert.are.same({}, mp_missing, "not on the enetconnection.multiplayer LDoc page")
    assert.are.same({}, mp_stale, "on the enetconnection.multiplayer LDoc page but not at run time")
  end)

  it("gives every function the same parameters (names, order, optional, types) and return shape "
    .. "in LDoc and in the annotations", function()
    local owners = { enet = "enetconnection", MP = "enetconnection.multiplayer", Server = "Server" }
    for _, class in ipairs(CLASSES) do
      owners[class], owners[class .. "Class"] = class, class
    end
    local ldoc = ldoc_signatures()
    local stubs, unmatched = annotated_signatures("library/enetconnection.lua", owners)
    local mp_stubs, mp_unmatched = annotated_signatures("library/enetconnection/multiplayer.lua", owners)
    for key, found in pairs(mp_stubs) do
      stubs[key] = found
    end
    for _, problem in ipairs(mp_unmatched) do
      unmatched[#unmatched + 1] = problem
    end
    local differ, compared = {}, 0
    for key, in_ldoc in pairs(ldoc) do
      local in_stub = stubs[key]
      if in_stub then
        compared = compared + 1
        if in_stub.text ~= in_ldoc.text then
          differ[#differ + 1] = key .. ": LDoc " .. in_ldoc.text .. ", annotations " .. in_stub.text
        end
        for param, type in pairs(in_ldoc.types) do
          local other = in_stub.types[param]
          if other and other ~= type then
            differ[#differ + 1] = ("%s: %s is %s in LDoc, %s in the annotations"):format(key, param, type, other)
          end
        end
      end
    end
    table.sort(differ)
    table.sort(unmatched)
    assert.is_true(compared > 100, "compared " .. compared)
    assert.are.same({}, differ)
    assert.are.same({}, unmatched, "library/*.lua: @param lines and arguments")
  end)

  it("documents every public name of enetconnection.love in the annotations and LDoc, none that is gone", function()
    local names = {}
    for name, value in pairs(require("enetconnection.love")) do
      names[name] = type(value)
    end
    local annotated_names = {}
    for name in read("library/enetconnection/love.lua"):gmatch("\nfunction M%.([%w_]+)%(") do
      annotated_names[name] = "function"
    end
    assert.are.same(names, annotated_names, "library/enetconnection/love.lua")
    local entries = {}
    for anchor in pairs(ldoc_page(build_docs() .. "/modules/enetconnection.love.html").anchors) do
      entries[anchor] = "function"
    end
    assert.are.same(names, entries, "the enetconnection.love LDoc page")
  end)

  -- LDoc falls back to plain text without failing when its Markdown module
  -- is missing; the reference is then full of raw backticks.
  it("renders the reference as Markdown: code spans, no raw backticks, working links", function()
    local dir = build_docs()
    local log = read(dir .. ".log")
    assert.is_nil(log:match("not found, falling back to text"), log)
    local ok, pages = H.run("find " .. H.quote(dir) .. " -name '*.html'")
    assert.is_true(ok, pages)
    local count, code_spans = 0, 0
    for page in pages:gmatch("[^\n]+") do
      count = count + 1
      local html = read(page)
      assert.is_nil(html:find("`", 1, true), page .. " has raw backticks")
      for _ in html:gmatch("<code>") do
        code_spans = code_spans + 1
      end
      local base = page:match("^(.*)/")
      for target in html:gmatch('href="([^"#]+)') do
        if not target:match("^%a+:") then
          local f = io.open(base .. "/" .. target, "rb")
          assert.is_not_nil(f, page .. " links to " .. target .. ", which does not exist")
          f:close()
        end
      end
    end
    assert.is_true(count >= 8, "pages: " .. count)
    assert.is_true(code_spans > 100, "code spans: " .. code_spans)
    local index = read(dir .. "/index.html")
    assert.matches('See also <a href="../../README.md">README.md</a>', index, nil, true)
  end)
end)
