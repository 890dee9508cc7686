#ifndef SHOUWANG_CZEROMQ_SHIM_H
#define SHOUWANG_CZEROMQ_SHIM_H
#include <zmq.h>
#endif
