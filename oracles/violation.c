#include "violation.h"
