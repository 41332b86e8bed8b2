package io.cna4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A report folder written as a unit: the run writes into a staging folder beside the target
 * ({@code .<name>.cna4j-<id>.new}), and {@link #commit()} swaps it in with two renames (the old report aside to
 * {@code .<name>.cna4j-<id>.old}, the new one into place) before deleting the old one. A run that is killed or
 * fails before the commit leaves the old report as it was; its staging folder is deleted by a shutdown hook on
 * SIGTERM, and by the next run's {@link #open} after a SIGKILL, which also puts an old report back in place if the
 * kill fell between the two renames. A {@link FolderLease} marks a live run's folders so that no other run touches
 * them.
 *
 * <p>An existing target must be a folder that holds a cna4j report ({@value #MANIFEST} or {@value #SUMMARY}) or
 * nothing: the commit replaces it as a whole, and a folder of other files is refused rather than deleted.
 *
 * {@snippet :
 * try (StagedReport report = StagedReport.open(Path.of("cna-report"))) {
 *     SweepReport.write(result, report.dir());   // into the staging folder
 *     report.commit();                           // cna-report/ now holds the new report, whole
 * }   // without a commit: the staging folder is deleted and cna-report/ is untouched
 * }
 */
final class StagedReport implements AutoCloseable {
    /** The file a finished cna-demo report holds, written last. */
    static final String MANIFEST = "run.json";
    /** The file reports of earlier cna4j versions end with. */
    static final String SUMMARY = "summary.json";

    private final Path target;
    private final FolderLease lease;
    private final Path staging;
    private final Thread hook;
    private boolean finished;

    private StagedReport(Path target, FolderLease lease, Path staging) {
        this.target = target;
        this.lease = lease;
        this.staging = staging;
        this.hook = new Thread(this::abandonQuietly, "cna4j-report-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Checks that {@code out} can take a report, repairs what killed runs left beside it, and creates the staging
     * folder (which proves the place writable).
     *
     * @throws IllegalArgumentException naming {@code out} if it is a file, a symbolic link, the root, or a folder of
     *     other files
     * @throws IOException              if its parent cannot be created or written
     */
    static StagedReport open(Path out) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null) throw new IllegalArgumentException(out + " is the file system root");
        if (Files.isSymbolicLink(target)) {
            throw new IllegalArgumentException(out + " is a symbolic link; give the folder it points to");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(out + " exists and is not a folder");
        }
        if (Files.isDirectory(target) && !isReportOrEmpty(target)) {
            throw new IllegalArgumentException(out + " is a folder of other files (no " + MANIFEST + " or " + SUMMARY
                    + "); give a new or empty folder, or a cna4j report folder to replace");
        }
        try {
            Files.createDirectories(parent);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IllegalArgumentException(e.getFile() + " is a file, not a folder", e);
        }
        recover(target);
        FolderLease lease = FolderLease.acquire(parent, prefix(target));
        try {
            return new StagedReport(target, lease, Files.createDirectory(lease.sibling(".new")));
        } catch (IOException | RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** The folder to write the report into. */
    Path dir() {
        return staging;
    }

    /** The report folder it will replace. */
    Path target() {
        return target;
    }

    /** Moves the staged report into place as a unit and deletes the report it replaces. */
    synchronized void commit() throws IOException {
        if (finished) throw new IllegalStateException("already committed or abandoned");
        Path aside = lease.sibling(".old");
        boolean replacing = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (replacing) Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            if (replacing) Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
            throw e;
        }
        finished = true;
        removeHook();
        try {
            FolderLease.deleteTree(aside);
        } finally {
            lease.close();
        }
    }

    /** Without a {@link #commit()}: deletes the staging folder; the target stays as it was. */
    @Override
    public synchronized void close() throws IOException {
        if (finished) return;
        finished = true;
        removeHook();
        try {
            FolderLease.deleteTree(staging);
        } finally {
            lease.close();
        }
    }

    /**
     * Repairs what dead runs left beside {@code target}: puts an old report back when the target is missing
     * (a kill between the two renames of a commit), and deletes staging folders and old reports.
     */
    static void recover(Path target) throws IOException {
        Path parent = target.toAbsolutePath().normalize().getParent();
        String prefix = prefix(target);
        for (String id : FolderLease.staleIds(parent, prefix)) {
            Path old = parent.resolve(prefix + id + ".old");
            if (Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) FolderLease.deleteTree(old);
                else Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            }
            FolderLease.deleteTree(parent.resolve(prefix + id + ".new"));
            FolderLease.deleteLockFile(parent, prefix, id);
        }
    }

    private static String prefix(Path target) {
        return "." + target.toAbsolutePath().normalize().getFileName() + ".cna4j-";
    }

    private static boolean isReportOrEmpty(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(MANIFEST)) || Files.isRegularFile(dir.resolve(SUMMARY))) return true;
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
    }

    private void abandonQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            System.err.println("cna-demo: could not delete " + staging + ": " + e.getMessage());
        }
    }
}
