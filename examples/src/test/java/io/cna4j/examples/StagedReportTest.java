package io.cna4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedReportTest {
    @TempDir Path dir;

    private Path oldReport() throws IOException {
        Path out = Files.createDirectories(dir.resolve("cna-report/base"));
        Files.writeString(out.resolveSibling("summary.json"), "{\"old\": true}");
        Files.writeString(out.resolve("report.md"), "# old base");
        return out.getParent();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void commitReplacesTheOldReportAsAWhole() throws IOException {
        Path out = oldReport();
        try (StagedReport r = StagedReport.open(out)) {
            assertThat(r.dir().getParent()).isEqualTo(dir);
            Files.writeString(r.dir().resolve("summary.json"), "{\"new\": true}");
            assertThat(out.resolve("summary.json")).hasContent("{\"old\": true}");   // untouched until the commit
            r.commit();
        }
        assertThat(out.resolve("summary.json")).hasContent("{\"new\": true}");
        assertThat(out.resolve("base")).doesNotExist();
        assertThat(names()).containsExactly("cna-report");   // no staging, old copy or lock file left
    }

    @Test
    void withoutACommitTheOldReportStaysAndTheStagingGoes() throws IOException {
        Path out = oldReport();
        try (StagedReport r = StagedReport.open(out)) {
            Files.writeString(r.dir().resolve("summary.json"), "{\"half\": true}");
        }
        assertThat(out.resolve("summary.json")).hasContent("{\"old\": true}");
        assertThat(out.resolve("base/report.md")).hasContent("# old base");
        assertThat(names()).containsExactly("cna-report");
    }

    @Test
    void theReportFolderGetsOrdinaryPermissions() throws IOException {
        Path out = dir.resolve("fresh");
        try (StagedReport r = StagedReport.open(out)) {
            r.commit();
        }
        Path plain = Files.createDirectory(dir.resolve("plain"));   // what the umask gives any new folder
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(Files.getPosixFilePermissions(plain))
                .contains(PosixFilePermission.OTHERS_READ);
    }

    @Test
    void aDeadRunsLeftoversAreRepairedOnTheNextOpen() throws IOException {
        Path out = oldReport();
        // a run killed between the commit's two renames: the old report aside, the target missing
        Path aside = dir.resolve(".cna-report.cna4j-0badf00d-4242.old");
        Files.move(out, aside);
        Files.createDirectories(dir.resolve(".cna-report.cna4j-0badf00d-4242.new")).resolve("x");
        Files.writeString(dir.resolve(".cna-report.cna4j-0badf00d-4242.lock"), "");   // nobody holds it
        // a run killed while writing: its staging folder and lock file
        Files.createDirectories(dir.resolve(".cna-report.cna4j-12345678-99.new/base"));
        Files.writeString(dir.resolve(".cna-report.cna4j-12345678-99.lock"), "");
        StagedReport.recover(out);
        assertThat(out.resolve("summary.json")).hasContent("{\"old\": true}");
        assertThat(names()).containsExactly("cna-report");
    }

    @Test
    void aLiveRunsStagingIsNeverTouched() throws IOException {
        Path out = oldReport();
        try (StagedReport live = StagedReport.open(out)) {
            Files.writeString(live.dir().resolve("partial.md"), "writing");
            StagedReport.recover(out);   // what another run does when it starts
            try (StagedReport second = StagedReport.open(out)) {
                assertThat(second.dir()).isNotEqualTo(live.dir());
            }
            assertThat(live.dir().resolve("partial.md")).hasContent("writing");
        }
    }

    @Test
    void refusesAFileAndAFolderOfOtherFiles() throws IOException {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        assertThatThrownBy(() -> StagedReport.open(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + " exists and is not a folder");
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("A.java"), "class A {}");
        assertThatThrownBy(() -> StagedReport.open(src)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a folder of other files");
        assertThat(src.resolve("A.java")).exists();
        Path link = Files.createSymbolicLink(dir.resolve("link"), oldReport());
        assertThatThrownBy(() -> StagedReport.open(link)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(link + " is a symbolic link; give the folder it points to");
        Files.delete(link);
        FolderLease.deleteTree(dir.resolve("cna-report"));
        assertThat(names()).containsExactlyInAnyOrder("file.txt", "src");
        // an empty folder is fine
        Path empty = Files.createDirectories(dir.resolve("empty"));
        try (StagedReport r = StagedReport.open(empty)) {
            r.commit();
        }
        assertThat(names()).containsExactlyInAnyOrder("empty", "file.txt", "src");
        assertThat(Set.of(Files.list(empty).toArray())).isEmpty();
    }
}
