package io.cvmboot.initrd;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One entry of an initrd: where, what type, permission bits, owner, device numbers and data. Every
 * field is explicit; nothing is taken from the host at write time except a {@link Content.HostFile}'s
 * bytes. The mtime is not a property of an entry: the writer stamps SOURCE_DATE_EPOCH on all.
 *
 * @param permissions the low 12 mode bits (rwx for user/group/other, setuid, setgid, sticky)
 * @param rdevMajor device major number, only for device nodes
 * @param content file data; for a symlink, the target; empty for other types
 * @param hardLinkTarget for a hard link, the path of the regular file it links to; else null
 */
public record InitrdEntry(
        EntryPath path,
        EntryType type,
        int permissions,
        long uid,
        long gid,
        long rdevMajor,
        long rdevMinor,
        Content content,
        EntryPath hardLinkTarget) {

    /** Largest value of any newc header field: 8 hex digits (usr/gen_init_cpio.c, "%08X"). */
    public static final long MAX_FIELD = 0xFFFF_FFFFL;

    public InitrdEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(content, "content");
        if ((permissions & ~07777) != 0) {
            throw new IllegalArgumentException(path + ": permissions must fit in 07777, got 0"
                    + Integer.toOctalString(permissions));
        }
        checkField(path, "uid", uid);
        checkField(path, "gid", gid);
        checkField(path, "device major", rdevMajor);
        checkField(path, "device minor", rdevMinor);
        if (!type.isDevice() && (rdevMajor != 0 || rdevMinor != 0)) {
            throw new IllegalArgumentException(path + ": only device nodes carry device numbers");
        }
        if (type != EntryType.REGULAR && type != EntryType.SYMLINK && content.size() != 0) {
            throw new IllegalArgumentException(path + ": a " + type + " entry has no data");
        }
        if (type == EntryType.SYMLINK && content.size() == 0) {
            throw new IllegalArgumentException(path + ": a symlink needs a target");
        }
        if (hardLinkTarget != null && (type != EntryType.REGULAR || content.size() != 0)) {
            throw new IllegalArgumentException(path + ": a hard link is a regular entry without data of its own");
        }
        if (path.isRoot() && type != EntryType.DIRECTORY) {
            throw new IllegalArgumentException("the root '.' must be a directory, got " + type);
        }
    }

    private static void checkField(EntryPath path, String name, long value) {
        if (value < 0 || value > MAX_FIELD) {
            throw new IllegalArgumentException(path + ": " + name + " " + value
                    + " does not fit the 32-bit newc field (0.." + MAX_FIELD + ")");
        }
    }

    public static InitrdEntry file(EntryPath path, int permissions, Content content) {
        return new InitrdEntry(path, EntryType.REGULAR, permissions, 0, 0, 0, 0, content, null);
    }

    public static InitrdEntry directory(EntryPath path, int permissions) {
        return new InitrdEntry(path, EntryType.DIRECTORY, permissions, 0, 0, 0, 0, Content.EMPTY, null);
    }

    /** A symlink with permissions 0777, as Linux creates every symlink. */
    public static InitrdEntry symlink(EntryPath path, String target) {
        return new InitrdEntry(path, EntryType.SYMLINK, 0777, 0, 0, 0, 0,
                Content.ofBytes(target.getBytes(StandardCharsets.UTF_8)), null);
    }

    public static InitrdEntry device(EntryPath path, EntryType type, int permissions, long major, long minor) {
        if (!type.isDevice()) {
            throw new IllegalArgumentException(path + ": " + type + " is not a device type");
        }
        return new InitrdEntry(path, type, permissions, 0, 0, major, minor, Content.EMPTY, null);
    }

    /** A FIFO or socket. */
    public static InitrdEntry special(EntryPath path, EntryType type, int permissions) {
        if (type != EntryType.FIFO && type != EntryType.SOCKET) {
            throw new IllegalArgumentException(path + ": " + type + " is not a fifo or socket");
        }
        return new InitrdEntry(path, type, permissions, 0, 0, 0, 0, Content.EMPTY, null);
    }

    /**
     * A second name for the regular file at {@code target}: written as a newc hard link (shared
     * inode, nlink = number of names). Only accepted by a builder with hard links enabled.
     */
    public static InitrdEntry hardLink(EntryPath path, EntryPath target) {
        return new InitrdEntry(path, EntryType.REGULAR, 0, 0, 0, 0, 0, Content.EMPTY, target);
    }

    public InitrdEntry withOwner(long uid, long gid) {
        return new InitrdEntry(path, type, permissions, uid, gid, rdevMajor, rdevMinor, content, hardLinkTarget);
    }

    public InitrdEntry withPath(EntryPath newPath) {
        return new InitrdEntry(newPath, type, permissions, uid, gid, rdevMajor, rdevMinor, content, hardLinkTarget);
    }

    /** Type and permission bits together, as stored in the newc mode field. */
    public int mode() {
        return type.typeBits() | permissions;
    }

    public boolean isHardLink() {
        return hardLinkTarget != null;
    }
}
