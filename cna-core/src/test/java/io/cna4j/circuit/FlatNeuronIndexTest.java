package io.cna4j.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.model.ModelInfo;
import io.cna4j.model.NeuronId;
import org.junit.jupiter.api.Test;

class FlatNeuronIndexTest {
    private final ModelInfo info = new ModelInfo("m", "LlamaForCausalLM", 4, 250, 16, 100, 512, "fp");

    @Test
    void encodesAndDecodesEveryPositionBothWays() {
        FlatNeuronIndex index = FlatNeuronIndex.mlpNeurons(info);
        assertThat(index.size()).isEqualTo(1000);
        assertThat(index.flat(NeuronId.of(3, 10))).isEqualTo(760);
        for (int j = 0; j < index.size(); j++) {
            NeuronId id = index.id(j);
            assertThat(index.flat(id)).isEqualTo(j);
            assertThat(index.offset(id.layer()) + id.neuron()).isEqualTo(j);
        }
        assertThat(FlatNeuronIndex.mlpOutputs(info)).isEqualTo(new FlatNeuronIndex(4, 16));
    }

    @Test
    void rejectsPositionsOutsideTheModel() {
        FlatNeuronIndex index = FlatNeuronIndex.mlpNeurons(info);
        assertThatThrownBy(() -> index.flat(4, 0)).hasMessageContaining("layer 4 outside 0..3");
        assertThatThrownBy(() -> index.flat(0, 250)).hasMessageContaining("index 250 outside 0..249");
        assertThatThrownBy(() -> index.id(1000)).hasMessageContaining("flat position 1000 outside 0..999");
        assertThatThrownBy(() -> new FlatNeuronIndex(70_000, 70_000)).hasMessageContaining("do not fit");
    }
}
