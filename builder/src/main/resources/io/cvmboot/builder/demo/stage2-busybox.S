# cvmboot demo stage2: runs /bin/busybox with the arguments stage1 gave, making busybox see
# "/bin/busybox" as argv[0] so that argv[1] names the applet (busybox picks the applet from argv[0]).
# Linux x86-64, no libc: execve("/bin/busybox", argv, envp) with argv[0] replaced; exit 127 on failure.
        .globl _start
        .text
_start:
        mov     (%rsp), %rcx            # argc
        lea     8(%rsp), %rsi           # argv
        lea     16(%rsp,%rcx,8), %rdx   # envp = argv + argc + 1
        lea     busybox(%rip), %rdi     # filename
        mov     %rdi, (%rsi)            # argv[0] = filename
        mov     $59, %eax               # execve
        syscall
        mov     $127, %edi
        mov     $60, %eax               # exit
        syscall
busybox:
        .asciz  "/bin/busybox"
