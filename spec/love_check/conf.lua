-- luacheck: globals love
-- A windowless LÖVE program: it only decodes images.
function love.conf(t)
  t.identity = "enetconnection-love-check"
  t.window = false
  for _, m in ipairs({ "audio", "sound", "graphics", "window", "joystick", "physics", "video",
                       "keyboard", "mouse", "touch", "font" }) do
    t.modules[m] = false
  end
end
