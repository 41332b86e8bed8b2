package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JlamaModels#loadFolderOrHub}: a Hub id must be marked {@code hf:}; anything else is a folder. */
class FolderOrHubTest {
    @TempDir Path dir;

    @Test
    void aMistypedFolderIsAMissingFolderNotADownload() {
        Path cache = dir.resolve("cache");
        assertThatThrownBy(() -> JlamaModels.loadFolderOrHub("nonexistent/model", cache, JlamaOptions.defaults()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("nonexistent/model: model folder does not exist (for the Hugging Face Hub model write "
                        + "hf:nonexistent/model)");
        assertThatThrownBy(() -> JlamaModels.loadFolderOrHub("../models/x/y", cache, JlamaOptions.defaults()))
                .isInstanceOf(ModelLoadException.class).hasMessage("../models/x/y: model folder does not exist");
        assertThat(cache).doesNotExist();
    }

    @Test
    void theHubPrefixAsksForAnId() {
        Path cache = dir.resolve("cache");
        assertThatThrownBy(() -> JlamaModels.loadFolderOrHub("hf:not an id", cache, JlamaOptions.defaults()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("'not an id'").hasMessageContaining("owner/name");
        assertThat(cache).doesNotExist();
    }
}
