package io.cna4j.jlama;

import com.github.tjake.jlama.tensor.AbstractTensor;

/** What {@link InterceptedMlp} needs from its model that jlama keeps protected. */
interface MlpHost {
    /** jlama's {@code maybeQuantize}: the activations in the working quantized type before the down projection. */
    AbstractTensor quantizeActivations(AbstractTensor activations);

    /** Whose kernels run the projections (read per call: jlama loads the blocks before the host is constructed). */
    Kernels kernels();
}
