#ifndef GATECHECK_CQRENCODE_SHIM_H
#define GATECHECK_CQRENCODE_SHIM_H
#include <qrencode.h>
#endif
