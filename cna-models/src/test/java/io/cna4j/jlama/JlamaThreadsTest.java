package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tjake.jlama.util.PhysicalCoreExecutor;
import org.junit.jupiter.api.Test;

/** Asks only for the count jlama's pool runs anyway, so other tests in the same JVM see no change. */
class JlamaThreadsTest {
    @Test
    void theRunningCountIsAcceptedAndAnotherRefusedNamingBoth() {
        int running = PhysicalCoreExecutor.instance.get().getCoreCount();
        assertThatCode(() -> JlamaThreads.request(0)).doesNotThrowAnyException();
        assertThatCode(() -> JlamaThreads.request(running)).doesNotThrowAnyException();
        assertThatCode(() -> JlamaThreads.request(running)).doesNotThrowAnyException();
        assertThatThrownBy(() -> JlamaThreads.request(running + 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("threads(" + (running + 1) + ")").hasMessageContaining("already runs " + running + " threads");
    }
}
