-- enetconnection: Godot 4's ENetConnection and ENetPacketPeer for Lua, on the
-- system libenet, with Godot-compatible compression and DTLS (mbedTLS).
--
--   luarocks --lua-version 5.4 make --tree /tmp/rocks rockspec/enetconnection-scm-1.rockspec
--
-- luarocks' builtin build, offline: each library is taken from where luarocks
-- finds it (the system's by default; ENET_DIR=/prefix, or ENET_INCDIR and
-- ENET_LIBDIR, and likewise MBEDTLS_, ZLIB_ and ZSTD_, for another one).
-- Symbol visibility is set by the source (csrc/visibility.h), so luarocks'
-- own CFLAGS do. spec/rockspec_spec.lua checks that `sources` lists exactly
-- the C files `make` builds into the module.
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

-- The socket layer speaks Linux: sendmsg/recvmmsg, and libenet calling the
-- module's enet_socket_create/send/receive through ELF symbol interposition.
supported_platforms = { "linux" }

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
  type = "builtin",
  modules = {
    ["enetconnection"] = "lua/enetconnection/init.lua",
    ["enetconnection.love"] = "lua/enetconnection/love.lua",
    ["enetconnection.multiplayer"] = "lua/enetconnection/multiplayer.lua",
    ["enetconnection.variant"] = "lua/enetconnection/variant.lua",
    ["enetconnection.core"] = {
      sources = {
        "csrc/address.c",
        "csrc/address_lua.c",
        "csrc/address_tokens.c",
        "csrc/block_cache.c",
        "csrc/class.c",
        "csrc/compress.c",
        "csrc/connection.c",
        "csrc/crypto.c",
        "csrc/crypto_key.c",
        "csrc/crypto_key_lua.c",
        "csrc/crypto_lua.c",
        "csrc/drbg.c",
        "csrc/dtls_filter.c",
        "csrc/dtls_lua.c",
        "csrc/dtls_session.c",
        "csrc/dtls_setup.c",
        "csrc/errors.c",
        "csrc/events.c",
        "csrc/fastlz.c",
        "csrc/linksim.c",
        "csrc/mbedtls_compat.c",
        "csrc/module.c",
        "csrc/module_parts.c",
        "csrc/packet.c",
        "csrc/peer.c",
        "csrc/peer_registry.c",
        "csrc/pem_file.c",
        "csrc/receive_ring.c",
        "csrc/send_args.c",
        "csrc/shared_box_lua.c",
        "csrc/shared_value.c",
        "csrc/socket_create.c",
        "csrc/socket_faults.c",
        "csrc/socket_hooks.c",
        "csrc/socket_lua.c",
        "csrc/socket_pipeline.c",
        "csrc/socket_registry.c",
        "csrc/socket_udp.c",
        "csrc/tls_alert.c",
        "csrc/tls_lua.c",
        "csrc/tls_options.c",
        "csrc/utf8.c",
        "csrc/variant.c",
        "csrc/variant_budget.c",
        "csrc/variant_decode.c",
        "csrc/variant_encode.c",
        "csrc/variant_encode_tagged.c",
        "csrc/variant_types.c",
        "csrc/x509.c",
        "csrc/x509_lua.c",
      },
      defines = { "_GNU_SOURCE" },
      incdirs = { "$(ENET_INCDIR)", "$(MBEDTLS_INCDIR)", "$(ZLIB_INCDIR)", "$(ZSTD_INCDIR)" },
      libdirs = { "$(ENET_LIBDIR)", "$(MBEDTLS_LIBDIR)", "$(ZLIB_LIBDIR)", "$(ZSTD_LIBDIR)" },
      -- mbedx509 and mbedcrypto come with mbedtls, from its directory.
      libraries = { "enet", "mbedtls", "mbedx509", "mbedcrypto", "z", "zstd" },
    },
  },
  copy_directories = { "docs", "examples", "library" },
}
