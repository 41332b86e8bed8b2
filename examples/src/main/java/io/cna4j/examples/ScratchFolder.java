package io.cna4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A temporary folder for a constructed model, {@code <parent>/cna4j-model-<id>}, that does not outlive its run: it
 * is deleted on {@link #close()}, on normal exit and on SIGTERM or Ctrl-C (a shutdown hook), and one left by a
 * killed run (SIGKILL, power loss) is deleted by the next run's {@link #deleteStale}. A {@link FolderLease} beside it
 * tells a live run's folder, which is never touched, from a dead one's.
 *
 * {@snippet :
 * ScratchFolder.deleteStale(ScratchFolder.defaultParent());
 * try (ScratchFolder tmp = ScratchFolder.create(ScratchFolder.defaultParent())) {
 *     PlantedPair pair = PlantedModel.writePair(tmp.path());
 * }
 * }
 */
final class ScratchFolder implements AutoCloseable {
    /** The name prefix of every scratch folder and of its lock file. */
    static final String PREFIX = "cna4j-model-";

    private final FolderLease lease;
    private final Path path;
    private final Thread hook;
    private boolean closed;

    private ScratchFolder(FolderLease lease, Path path) {
        this.lease = lease;
        this.path = path;
        this.hook = new Thread(this::closeQuietly, "cna4j-scratch-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The system's temporary folder ({@code java.io.tmpdir}). */
    static Path defaultParent() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Creates a new scratch folder under {@code parent}. */
    static ScratchFolder create(Path parent) throws IOException {
        FolderLease lease = FolderLease.acquire(parent, PREFIX);
        try {
            return new ScratchFolder(lease, Files.createDirectory(lease.sibling("")));
        } catch (IOException | RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** Deletes the scratch folders of dead runs under {@code parent}; returns how many. */
    static int deleteStale(Path parent) throws IOException {
        int n = 0;
        for (String id : FolderLease.staleIds(parent, PREFIX)) {
            FolderLease.deleteTree(parent.resolve(PREFIX + id));
            FolderLease.deleteLockFile(parent, PREFIX, id);
            n++;
        }
        return n;
    }

    /** The folder. */
    Path path() {
        return path;
    }

    /** Deletes the folder and its lock file. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
        try {
            FolderLease.deleteTree(path);
        } finally {
            lease.close();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            System.err.println("cna-demo: could not delete " + path + ": " + e.getMessage());
        }
    }
}
