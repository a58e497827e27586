/*
 * A stand-in for Windows' bcryptprimitives.dll, for running the Windows test binaries under
 * Wine 8 only. Never shipped: it is built into the throw-away Wine prefix of a CI run.
 *
 * Why: Rust's standard library (since 1.78) draws its randomness from ProcessPrng in
 * bcryptprimitives.dll, which Windows 10 and later have and Debian's Wine 8 lacks, so every
 * Rust .exe dies on load ("Library bcryptprimitives.dll ... not found").
 *
 * Why it is sound for tests: ProcessPrng's contract is "fill the buffer with cryptographically
 * secure random bytes; always succeeds". RtlGenRandom (advapi32's SystemFunction036) is the
 * older Windows API with that contract, and Wine implements it over the host's /dev/urandom.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            /* ProcessPrng never fails on Windows; a test binary must not go on without
               randomness either. */
            ExitProcess(0xC0000001);
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
