package io.cna4j.gpu.pass;

import io.cna4j.gpu.vulkan.DeviceBuffer;
import io.cna4j.gpu.vulkan.VulkanDevice;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.AddAtHook;
import io.cna4j.model.HookPoint;
import io.cna4j.model.Intervention;
import io.cna4j.model.NeuronMultipliers;
import java.util.ArrayList;
import java.util.List;

/**
 * One call's {@link Intervention} as device work, per layer and hook, in the intervention's order:
 * {@link NeuronMultipliers} become index/factor arrays (one pair of buffers for all layers, uploaded once per
 * call) applied by the {@code scale_columns} shader; {@link AddAtHook} becomes a vector added by {@code add_rows};
 * any {@link ActivationInterceptor} runs on the host, on a copy of that hook's rows (the slow path).
 *
 * {@snippet :
 * try (DeviceInterventions ops = DeviceInterventions.of(circuit.steer(0f), shape, device)) {
 *     ops.at(HookPoint.mlpPost(3));   // [Scale[...]] where the circuit has neurons in layer 3
 * }
 * }
 */
public final class DeviceInterventions implements AutoCloseable {
    /** One thing done at a hook. */
    public sealed interface Op permits Scale, Add, Host {}

    /** Multiply {@code count} columns (from {@code offset} of the arrays) by their factors. */
    public record Scale(DeviceBuffer columns, DeviceBuffer factors, int offset, int count) implements Op {}

    /** Add {@code scale * vector} to every row. */
    public record Add(DeviceBuffer vector, float scale) implements Op {}

    /** Call the intervention on a host copy of the rows. */
    public record Host(Intervention part) implements Op {}

    private final List<List<Op>> post;
    private final List<List<Op>> out;
    private final List<DeviceBuffer> owned;

    private DeviceInterventions(List<List<Op>> post, List<List<Op>> out, List<DeviceBuffer> owned) {
        this.post = post;
        this.out = out;
        this.owned = owned;
    }

    /** Compiles {@code intervention} (already checked to fit the model) for a model of {@code layers} layers. */
    public static DeviceInterventions of(Intervention intervention, int layers, VulkanDevice device) {
        List<List<Op>> post = new ArrayList<>(), out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            post.add(new ArrayList<>());
            out.add(new ArrayList<>());
        }
        List<DeviceBuffer> owned = new ArrayList<>();
        List<Intervention> parts = intervention instanceof Intervention.All all ? all.parts() : List.of(intervention);
        try {
            for (Intervention part : parts) {
                switch (part) {
                    case NeuronMultipliers m -> scale(m, layers, device, post, owned);
                    case AddAtHook a -> {
                        DeviceBuffer v = DeviceBuffer.host(device, 4L * a.width());
                        owned.add(v);
                        v.mapped().asFloatBuffer().put(a.vector());
                        int l = a.hook().layer();
                        (a.hook().kind() == HookPoint.Kind.MLP_POST ? post : out).get(l).add(new Add(v, a.scale()));
                    }
                    case ActivationInterceptor i -> {
                        for (int l = 0; l < layers; l++) {
                            if (i.actsAt(HookPoint.mlpPost(l))) post.get(l).add(new Host(i));
                            if (i.actsAt(HookPoint.mlpOut(l))) out.get(l).add(new Host(i));
                        }
                    }
                    case Intervention.All nested -> throw new IllegalStateException("Intervention.all flattens nested parts");
                }
            }
        } catch (RuntimeException e) {
            owned.forEach(DeviceBuffer::close);
            throw e;
        }
        return new DeviceInterventions(post, out, owned);
    }

    private static void scale(NeuronMultipliers m, int layers, VulkanDevice device, List<List<Op>> post, List<DeviceBuffer> owned) {
        if (m.isEmpty()) return;
        int total = m.size();
        DeviceBuffer columns = DeviceBuffer.host(device, 4L * total);
        DeviceBuffer factors = DeviceBuffer.host(device, 4L * total);
        owned.add(columns);
        owned.add(factors);
        var cb = columns.mapped().asIntBuffer();
        var fb = factors.mapped().asFloatBuffer();
        int offset = 0;
        for (int l = 0; l < layers; l++) {
            int[] idx = m.neurons(l);
            if (idx.length == 0) continue;
            cb.put(idx);
            fb.put(m.factors(l));
            post.get(l).add(new Scale(columns, factors, offset, idx.length));
            offset += idx.length;
        }
    }

    /** What to do at {@code hook}, in order; empty when nothing. */
    public List<Op> at(HookPoint hook) {
        return (hook.kind() == HookPoint.Kind.MLP_POST ? post : out).get(hook.layer());
    }

    @Override
    public void close() {
        owned.forEach(DeviceBuffer::close);
    }
}
