package io.cna4j.jlama;

import com.github.tjake.jlama.tensor.AbstractTensor;

/**
 * What cna4j's transformer-block parts ({@link InterceptedMlp}, {@link KernelAttention}) need from their model that
 * jlama keeps protected, or that is set only after jlama's constructor has loaded the blocks.
 */
interface BlockHost {
    /**
     * jlama's {@code maybeQuantize}: the activations in the working quantized type before a projection that jlama
     * quantizes its input for (the MLP's down projection, attention's output projection).
     */
    AbstractTensor quantizeActivations(AbstractTensor activations);

    /** Whose kernels run the projections (read per call: jlama loads the blocks before the host is constructed). */
    Kernels kernels();
}
