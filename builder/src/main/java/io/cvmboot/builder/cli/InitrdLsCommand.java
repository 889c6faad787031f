package io.cvmboot.builder.cli;

import io.cvmboot.initrd.InitrdListing;
import io.cvmboot.initrd.InitrdReader;
import io.cvmboot.initrd.ListedEntry;
import io.cvmboot.initrd.ListedSegment;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code builder initrd ls FILE}: the entries of any initrd, compressed or concatenated. */
@Command(
        name = "ls",
        mixinStandardHelpOptions = true,
        description = {
            "Lists every segment of an initrd and its entries: mode, uid/gid, size (or major,minor),",
            "sha256 of file data ('-' for other types), name and symlink target."
        })
public final class InitrdLsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The initrd to list.")
    Path file;

    @Override
    public Integer call() throws Exception {
        InitrdListing listing = InitrdReader.read(file);
        PrintWriter out = spec.commandLine().getOut();
        int index = 0;
        for (ListedSegment s : listing.segments()) {
            out.println("# segment " + index++ + ": offset " + s.offset() + ", " + s.length() + " bytes, "
                    + s.compression().cliName() + ", " + s.entries().size() + " entries");
            for (ListedEntry e : s.entries()) {
                out.println(line(e));
            }
        }
        return ExitCodes.OK;
    }

    static String line(ListedEntry e) {
        var type = e.type();
        String size = type != null && type.isDevice() ? e.rdevMajor() + "," + e.rdevMinor() : Long.toString(e.size());
        String digest = e.sha256() == null ? "-" : e.sha256().hex();
        String target = e.linkTarget() == null ? "" : " -> " + e.linkTarget();
        return e.modeString() + " " + e.uid() + "/" + e.gid() + " " + size + " " + digest + " " + e.name() + target;
    }
}
