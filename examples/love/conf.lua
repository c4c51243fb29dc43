-- LÖVE configuration of the example client (LÖVE 11).
function love.conf(t)
  t.identity = "enetconnection-example"
  t.version = "11.4"
  t.window.title = "enetconnection: squares"
  t.window.width = 400
  t.window.height = 300
  t.window.vsync = 1
  t.modules.audio = false   -- nothing to play; and no sound card needed on a server
  t.modules.sound = false
  t.modules.joystick = false
  t.modules.physics = false
  t.modules.video = false
end
