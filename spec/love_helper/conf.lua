-- luacheck: globals love
-- A windowless LÖVE program (see main.lua): no window, no sound.
function love.conf(t)
  t.identity = "enetconnection-love-check"
  t.window = false
  for _, m in ipairs({ "audio", "sound", "graphics", "window", "joystick", "physics", "video",
                       "keyboard", "mouse", "touch", "font" }) do -- love.image, .filesystem, .timer stay
    t.modules[m] = false
  end
end
