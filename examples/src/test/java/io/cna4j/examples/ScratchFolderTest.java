package io.cna4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchFolderTest {
    @TempDir Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void closeDeletesTheFolderAndItsLock() throws IOException {
        try (ScratchFolder tmp = ScratchFolder.create(dir)) {
            Files.writeString(Files.createDirectories(tmp.path().resolve("model")).resolve("w.bin"), "weights");
            assertThat(tmp.path().getFileName().toString()).startsWith(ScratchFolder.PREFIX);
            assertThat(names()).hasSize(2);   // the folder and its lock file
        }
        assertThat(names()).isEmpty();
    }

    @Test
    void staleFoldersAreDeletedAndLiveOnesKept() throws IOException {
        Path stale = Files.createDirectories(dir.resolve(ScratchFolder.PREFIX + "89abcdef-1234/instruct"));
        Files.writeString(dir.resolve(ScratchFolder.PREFIX + "89abcdef-1234.lock"), "");   // its run is dead
        Path lockless = Files.createDirectories(dir.resolve(ScratchFolder.PREFIX + "01234567-77"));
        Path unrelated = Files.createDirectories(dir.resolve(ScratchFolder.PREFIX + "someone-elses"));
        try (ScratchFolder live = ScratchFolder.create(dir)) {
            assertThat(ScratchFolder.deleteStale(dir)).isEqualTo(2);
            assertThat(live.path()).isDirectory();
            assertThat(stale.getParent()).doesNotExist();
            assertThat(lockless).doesNotExist();
            assertThat(unrelated).isDirectory();
        }
        assertThat(names()).containsExactly(ScratchFolder.PREFIX + "someone-elses");
    }
}
