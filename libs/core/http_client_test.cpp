// Tests for HttpClient: written with its implementation (issue 3).
#include <gtest/gtest.h>
