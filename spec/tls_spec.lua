-- TLS objects: CryptoKey, X509Certificate, Crypto and TLSOptions (Godot's names).
local enet = require("enetconnection")
local H = require("helper")
local E = enet.Error

-- Asserts the nil, message, code convention; `pattern` (plain text) must
-- appear in the message.
local function assert_fails(code, pattern, ok, message, got)
  assert.is_nil(ok)
  assert.are.equal(E[code], got)
  assert.is_string(message)
  assert.is_truthy(message:find(pattern, 1, true), message)
end

local function run(command)
  local pipe = assert(io.popen(command .. " 2>&1"))
  local out = pipe:read("*a")
  pipe:close()
  return out
end

local function read_file(path)
  return assert(H.read_file(path), path)
end

local function write_file(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- One temporary directory for the whole file, removed at the end.
local dir = run("mktemp -d"):gsub("%s+$", "")
local made = {}
local function temp_path(name)
  local path = dir .. "/" .. name
  made[#made + 1] = path
  return path
end

-- One key and certificate shared by the tests (1024 bits keeps it quick).
local key = assert(enet.Crypto.generate_rsa(1024))
local cert = assert(enet.Crypto.generate_self_signed_certificate(key))

teardown(function()
  for _, path in ipairs(made) do
    os.remove(path)
  end
  assert(os.remove(dir))
end)

describe("Crypto", function()
  it("generates an RSA private key of the size asked", function()
    local k = assert(enet.Crypto.generate_rsa(1536))
    assert.are.equal("CryptoKey (RSA 1536-bit, private)", tostring(k))
    assert.is_false(k:is_public_only())
  end)

  it("generates 2048-bit keys by default", function()
    assert.are.equal("CryptoKey (RSA 2048-bit, private)", tostring(enet.Crypto.generate_rsa()))
  end)

  it("generates a different key each call", function()
    local other = assert(enet.Crypto.generate_rsa(1024))
    assert.are_not.equal(key:to_pem(true), other:to_pem(true))
  end)

  it("raises on a key size out of 1024..8192, odd, or not a number", function()
    assert.has_error(function() enet.Crypto.generate_rsa(512) end,
      "bad argument #1 to 'generate_rsa' (out of range 1024..8192, got 512)")
    assert.has_error(function() enet.Crypto.generate_rsa(8200) end)
    assert.has_error(function() enet.Crypto.generate_rsa(2047) end,
      "bad argument #1 to 'generate_rsa' (must be even)")
    assert.has_error(function() enet.Crypto.generate_rsa("big") end)
  end)

  it("makes a self-signed certificate with Godot's default issuer and dates", function()
    local path = temp_path("default.crt")
    assert.is_true(cert:save(path))
    local out = run("openssl x509 -noout -subject -issuer -dates -in '" .. path .. "'")
    assert.matches("subject=CN = myserver, O = myorganisation, C = IT\n", out, 1, true)
    assert.matches("issuer=CN = myserver, O = myorganisation, C = IT\n", out, 1, true)
    assert.matches("notBefore=Jan  1 00:00:00 2014 GMT\n", out, 1, true)
    assert.matches("notAfter=Jan  1 00:00:00 2034 GMT\n", out, 1, true)
  end)

  it("makes a certificate with the issuer and dates given", function()
    local c = assert(enet.Crypto.generate_self_signed_certificate(key,
      "CN=game.example,O=Lua Games,C=DE", "20200229123456", "20601231235959"))
    local path = temp_path("custom.crt")
    assert.is_true(c:save(path))
    local out = run("openssl x509 -noout -subject -dates -in '" .. path .. "'")
    assert.matches("subject=CN = game.example, O = Lua Games, C = DE\n", out, 1, true)
    assert.matches("notBefore=Feb 29 12:34:56 2020 GMT\n", out, 1, true)
    assert.matches("notAfter=Dec 31 23:59:59 2060 GMT\n", out, 1, true)
  end)

  it("signs with the key: openssl verifies the certificate against itself", function()
    local path = temp_path("verify.crt")
    assert.is_true(cert:save(path))
    local out = run("openssl verify -CAfile '" .. path .. "' '" .. path .. "'")
    assert.matches(": OK\n", out, 1, true)
  end)

  it("gives each certificate its own serial number", function()
    local a, b = temp_path("serial_a.crt"), temp_path("serial_b.crt")
    assert.is_true(cert:save(a))
    assert.is_true(assert(enet.Crypto.generate_self_signed_certificate(key)):save(b))
    local serial_a = run("openssl x509 -noout -serial -in '" .. a .. "'")
    local serial_b = run("openssl x509 -noout -serial -in '" .. b .. "'")
    assert.matches("^serial=%x+\n$", serial_a)
    assert.are_not.equal(serial_a, serial_b)
  end)

  it("returns nil, message, ERR_INVALID_PARAMETER for a bad name or date", function()
    local gen = enet.Crypto.generate_self_signed_certificate
    assert_fails("ERR_INVALID_PARAMETER", "issuer_name", gen(key, "XYZ=nope"))
    assert_fails("ERR_INVALID_PARAMETER", "YYYYMMDDhhmmss", gen(key, nil, "2014"))
    assert_fails("ERR_INVALID_PARAMETER", "YYYYMMDDhhmmss", gen(key, nil, nil, "20341301000000"))
    assert_fails("ERR_INVALID_PARAMETER", "YYYYMMDDhhmmss", gen(key, nil, "2014010100000x"))
    assert_fails("ERR_INVALID_PARAMETER", "before",
      gen(key, nil, "20300101000000", "20200101000000"))
  end)

  it("returns ERR_INVALID_PARAMETER with advice for a name without a common name, or an empty one", function()
    local gen = enet.Crypto.generate_self_signed_certificate
    for _, name in ipairs({ "O=foo", "", "hello", "C=IT,O=x" }) do
      assert_fails("ERR_INVALID_PARAMETER", 'has no common name ("CN=")', gen(key, name))
    end
    for _, name in ipairs({ "CN=", "CN=,O=x", "O=x, CN=" }) do
      assert_fails("ERR_INVALID_PARAMETER", "has an empty common name", gen(key, name))
    end
    assert_fails("ERR_INVALID_PARAMETER", 'write e.g. "CN=game.example"', gen(key, "O=foo"))
    -- a tag mbedTLS does not know still fails once the name has a CN
    assert_fails("ERR_INVALID_PARAMETER", "issuer_name", gen(key, "CN=a,XYZ=nope"))
    -- what does have one: after spaces, escaped commas, Godot's default
    assert.matches("CN=a\\,b", tostring(assert(gen(key, "O=x, CN=a\\,b"))))
    assert.matches("CN=abc", tostring(assert(gen(key, "commonName=abc"))))
    assert.matches("CN=myserver", tostring(assert(gen(key))))
  end)

  it("returns nil, message, ERR_INVALID_PARAMETER for an empty or public-only key", function()
    local gen = enet.Crypto.generate_self_signed_certificate
    assert_fails("ERR_INVALID_PARAMETER", "empty", gen(enet.CryptoKey.new()))
    local public = assert(enet.CryptoKey.from_pem(key:to_pem(true), true))
    assert_fails("ERR_INVALID_PARAMETER", "public only", gen(public))
  end)

  it("raises when the key is not a CryptoKey or a name is not a string", function()
    assert.has_error(function() enet.Crypto.generate_self_signed_certificate("key") end,
      "bad argument #1 to 'generate_self_signed_certificate' (CryptoKey expected, got string)")
    assert.has_error(function() enet.Crypto.generate_self_signed_certificate(key, {}) end)
  end)
end)

describe("CryptoKey", function()
  it("starts empty and refuses to save nothing", function()
    local k = enet.CryptoKey.new()
    assert.are.equal("CryptoKey (empty)", tostring(k))
    assert.is_false(k:is_public_only())
    assert_fails("ERR_UNCONFIGURED", "empty", k:save_to_string())
    assert_fails("ERR_UNCONFIGURED", "empty", k:save(temp_path("never.key")))
  end)

  it("round-trips a private key through PEM", function()
    local pem = key:save_to_string()
    assert.matches("^%-%-%-%-%-BEGIN RSA PRIVATE KEY%-%-%-%-%-\n", pem)
    local copy = enet.CryptoKey.new()
    assert.is_true(copy:load_from_string(pem))
    assert.are.equal(pem, copy:to_pem())
    assert.are.equal(pem, assert(enet.CryptoKey.from_pem(pem)):save_to_string())
  end)

  it("exports and loads the public part only", function()
    local pem = key:save_to_string(true)
    assert.matches("^%-%-%-%-%-BEGIN PUBLIC KEY%-%-%-%-%-\n", pem)
    local public = enet.CryptoKey.new()
    assert.is_true(public:load_from_string(pem, true))
    assert.is_true(public:is_public_only())
    assert.are.equal("CryptoKey (RSA 1024-bit, public only)", tostring(public))
    assert.are.equal(pem, public:to_pem(), "defaults to the public part")
    assert_fails("ERR_UNAVAILABLE", "public only", public:save_to_string(false))
  end)

  it("refuses a public PEM as a private key and a private PEM as public", function()
    assert_fails("ERR_INVALID_DATA", "private key", enet.CryptoKey.from_pem(key:to_pem(true)))
    assert_fails("ERR_INVALID_DATA", "public key", enet.CryptoKey.from_pem(key:to_pem(), true))
  end)

  it("returns nil, message, ERR_INVALID_DATA for corrupt PEM and keeps its key", function()
    local pem = key:to_pem()
    local k = assert(enet.CryptoKey.from_pem(pem))
    local truncated = pem:sub(1, math.floor(#pem / 2))
    local flipped = pem:gsub("\n(.)", function(c) return "\n" .. (c == "A" and "B" or "A") end, 3)
    for _, bad in ipairs({ "", "garbage", truncated, flipped, "\0\1\2\3\255" }) do
      assert_fails("ERR_INVALID_DATA", "cannot parse", k:load_from_string(bad))
      assert_fails("ERR_INVALID_DATA", "cannot parse", enet.CryptoKey.from_pem(bad))
    end
    assert.are.equal(pem, k:to_pem())
  end)

  it("saves to and loads from files, private keys with mode 0600", function()
    local path = temp_path("private.key")
    assert.is_true(key:save(path))
    assert.are.equal(key:to_pem(), read_file(path))
    assert.are.equal("600\n", run("stat -c %a '" .. path .. "'"))
    local k = enet.CryptoKey.new()
    assert.is_true(k:load(path))
    assert.are.equal(key:to_pem(), k:to_pem())
    assert.are.equal(key:to_pem(), assert(enet.CryptoKey.from_file(path)):to_pem())
  end)

  it("saves and loads a public key file", function()
    local path = temp_path("public.key")
    assert.is_true(key:save(path, true))
    assert.are.equal(key:to_pem(true), read_file(path))
    local k = assert(enet.CryptoKey.from_file(path, true))
    assert.is_true(k:is_public_only())
    assert_fails("ERR_FILE_CORRUPT", path, enet.CryptoKey.from_file(path))
  end)

  it("reports ERR_FILE_NOT_FOUND, ERR_FILE_CANT_OPEN and ERR_FILE_CORRUPT", function()
    local k = assert(enet.CryptoKey.from_pem(key:to_pem()))
    local missing = dir .. "/missing.key"
    assert_fails("ERR_FILE_NOT_FOUND", missing, k:load(missing))
    assert_fails("ERR_FILE_NOT_FOUND", missing, enet.CryptoKey.from_file(missing))
    assert_fails("ERR_FILE_CANT_OPEN", "not a regular file", k:load(dir))
    local corrupt = temp_path("corrupt.key")
    write_file(corrupt, "-----BEGIN RSA PRIVATE KEY-----\nnope\n-----END RSA PRIVATE KEY-----\n")
    assert_fails("ERR_FILE_CORRUPT", corrupt, k:load(corrupt))
    assert.are.equal(key:to_pem(), k:to_pem(), "a failed load keeps the key")
    assert_fails("ERR_FILE_CANT_OPEN", "cannot open for writing",
      key:save(dir .. "/no/such/dir.key"))
  end)

  it("raises when an argument has the wrong type", function()
    local k = enet.CryptoKey.new()
    assert.has_error(function() k:load({}) end,
      "bad argument #1 to 'load' (string expected, got table)")
    assert.has_error(function() k:load_from_string(nil) end,
      "bad argument #1 to 'load_from_string' (string expected, got nil)")
    assert.has_error(function() k:load_from_string(key:to_pem(), "yes") end,
      "bad argument #2 to 'load_from_string' (boolean expected, got string)")
    assert.has_error(function() key:save_to_string(1) end,
      "bad argument #1 to 'save_to_string' (boolean expected, got number)")
    assert.has_error(function() enet.CryptoKey.from_file(false) end)
    assert.has_error(function() k.is_public_only("not a key") end)
  end)
end)

describe("X509Certificate", function()
  it("starts empty and refuses to save nothing", function()
    local c = enet.X509Certificate.new()
    assert.are.equal("X509Certificate (empty)", tostring(c))
    assert_fails("ERR_UNCONFIGURED", "empty", c:save_to_string())
    assert_fails("ERR_UNCONFIGURED", "empty", c:save(temp_path("never.crt")))
  end)

  it("round-trips through PEM", function()
    local pem = cert:save_to_string()
    assert.matches("^%-+BEGIN CERTIFICATE%-+\n[%w+/=\n]+\n%-+END CERTIFICATE%-+\n$", pem)
    local c = enet.X509Certificate.new()
    assert.is_true(c:load_from_string(pem))
    assert.are.equal(pem, c:to_pem())
    assert.are.equal("X509Certificate (CN=myserver, O=myorganisation, C=IT, 1 in chain)",
      tostring(c))
  end)

  it("keeps every certificate of a chain, in order", function()
    local other = assert(enet.Crypto.generate_self_signed_certificate(key, "CN=second"))
    local pem = cert:to_pem() .. other:to_pem()
    local chain = assert(enet.X509Certificate.from_pem(pem))
    assert.are.equal(pem, chain:to_pem())
    assert.matches("CN=myserver, O=myorganisation, C=IT, 2 in chain", tostring(chain), 1, true)
  end)

  it("saves to and loads from files that openssl reads", function()
    local path = temp_path("cert.crt")
    assert.is_true(cert:save(path))
    assert.are.equal(cert:to_pem(), read_file(path))
    local out = run("openssl x509 -noout -subject -in '" .. path .. "'")
    assert.matches("subject=CN = myserver", out, 1, true)
    local c = enet.X509Certificate.new()
    assert.is_true(c:load(path))
    assert.are.equal(cert:to_pem(), c:to_pem())
    assert.are.equal(cert:to_pem(), assert(enet.X509Certificate.from_file(path)):to_pem())
  end)

  it("loads a certificate written by openssl", function()
    local key_path, cert_path = temp_path("openssl.key"), temp_path("openssl.crt")
    run("openssl req -x509 -newkey rsa:1024 -nodes -subj /CN=from-openssl -days 2 -keyout '"
      .. key_path .. "' -out '" .. cert_path .. "'")
    local c = assert(enet.X509Certificate.from_file(cert_path))
    assert.matches("CN=from-openssl", tostring(c), 1, true)
    local k = assert(enet.CryptoKey.from_file(key_path))
    assert.is_true(enet.TLSOptions.server(k, c):is_server())
  end)

  it("loads the system CA bundle when there is one", function()
    local bundle = "/etc/ssl/certs/ca-certificates.crt"
    if not io.open(bundle) then
      pending("no " .. bundle)
      return
    end
    local count = tonumber(tostring(assert(enet.X509Certificate.from_file(bundle)))
      :match("(%d+) in chain"))
    assert.is_true(count > 10)
  end)

  it("returns nil, message, ERR_INVALID_DATA for corrupt PEM and keeps its chain", function()
    local pem = cert:to_pem()
    local c = assert(enet.X509Certificate.from_pem(pem))
    local broken = pem:gsub("\n(.)", "\n*", 1)
    for _, bad in ipairs({ "", "garbage", pem:sub(1, 200), broken, pem .. broken,
                           "\0\1\2\3\255" }) do
      assert_fails("ERR_INVALID_DATA", "cannot parse", c:load_from_string(bad))
      assert_fails("ERR_INVALID_DATA", "cannot parse", enet.X509Certificate.from_pem(bad))
    end
    assert.are.equal(pem, c:to_pem())
  end)

  it("reports ERR_FILE_NOT_FOUND, ERR_FILE_CANT_OPEN and ERR_FILE_CORRUPT", function()
    local missing = dir .. "/missing.crt"
    assert_fails("ERR_FILE_NOT_FOUND", missing, enet.X509Certificate.from_file(missing))
    assert_fails("ERR_FILE_CANT_OPEN", "not a regular file", enet.X509Certificate.new():load(dir))
    local corrupt = temp_path("corrupt.crt")
    write_file(corrupt, cert:to_pem():sub(1, 300))
    assert_fails("ERR_FILE_CORRUPT", corrupt, enet.X509Certificate.from_file(corrupt))
    assert_fails("ERR_FILE_CANT_OPEN", "cannot open for writing",
      cert:save(dir .. "/no/such/dir.crt"))
  end)

  it("raises when an argument has the wrong type", function()
    local c = enet.X509Certificate.new()
    assert.has_error(function() c:load(nil) end,
      "bad argument #1 to 'load' (string expected, got nil)")
    assert.has_error(function() c:load_from_string({}) end,
      "bad argument #1 to 'load_from_string' (string expected, got table)")
    assert.has_error(function() c:save(true) end,
      "bad argument #1 to 'save' (string expected, got boolean)")
    assert.has_error(function() enet.X509Certificate.from_pem() end)
    assert.has_error(function() c.to_pem(key) end)
  end)
end)

describe("TLSOptions", function()
  it("makes a client that uses the system CAs and the hostname by default", function()
    local o = assert(enet.TLSOptions.client())
    assert.are.equal("TLSOptions (client)", tostring(o))
    assert.is_false(o:is_server())
    assert.is_false(o:is_unsafe_client())
    assert.are.equal("", o:get_common_name_override())
    assert.is_nil(o:get_trusted_ca_chain())
    assert.is_nil(o:get_private_key())
    assert.is_nil(o:get_own_certificate())
  end)

  it("makes a client with a trusted chain and a common name override", function()
    local o = assert(enet.TLSOptions.client(cert, "myserver"))
    assert.are.equal("myserver", o:get_common_name_override())
    assert.are.equal(cert:to_pem(), o:get_trusted_ca_chain():to_pem())
    assert.are.equal("", assert(enet.TLSOptions.client(cert, "")):get_common_name_override())
  end)

  it("makes an unsafe client", function()
    local o = assert(enet.TLSOptions.client_unsafe(cert))
    assert.are.equal("TLSOptions (client_unsafe)", tostring(o))
    assert.is_true(o:is_unsafe_client())
    assert.is_false(o:is_server())
    assert.are.equal(cert:to_pem(), o:get_trusted_ca_chain():to_pem())
    assert.is_nil(assert(enet.TLSOptions.client_unsafe()):get_trusted_ca_chain())
  end)

  it("makes a server holding its key and certificate", function()
    local o = assert(enet.TLSOptions.server(key, cert))
    assert.are.equal("TLSOptions (server)", tostring(o))
    assert.is_true(o:is_server())
    assert.is_false(o:is_unsafe_client())
    assert.are.equal(key:to_pem(), o:get_private_key():to_pem())
    assert.are.equal(cert:to_pem(), o:get_own_certificate():to_pem())
    assert.is_nil(o:get_trusted_ca_chain())
  end)

  it("keeps what it was given when the objects are loaded again", function()
    local k = assert(enet.CryptoKey.from_pem(key:to_pem()))
    local c = assert(enet.X509Certificate.from_pem(cert:to_pem()))
    local o = assert(enet.TLSOptions.server(k, c))
    local other = assert(enet.Crypto.generate_rsa(1024))
    assert.is_true(k:load_from_string(other:to_pem()))
    assert.is_true(c:load_from_string(
      assert(enet.Crypto.generate_self_signed_certificate(other)):to_pem()))
    assert.are.equal(key:to_pem(), o:get_private_key():to_pem())
    assert.are.equal(cert:to_pem(), o:get_own_certificate():to_pem())
  end)

  it("returns nil, message, ERR_INVALID_PARAMETER for unusable keys and certificates", function()
    local other = assert(enet.Crypto.generate_rsa(1024))
    assert_fails("ERR_INVALID_PARAMETER", "does not match", enet.TLSOptions.server(other, cert))
    assert_fails("ERR_INVALID_PARAMETER", "empty",
      enet.TLSOptions.server(enet.CryptoKey.new(), cert))
    local public = assert(enet.CryptoKey.from_pem(key:to_pem(true), true))
    assert_fails("ERR_INVALID_PARAMETER", "public only", enet.TLSOptions.server(public, cert))
    assert_fails("ERR_INVALID_PARAMETER", "empty",
      enet.TLSOptions.server(key, enet.X509Certificate.new()))
    assert_fails("ERR_INVALID_PARAMETER", "empty",
      enet.TLSOptions.client(enet.X509Certificate.new()))
    assert_fails("ERR_INVALID_PARAMETER", "empty",
      enet.TLSOptions.client_unsafe(enet.X509Certificate.new()))
  end)

  it("raises when an argument has the wrong type", function()
    assert.has_error(function() enet.TLSOptions.server(cert, cert) end,
      "bad argument #1 to 'server' (CryptoKey expected, got userdata)")
    assert.has_error(function() enet.TLSOptions.server(key) end,
      "bad argument #2 to 'server' (X509Certificate expected, got no value)")
    assert.has_error(function() enet.TLSOptions.client("ca.pem") end,
      "bad argument #1 to 'client' (X509Certificate expected, got string)")
    assert.has_error(function() enet.TLSOptions.client(nil, {}) end,
      "bad argument #2 to 'client' (string expected, got table)")
    assert.has_error(function() enet.TLSOptions.client_unsafe(key) end)
    assert.has_error(function() enet.TLSOptions.client().is_server(key) end)
  end)
end)
