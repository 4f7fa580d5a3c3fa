// Returning from main is exit(main's value).
// expect-exit: 42
#include "jux_test.h"

int main(void) {
    printf("returning 42 from main\n");
    return 42;
}
