package io.cna4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a file or a whole folder so that readers see either the old content or the complete new one, never a
 * half-written one, even after a crash: the content goes to a hidden sibling in the target's folder, is forced to
 * disk, moved over the target with one atomic rename, and the folder is forced to disk so the rename survives too.
 *
 * <p>The result has the permissions of any new file (0666 less the umask, usually 0644) or folder (0777 less the
 * umask), not the 0600/0700 that {@link Files#createTempFile} and {@link Files#createTempDirectory} would give.
 * When the writing fails, the staging file or folder is removed and the target is left as it was.
 *
 * {@snippet :
 * AtomicWrites.writeString(Path.of("out/report.md"), "# Report\n");
 * AtomicWrites.write(Path.of("out/data.bin"), channel -> channel.write(ByteBuffer.wrap(bytes)));
 * AtomicWrites.writeFolder(Path.of("models/baked"), folder -> Files.writeString(folder.resolve("config.json"), json));
 * }
 */
public final class AtomicWrites {
    private AtomicWrites() {}

    /** Writes the content of one file into an open channel. */
    @FunctionalInterface
    public interface ContentWriter {
        /** Writes the whole content through {@code channel}; do not close it. */
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Fills a new, empty folder. */
    @FunctionalInterface
    public interface FolderWriter {
        /** Writes every file of the result under {@code folder}. */
        void writeInto(Path folder) throws IOException;
    }

    /** Writes {@code text} as UTF-8; see {@link #write(Path, ContentWriter)}. */
    public static Path writeString(Path file, String text) throws IOException {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes}; see {@link #write(Path, ContentWriter)}. */
    public static Path write(Path file, byte[] bytes) throws IOException {
        return write(file, channel -> {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) channel.write(b);
        });
    }

    /**
     * Replaces (or creates) {@code file} with what {@code content} writes, creating missing parent folders.
     *
     * @return {@code file}
     * @throws IOException when writing, forcing or renaming fails; {@code file} is then unchanged
     */
    public static Path write(Path file, ContentWriter content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path staging = stagingPath(target);
        try {
            try (FileChannel ch = FileChannel.open(staging, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                content.writeTo(ch);
                ch.force(true);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            deleteTree(staging, e);
            throw e;
        }
        forceFolder(dir);
        return file;
    }

    /**
     * Creates {@code folder}, which must not exist, with what {@code content} writes into a staging folder beside
     * it; every file in it is forced to disk before the staging folder is renamed to {@code folder}.
     *
     * @return {@code folder}
     * @throws FileAlreadyExistsException when {@code folder} exists, before or (raced by another writer) after
     *     the content was written; the staging folder is then removed and {@code folder} left as it is
     * @throws IOException when writing, forcing or renaming fails
     */
    public static Path writeFolder(Path folder, FolderWriter content) throws IOException {
        Path target = folder.toAbsolutePath();
        if (Files.exists(target)) throw new FileAlreadyExistsException(target.toString(), null, "the folder exists");
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path staging = Files.createDirectory(stagingPath(target));
        try {
            content.writeInto(staging);
            forceTree(staging);
            if (Files.exists(target)) throw new FileAlreadyExistsException(target.toString(), null, "another writer created it first");
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.DirectoryNotEmptyException raced) {
            deleteTree(staging, raced);
            FileAlreadyExistsException e = new FileAlreadyExistsException(target.toString(), null, "another writer created it first");
            e.initCause(raced);
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            deleteTree(staging, e);
            throw e;
        }
        forceFolder(dir);
        return folder;
    }

    /**
     * Whether {@code name} is one of the hidden staging names this class writes, so that a caller can tidy up
     * what a killed process left behind.
     */
    public static boolean isStagingName(String name) {
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    private static Path stagingPath(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    }

    private static void forceTree(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.toList();
        }
        for (Path p : all) {
            if (Files.isRegularFile(p)) {
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) { // fsync needs no write access
                    ch.force(true);
                }
            } else if (Files.isDirectory(p)) {
                forceFolder(p);
            }
        }
    }

    /** Forces a folder's entries to disk where the platform allows opening a folder (POSIX); elsewhere a no-op. */
    private static void forceFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException notOnThisPlatform) {
            // Windows cannot open a folder as a channel; its rename is durable on its own
        }
    }

    private static void deleteTree(Path p, Throwable cause) {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        } catch (IOException | RuntimeException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }
}
