-- Every reference in the project's text resolves: Markdown links (relative
-- ones, with their #anchors) and the file names that docs, comments and
-- scripts cite (`docs/compression.md`, `ctest/test_fastlz.c`,
-- `examples/godot/`, a bare Markdown name). A doc that names a file the
-- project does not have, or a link that leads nowhere, fails here.
local H = require("helper")

local function read(path)
  return assert(H.read_file(path), path)
end

-- The project's files (build output and git metadata excluded), as a set of
-- paths relative to the root, with every directory on the way.
local function project_files()
  local ok, out = H.run("find . -path ./build -prune -o -path ./.git -prune -o -type f -print")
  assert(ok, out)
  local files, dirs, top = {}, {}, {}
  for path in out:gmatch("[^\n]+") do
    path = path:gsub("^%./", "")
    files[#files + 1] = path
    local parts = {}
    for part in path:gmatch("[^/]+") do
      parts[#parts + 1] = part
    end
    top[parts[1]] = true
    for i = 1, #parts - 1 do
      dirs[table.concat(parts, "/", 1, i)] = true
    end
  end
  table.sort(files)
  return files, dirs, top
end

-- Text files whose words are read: docs, code, build and CI files.
local TEXT = { md = true, lua = true, c = true, h = true, gd = true, ld = true, mk = true, rockspec = true }
local function is_text(path)
  local ext = path:match("%.([%w]+)$")
  return TEXT[ext] or path == "Makefile" or path:match("^scripts/[%w_-]+$") or path == ".ci/run"
end

-- "a/b/../c" -> "a/c"; nil when it climbs out of the root.
local function normalize(path)
  local parts = {}
  for part in path:gmatch("[^/]+") do
    if part == ".." then
      if #parts == 0 then
        return nil
      end
      parts[#parts] = nil
    elseif part ~= "." then
      parts[#parts + 1] = part
    end
  end
  return table.concat(parts, "/")
end

-- GitHub's anchor for a heading: lower case, punctuation dropped, spaces
-- to hyphens (non-ASCII letters kept).
local function anchor_of(heading)
  return (heading:lower():gsub("[^%w%s_%-\128-\255]", ""):gsub("%s", "-"))
end

local function anchors(markdown)
  local set, seen = {}, {}
  local in_code = false
  for line in (markdown .. "\n"):gmatch("([^\n]*)\n") do
    if line:match("^```") then
      in_code = not in_code
    elseif not in_code then
      local heading = line:match("^#+%s+(.-)%s*$")
      if heading then
        local a = anchor_of(heading)
        set[seen[a] and (a .. "-" .. seen[a]) or a] = true
        seen[a] = (seen[a] or 0) + 1
      end
    end
  end
  return set
end

describe("references in docs and comments", function()
  local files, dirs, top = project_files()
  local exists = {}
  for _, f in ipairs(files) do
    exists[f] = true
  end
  local function found(path)
    return path ~= nil and (exists[path] or dirs[path] or path == "")
  end
  -- What a cited name may stand for: the file or directory itself, a
  -- program built from a C file (ctest/test_compress), or output under
  -- build/ (made by the build, not kept in the project).
  local function cited(path)
    return found(path) or (path ~= nil and (exists[path .. ".c"] or path:match("^build/") ~= nil))
  end
  -- A ../ path is relative to the citing file, or to build/docs: LDoc's
  -- output, whose links config.ld writes and scripts/docs checks.
  local function climbing(base, token)
    local here = normalize((base ~= "" and base .. "/" or "") .. token)
    if cited(here) then
      return here
    end
    return normalize("build/docs/" .. token) or false
  end

  it("finds the project's files", function()
    assert.is_true(exists["README.md"] and exists["docs/compression.md"] and dirs["csrc"] ~= nil)
  end)

  it("has every relative Markdown link lead to a file, and every #anchor to a heading", function()
    local broken, checked = {}, 0
    for _, file in ipairs(files) do
      if file:match("%.md$") then
        local text = read(file)
        local base = file:match("^(.*)/") or ""
        -- Links outside code: drop fenced blocks and code spans first.
        local prose = text:gsub("\n```.-\n```", "\n"):gsub("`[^`\n]*`", "")
        for target in prose:gmatch("%]%(([^)%s]+)%)") do
          if not target:match("^%a[%w+.-]*:") then -- http:, https:, mailto:
            checked = checked + 1
            local path, anchor = target:match("^([^#]*)#?(.*)$")
            local resolved = path == "" and file or normalize((base ~= "" and base .. "/" or "") .. path)
            if not found(resolved) then
              broken[#broken + 1] = file .. ": " .. target
            elseif anchor ~= "" and resolved:match("%.md$") and not anchors(read(resolved))[anchor] then
              broken[#broken + 1] = file .. ": " .. target .. " (no such heading)"
            end
          end
        end
      end
    end
    assert.are.same({}, broken)
    assert.is_true(checked >= 10, "links checked: " .. checked)
  end)

  it("has every file name cited in docs, comments and scripts exist in the project", function()
    local missing, checked = {}, 0
    for _, file in ipairs(files) do
      if is_text(file) then
        local text = read(file)
        local base = file:match("^(.*)/") or ""
        for at, token in text:gmatch("()([%w_%.%-/]+)") do
          local before = at > 1 and text:sub(at - 1, at - 1) or ""
          local after = text:sub(at + #token, at + #token)
          token = token:gsub("[.,]+$", "")
          local first = token:match("^([^/]+)/")
          local resolved
          -- Globs and templates (csrc/*.c, lua/?.lua, build/<lua>/...) and
          -- absolute paths are not names of files.
          if before:match("[%*%?<>%$%%{@:/\\]") or after:match("[%*%?<>%$%%{}]") or token:match("^/") then
            resolved = nil
          elseif first and top[first] then
            resolved = normalize(token)
          elseif first == ".." then
            resolved = climbing(base, token)
          elseif not first and token:match("^[%w_%-]+%.md$") then
            -- a bare Markdown name: beside the citing file, or at the root
            local beside = (base ~= "" and base .. "/" or "") .. token
            resolved = exists[beside] and beside or token
          end
          if resolved ~= nil then
            checked = checked + 1
            if not cited(resolved) then
              missing[#missing + 1] = file .. ": " .. token
            end
          end
        end
      end
    end
    table.sort(missing)
    assert.are.same({}, missing, "cited but not in the project")
    assert.is_true(checked >= 100, "names checked: " .. checked)
  end)
end)
