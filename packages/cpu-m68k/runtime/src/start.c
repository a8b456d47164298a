/* The C start-up: turns the initial stack into main's arguments and exits with main's status. */
#include <stdlib.h>

int main(int argc, char **argv, char **envp);

void __attribute__((noreturn)) __pagelab_start(long *initial_sp)
{
	int argc = (int)initial_sp[0];
	char **argv = (char **)(initial_sp + 1);
	char **envp = argv + argc + 1;
	exit(main(argc, argv, envp));
}
