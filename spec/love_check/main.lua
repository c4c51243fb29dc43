-- luacheck: globals love
--- Reads PNG files with LÖVE's own decoder and prints, for each, every
-- colour covering at least 64 pixels: its count and bounding box.
-- Used by spec/love_spec.lua to check the example's screenshots.
--
--    love spec/love_check FILE.png ... > report
--
-- Output lines: "file PATH WIDTH HEIGHT", then "colour R G B COUNT X0 Y0 X1 Y1".
function love.load(args)
  for _, path in ipairs(args) do
    local f = assert(io.open(path, "rb"))
    local bytes = f:read("*a")
    f:close()
    local image = love.image.newImageData(love.filesystem.newFileData(bytes, "shot.png"))
    local w, h = image:getDimensions()
    io.write(("file %s %d %d\n"):format(path, w, h))
    local seen = {}
    for y = 0, h - 1 do
      for x = 0, w - 1 do
        local r, g, b = image:getPixel(x, y)
        r, g, b = math.floor(r * 255 + 0.5), math.floor(g * 255 + 0.5), math.floor(b * 255 + 0.5)
        local key = r * 65536 + g * 256 + b
        local s = seen[key]
        if not s then
          s = { r, g, b, 0, x, y, x, y }
          seen[key] = s
        end
        s[4] = s[4] + 1
        s[5], s[6] = math.min(s[5], x), math.min(s[6], y)
        s[7], s[8] = math.max(s[7], x), math.max(s[8], y)
      end
    end
    for _, s in pairs(seen) do
      if s[4] >= 64 then
        io.write(("colour %d %d %d %d %d %d %d %d\n"):format(unpack(s)))
      end
    end
  end
  io.flush()
  love.event.quit(0)
end
