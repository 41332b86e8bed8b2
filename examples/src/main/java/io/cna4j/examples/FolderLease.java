package io.cna4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A lock file that marks folders as belonging to a live run: {@code <parent>/<prefix><id>.lock}, held with an
 * operating-system file lock for as long as the run lives. The lock dies with the process, however it ends
 * (SIGKILL included), so a later run can tell a dead run's leftovers, whose lock it can take, from a live run's,
 * whose lock it cannot, and a recycled process id never makes a live run's folder look stale.
 *
 * {@snippet :
 * try (FolderLease lease = FolderLease.acquire(tmp, "cna4j-planted-")) {
 *     Path models = Files.createDirectory(lease.sibling(""));   // tmp/cna4j-planted-<id>
 * }   // lock file deleted, lock released
 * for (String id : FolderLease.staleIds(tmp, "cna4j-planted-")) { ... }   // leftovers of killed runs
 * }
 */
final class FolderLease implements AutoCloseable {
    static final String LOCK_SUFFIX = ".lock";
    /**
     * This JVM's lock files. Never opened a second time: closing any descriptor of a file drops the process's
     * POSIX locks on it, so probing our own lock would release it.
     */
    private static final java.util.Set<Path> OURS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path parent;
    private final String prefix;
    private final String id;
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLease(Path parent, String prefix, String id, FileChannel channel, FileLock lock) {
        this.parent = parent;
        this.prefix = prefix;
        this.id = id;
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates and locks a new lock file {@code <parent>/<prefix><random id>.lock}. */
    static FolderLease acquire(Path parent, String prefix) throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8) + "-" + ProcessHandle.current().pid();
        Path file = parent.resolve(prefix + id + LOCK_SUFFIX);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) throw new IOException(file + ": locked by another process");
            OURS.add(file.toAbsolutePath().normalize());
            return new FolderLease(parent, prefix, id, ch, lock);
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** This lease's id. */
    String id() {
        return id;
    }

    /** {@code <parent>/<prefix><id><suffix>}: a path that belongs to this lease. */
    Path sibling(String suffix) {
        return parent.resolve(prefix + id + suffix);
    }

    /** Deletes the lock file and releases the lock; the folders it marked must be gone or moved by then. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(sibling(LOCK_SUFFIX));
        } finally {
            if (lock.isValid()) lock.release();
            channel.close();
            OURS.remove(sibling(LOCK_SUFFIX).toAbsolutePath().normalize());
        }
    }

    /**
     * The ids of dead runs' leftovers under {@code parent}: every {@code <prefix><id>*} entry whose lock file is
     * missing or can be locked. The lock files of the ids returned are left locked by nobody; call
     * {@link #deleteLockFile} after cleaning up.
     */
    static List<String> staleIds(Path parent, String prefix) throws IOException {
        if (!Files.isDirectory(parent)) return List.of();
        List<String> ids = new ArrayList<>();
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith(prefix)) continue;
                String id = idOf(name.substring(prefix.length()));
                if (id != null && !ids.contains(id) && !isLive(parent.resolve(prefix + id + LOCK_SUFFIX))) ids.add(id);
            }
        }
        return ids;
    }

    /** Deletes a dead run's lock file. */
    static void deleteLockFile(Path parent, String prefix, String id) throws IOException {
        Files.deleteIfExists(parent.resolve(prefix + id + LOCK_SUFFIX));
    }

    /** Deletes a file or a folder with everything in it; nothing when it does not exist. */
    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) throw e.getCause();
        }
    }

    /** The id in {@code rest} (what follows the prefix): up to the first dot, when it has the shape ours have. */
    private static @Nullable String idOf(String rest) {
        int dot = rest.indexOf('.');
        String id = dot < 0 ? rest : rest.substring(0, dot);
        return id.matches("[0-9a-f]{8}-[0-9]+") ? id : null;
    }

    private static boolean isLive(Path lockFile) throws IOException {
        if (OURS.contains(lockFile.toAbsolutePath().normalize())) return true;
        if (!Files.exists(lockFile)) return false;
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) return true;
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;   // held by this JVM after all
        } catch (NoSuchFileException e) {
            return false;  // another run cleaned it up just now
        }
    }
}
