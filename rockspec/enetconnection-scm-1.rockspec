-- enetconnection: Godot 4's ENetConnection and ENetPacketPeer for Lua, on the
-- system libenet, with Godot-compatible compression and DTLS (mbedTLS).
--
--   luarocks --lua-version 5.4 make --tree /tmp/rocks rockspec/enetconnection-scm-1.rockspec
--
-- Builds offline through the project's Makefile (targets rock, rock-install)
-- against the Debian packages scripts/setup installs.
rockspec_format = "3.0"
package = "enetconnection"
version = "scm-1"

source = {
  url = "git+https://example.invalid/enetconnection.git",
}

description = {
  summary = "Godot 4's ENetConnection and ENetPacketPeer for Lua: ENet, compression, DTLS",
  detailed = [[
Reliable and unreliable UDP messaging on the system libenet for Lua 5.1-5.4,
LuaJIT and LÖVE, with Godot's API, Godot-wire-compatible compression and DTLS
encryption through mbedTLS.]],
  license = "MIT",
  labels = { "networking", "enet", "godot", "dtls", "gamedev" },
}

dependencies = {
  "lua >= 5.1, < 5.5",
}

external_dependencies = {
  ENET = { header = "enet/enet.h", library = "enet" },
  MBEDTLS = { header = "mbedtls/ssl.h", library = "mbedtls" },
  ZLIB = { header = "zlib.h", library = "z" },
  ZSTD = { header = "zstd.h", library = "zstd" },
}

build = {
  type = "make",
  build_target = "rock",
  install_target = "rock-install",
  build_variables = {
    ROCK_CFLAGS = "$(CFLAGS)",
    LUA_INCDIR = "$(LUA_INCDIR)",
  },
  install_variables = {
    INST_LIBDIR = "$(LIBDIR)",
    INST_LUADIR = "$(LUADIR)",
  },
  copy_directories = { "docs", "examples" },
}
