package io.cvmboot.stage1.exec;

import java.util.Map;

/** Names of the errno values stage1's calls can meet (include/uapi/asm-generic/errno-base.h, errno.h). */
final class Errno {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM (operation not permitted)"),
            Map.entry(2, "ENOENT (no such file or directory)"),
            Map.entry(4, "EINTR"),
            Map.entry(5, "EIO"),
            Map.entry(8, "ENOEXEC (not an executable format the kernel knows)"),
            Map.entry(9, "EBADF"),
            Map.entry(12, "ENOMEM"),
            Map.entry(13, "EACCES (permission denied)"),
            Map.entry(14, "EFAULT"),
            Map.entry(16, "EBUSY"),
            Map.entry(17, "EEXIST"),
            Map.entry(19, "ENODEV (no such device / filesystem type)"),
            Map.entry(20, "ENOTDIR"),
            Map.entry(22, "EINVAL (invalid argument)"),
            Map.entry(24, "EMFILE"),
            Map.entry(28, "ENOSPC"),
            Map.entry(38, "ENOSYS (not implemented by this kernel)"),
            Map.entry(61, "ENODATA"),
            Map.entry(95, "EOPNOTSUPP"),
            Map.entry(99, "EADDRNOTAVAIL"),
            Map.entry(101, "ENETUNREACH"));

    private Errno() {}

    static String describe(int errno) {
        return "errno " + errno + " " + NAMES.getOrDefault(errno, "");
    }
}
