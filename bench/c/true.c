/* The smallest useful program: exits 0. Built static, it measures Jux's start-up cost. */
int main(void) { return 0; }
