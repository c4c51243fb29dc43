/*
 * godot_error.h - Godot's Error numbering, which the engine's functions
 * return and errors.h turns into nil, message, code. No Lua here.
 */
#ifndef ENETCONNECTION_GODOT_ERROR_H
#define ENETCONNECTION_GODOT_ERROR_H

/* Godot's @GlobalScope.Error values (the subset this module returns). */
enum godot_error {
    GD_OK = 0,
    GD_FAILED = 1,
    GD_ERR_UNAVAILABLE = 2,
    GD_ERR_UNCONFIGURED = 3,
    GD_ERR_UNAUTHORIZED = 4,
    GD_ERR_PARAMETER_RANGE_ERROR = 5,
    GD_ERR_OUT_OF_MEMORY = 6,
    GD_ERR_FILE_NOT_FOUND = 7,
    GD_ERR_FILE_CANT_OPEN = 12,
    GD_ERR_FILE_CANT_WRITE = 13,
    GD_ERR_FILE_CANT_READ = 14,
    GD_ERR_FILE_CORRUPT = 16,
    GD_ERR_FILE_EOF = 18,
    GD_ERR_CANT_CREATE = 20,
    GD_ERR_ALREADY_IN_USE = 22,
    GD_ERR_TIMEOUT = 24,
    GD_ERR_CANT_CONNECT = 25,
    GD_ERR_CANT_RESOLVE = 26,
    GD_ERR_CONNECTION_ERROR = 27,
    GD_ERR_INVALID_DATA = 30,
    GD_ERR_INVALID_PARAMETER = 31,
    GD_ERR_BUSY = 44,
};

#endif
