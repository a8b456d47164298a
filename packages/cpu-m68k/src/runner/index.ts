/**
 * @packageDocumentation
 * Running static 68000 Linux executables: process set-up, system calls, and the `m68k-run` CLI.
 */
export { runProgram, type FaultHandler, type RunProgramOptions, type RunProgramResult } from './run-program.js';
export { createLinuxProcess, stubVector, MEMORY_SIZE, USER_STACK_TOP, STACK_BYTES, EXCEPTION_STUBS, type LinuxProcess, type LinuxProcessOptions } from './linux-process.js';
export { SystemCalls, processLayout, SYS_EXIT_GROUP_ALT, type ProcessIo, type ProcessLayout, type SystemCallOptions, type SyscallOutcome } from './syscalls.js';
export { MemoryFiles, OpenFlag, FileErrno, type ProgramFile, type ProgramFiles } from './program-files.js';
export { runCli, USAGE, type CliEnvironment } from './cli.js';
export { runWithFaultInjection, FaultInjectingBus, mulberry32, type FaultInjectionOptions, type FaultInjectionReport } from './fault-injection.js';
