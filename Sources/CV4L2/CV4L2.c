// CV4L2 is header-only (see include/CV4L2.h); a C target needs at least one source file.
#include "CV4L2.h"
