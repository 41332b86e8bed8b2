package io.cna4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWritesTest {
    @TempDir Path dir;

    @Test
    void writesAndReplacesAFileCreatingItsFolders() throws IOException {
        Path file = dir.resolve("a/b/out.txt");
        AtomicWrites.writeString(file, "first");
        AtomicWrites.writeString(file, "second");
        assertThat(Files.readString(file)).isEqualTo("second");
        assertThat(names(file.getParent())).containsExactly("out.txt");
    }

    @Test
    void aFailedWriteLeavesTheOldFileWholeAndNoStagingFile() throws IOException {
        Path file = AtomicWrites.writeString(dir.resolve("keep.json"), "{\"old\":true}");
        assertThatThrownBy(() -> AtomicWrites.write(file, ch -> {
            ch.write(ByteBuffer.wrap("{\"new\":".getBytes()));
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(Files.readString(file)).isEqualTo("{\"old\":true}");
        assertThat(names(dir)).containsExactly("keep.json");
    }

    @Test
    void aRuntimeFailureAlsoLeavesTheOldFileWhole() throws IOException {
        Path file = AtomicWrites.writeString(dir.resolve("keep.txt"), "old");
        assertThatThrownBy(() -> AtomicWrites.write(file, ch -> {
            throw new IllegalStateException("bad value");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readString(file)).isEqualTo("old");
        assertThat(names(dir)).containsExactly("keep.txt");
    }

    @Test
    void newFilesGetTheUmasksPermissionsNotATempFilesPrivateOnes() throws IOException {
        Path reference = Files.createFile(dir.resolve("reference"));
        Path file = AtomicWrites.writeString(dir.resolve("written"), "x");
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(reference);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(expected);
        Path folder = AtomicWrites.writeFolder(dir.resolve("folder"), f -> Files.writeString(f.resolve("x"), "x"));
        Path referenceFolder = Files.createDirectory(dir.resolve("referenceFolder"));
        assertThat(Files.getPosixFilePermissions(folder)).isEqualTo(Files.getPosixFilePermissions(referenceFolder));
    }

    @Test
    void writesAFolderWhole() throws IOException {
        Path target = dir.resolve("model");
        AtomicWrites.writeFolder(target, f -> {
            Files.writeString(f.resolve("config.json"), "{}");
            Files.createDirectories(f.resolve("sub"));
            Files.writeString(f.resolve("sub/w.bin"), "w");
        });
        assertThat(Files.readString(target.resolve("config.json"))).isEqualTo("{}");
        assertThat(Files.readString(target.resolve("sub/w.bin"))).isEqualTo("w");
        assertThat(names(dir)).containsExactly("model");
    }

    @Test
    void aFailedFolderWriteLeavesNothingBehind() {
        Path target = dir.resolve("model");
        assertThatThrownBy(() -> AtomicWrites.writeFolder(target, f -> {
            Files.writeString(f.resolve("half"), "h");
            throw new IOException("interrupted");
        })).hasMessage("interrupted");
        assertThat(target).doesNotExist();
        assertThat(names(dir)).isEmpty();
    }

    @Test
    void refusesAnExistingFolderAndOneRacedInWhileWriting() throws IOException {
        Path target = Files.createDirectory(dir.resolve("model"));
        assertThatThrownBy(() -> AtomicWrites.writeFolder(target, f -> {}))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("model");
        Path other = dir.resolve("other");
        assertThatThrownBy(() -> AtomicWrites.writeFolder(other, f -> {
            Files.createDirectory(other);
            Files.writeString(other.resolve("theirs"), "t");
        })).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(names(other)).containsExactly("theirs");
        assertThat(names(dir)).containsExactlyInAnyOrder("model", "other");
    }

    @Test
    void recognisesItsStagingNames() {
        assertThat(AtomicWrites.isStagingName(".circuit.json.0b6f.tmp")).isTrue();
        assertThat(AtomicWrites.isStagingName("circuit.json")).isFalse();
    }

    private static java.util.List<String> names(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
