// Floating point through libc: double (SSE2) and long double (x87) arithmetic, printf and
// strtod/strtold round trips, the four rounding modes, exception flags, and libm basics.
// Under Jux on KVM this is the host CPU; on the interpreter it checks SSE and the x87.
// cflags: -lm
#include "jux_test.h"
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

static volatile double third = 1.0 / 3, tiny = 4.9e-324, big = 1e308, zero = 0;
static volatile long double lthird = 1.0L / 3;
static volatile float fthird = 1.0f / 3;
static volatile double two = 2, three = 3;
static volatile long double ltwo = 2, lthree = 3;
static volatile float ftwo = 2, fthree = 3;

static void rounding(const char *name, int mode) {
    fesetround(mode);
    volatile double a = two / three, b = -two / three;
    volatile long double la = ltwo / lthree, lb = -ltwo / lthree;
    volatile float fa = ftwo / fthree;
    printf("%-8s %a %a %La %La %a %ld %ld %.20Lg\n", name, a, b, la, lb, fa, lrint(2.5), lrint(-3.5), la * 3);
    fesetround(FE_TONEAREST);
}

static void flags(const char *name, double v) {
    printf("%-10s %g:%s%s%s%s%s\n", name, v, fetestexcept(FE_INVALID) ? " invalid" : "",
           fetestexcept(FE_DIVBYZERO) ? " divbyzero" : "", fetestexcept(FE_OVERFLOW) ? " overflow" : "",
           fetestexcept(FE_UNDERFLOW) ? " underflow" : "", fetestexcept(FE_INEXACT) ? " inexact" : "");
    feclearexcept(FE_ALL_EXCEPT);
}

int main(void) {
    printf("double: %.17g %a %e %g %f\n", third, third, big * 10, tiny, third * 1e6);
    printf("long double: %.21Lg %La %Le\n", lthird, lthird, lthird * 1e4000L);
    printf("float: %.9g %a\n", fthird, fthird);
    printf("sqrt %.17g %.21Lg, fma %.17g\n", sqrt(2.0), sqrtl(2.0L), fma(third, 3, -1));
    printf("strtod %a %a, strtold %La\n", strtod("0.1", 0), strtod("2.2250738585072011e-308", 0),
           strtold("3.14159265358979323846264338327950288", 0));
    printf("conversions: %ld %ld %d %llu %d\n", (long) -2.7, (long) 1e18, (int) 2.5f, (unsigned long long) 1.8e19,
           (int) (long double) -7.9L);
    printf("libm: %g %g %g %g %g %g\n", floor(-2.5), ceil(2.1), round(2.5), trunc(-2.7), fmod(10.5, 3), remainder(10.5, 3));
    printf("long double libm: %Lg %Lg %Lg %Lg\n", floorl(-2.5L), fmodl(10.5L, 3), ldexpl(1, 100), frexpl(48, &(int){0}));
    rounding("nearest", FE_TONEAREST);
    rounding("upward", FE_UPWARD);
    rounding("downward", FE_DOWNWARD);
    rounding("toward0", FE_TOWARDZERO);
    feclearexcept(FE_ALL_EXCEPT);
    flags("1/3", third * 3);
    flags("1/0", 1 / zero);
    flags("0/0", zero / zero);
    flags("big*10", big * 10);
    flags("tiny/3", tiny / 3);
    flags("2+2", 2.0 + 2.0);
    printf("nan compare: %d %d %d, isnan %d, signbit(-0.0) %d\n", NAN < 1, NAN == NAN, NAN != NAN, isnan(zero / zero) != 0,
           signbit(-zero) != 0);
    printf("ld compare: %d %d, LDBL_EPSILON %La, DBL_EPSILON %a\n", lthird < 0.34L, lthird * 3 == 1.0L, LDBL_EPSILON, DBL_EPSILON);
    return 0;
}
