-- luacheck: globals love
-- The shipped game's configuration: a small window (the game runs under
-- Xvfb); t.identity names its save directory, where enetconnection.love
-- puts the C module.
function love.conf(t)
  t.identity = "enetconnection-love-shipped"
  t.window.title = "enetconnection shipped as a .love"
  t.window.width = 200
  t.window.height = 100
  t.modules.audio = false
  t.modules.sound = false
  t.modules.joystick = false
end
