package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.github.tjake.jlama.tensor.operations.TensorOperations;
import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import org.junit.jupiter.api.Test;

class KernelCheckTest {
    @Test
    void theProviderTheTestsRunOnMultipliesCorrectly() {
        TensorOperations ops = TensorOperationsProvider.get();
        assertThat(ops.name()).as("cna-models must not pull in jlama-native").doesNotContain("Native");
        assertThatCode(KernelCheck::verify).doesNotThrowAnyException();
    }

    @Test
    void aKernelThatSkipsTheTailOfLargerBatchesIsCaught() {
        TensorOperations ops = TensorOperationsProvider.get();
        // mimics jlama-native 0.8.4: from 6 rows on, the last row's last columns are never written
        String message = KernelCheck.check("Faulty", (c, a, b, k, n) -> {
            int rows = a.shape().first();
            ops.batchDotProduct(c, a, b, 0, 0, k, 0, 0, n);
            if (rows >= 6) for (int j = n - 4; j < n; j++) c.set(0f, rows - 1, j);
        });
        assertThat(message).contains("Faulty", "4 of 384 cells", "6x128 by 128x64 (F32 x F32)", "row 5, column 60",
                "-Djlama.force_panama_tensor_operations=true");
    }

    @Test
    void aCorrectKernelPasses() {
        TensorOperations ops = TensorOperationsProvider.get();
        assertThat(KernelCheck.check("ok", (c, a, b, k, n) -> ops.batchDotProduct(c, a, b, 0, 0, k, 0, 0, n))).isEmpty();
    }
}
