#ifndef SHOUWANG_CZLIB_SHIM_H
#define SHOUWANG_CZLIB_SHIM_H
#include <zlib.h>
#endif
